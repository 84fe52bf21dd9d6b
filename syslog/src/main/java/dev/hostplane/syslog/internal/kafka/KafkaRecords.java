package dev.hostplane.syslog.internal.kafka;

import java.util.Arrays;

import dev.hostplane.syslog.internal.message.ByteSink;

/**
 * How an omkafka message sits in its action queue (and disk spool): one byte string holding the
 * topic, the key and the value, so that dynamic topics and keys survive a restart with the message.
 * Layout: topic length (2 bytes), topic, key length (4 bytes, -1 for no key), key, value.
 */
final class KafkaRecords
{
    private KafkaRecords()
    {
    }

    /** An unpacked record (fresh arrays: the producer keeps them after the queue slot is reused). */
    static final class Record
    {
        final String topic;
        final byte[] key;
        final byte[] value;

        Record(final String topic, final byte[] key, final byte[] value)
        {
            this.topic = topic;
            this.key = key;
            this.value = value;
        }
    }

    /** Writes the topic part of a record (first). */
    static void topic(final ByteSink out, final byte[] topic, final int length)
    {
        out.put((length >>> 8) & 0xFF).put(length & 0xFF).put(topic, 0, length);
    }

    /** Writes the key part of a record (second; length -1 for no key); the value follows. */
    static void key(final ByteSink out, final byte[] key, final int length)
    {
        out.put((length >>> 24) & 0xFF).put((length >>> 16) & 0xFF).put((length >>> 8) & 0xFF).put(length & 0xFF);
        if (length > 0)
        {
            out.put(key, 0, length);
        }
    }

    /**
     * Unpacks one record.
     *
     * @param previous the record unpacked before (or null): its topic string is reused when the topic
     *                 bytes are the same, which they nearly always are, so the producer's per-topic
     *                 lookups hash a string whose hash is already cached.
     */
    static Record unpack(final byte[] data, final int offset, final int length, final Record previous)
    {
        int p = offset;
        final int topicLength = ((data[p] & 0xFF) << 8) | (data[p + 1] & 0xFF);
        p += 2;
        final String topic = null != previous && sameLatin1(previous.topic, data, p, topicLength) ? previous.topic :
            new String(data, p, topicLength, java.nio.charset.StandardCharsets.ISO_8859_1);
        p += topicLength;
        final int keyLength = ((data[p] & 0xFF) << 24) | ((data[p + 1] & 0xFF) << 16) | ((data[p + 2] & 0xFF) << 8) |
            (data[p + 3] & 0xFF);
        p += 4;
        byte[] key = null;
        if (keyLength >= 0)
        {
            key = Arrays.copyOfRange(data, p, p + keyLength);
            p += keyLength;
        }
        return new Record(topic, key, Arrays.copyOfRange(data, p, offset + length));
    }

    private static boolean sameLatin1(final String s, final byte[] data, final int offset, final int length)
    {
        if (s.length() != length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (s.charAt(i) != (char)(data[offset + i] & 0xFF))
            {
                return false;
            }
        }
        return true;
    }
}
