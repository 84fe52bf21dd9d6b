package dev.hostplane.syslog.internal.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Certificates and keys from the PEM files rsyslog's drivers read: certificate chains, and private
 * keys as written by {@code openssl} (PKCS#8, {@code BEGIN PRIVATE KEY}) or by GnuTLS's
 * {@code certtool} and older {@code openssl genrsa} (PKCS#1, {@code BEGIN RSA PRIVATE KEY}). A file
 * that cannot be read names itself and the reason.
 */
public final class PemFiles
{
    /** DER of AlgorithmIdentifier{rsaEncryption, NULL}: what PKCS#8 puts around a PKCS#1 key. */
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte)0x86, 0x48, (byte)0x86, (byte)0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles()
    {
    }

    /**
     * Every certificate in a PEM file, in file order.
     *
     * @param file path.
     * @return certificates (at least one).
     * @throws IOException naming the file when it cannot be read or holds no certificate.
     */
    public static List<X509Certificate> certificates(final String file) throws IOException
    {
        try (InputStream in = Files.newInputStream(Paths.get(file)))
        {
            final List<X509Certificate> certs = new ArrayList<>();
            for (final java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in))
            {
                certs.add((X509Certificate)c);
            }
            if (certs.isEmpty())
            {
                throw new IOException(file + ": no certificate in the file");
            }
            return certs;
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IOException(file + ": not a PEM certificate file: " + ex.getMessage(), ex);
        }
    }

    /**
     * The private key of a PEM file.
     *
     * @param file path.
     * @return key.
     * @throws IOException naming the file when it holds no usable key.
     */
    public static PrivateKey privateKey(final String file) throws IOException
    {
        final String text = Files.readString(Paths.get(file), StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        {
            throw new IOException(file + ": the key is encrypted; rsyslog's drivers read unencrypted keys only");
        }
        final byte[] pkcs1 = block(text, "RSA PRIVATE KEY");
        final byte[] pkcs8 = null != pkcs1 ? wrapPkcs1(pkcs1) : block(text, "PRIVATE KEY");
        if (null == pkcs8)
        {
            throw new IOException(file + ": no 'BEGIN PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY' block (convert other " +
                "keys with: openssl pkcs8 -topk8 -nocrypt)");
        }
        for (final String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"})
        {
            try
            {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            }
            catch (final GeneralSecurityException ex)
            {
                // Not this algorithm: try the next.
            }
        }
        throw new IOException(file + ": the private key is neither RSA, EC nor EdDSA");
    }

    private static byte[] block(final String text, final String label)
    {
        final String begin = "-----BEGIN " + label + "-----";
        final int from = text.indexOf(begin);
        if (from < 0)
        {
            return null;
        }
        final int to = text.indexOf("-----END " + label + "-----", from);
        if (to < 0)
        {
            return null;
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING (the PKCS#1 key) }. */
    private static byte[] wrapPkcs1(final byte[] pkcs1)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x02);
        body.write(0x01);
        body.write(0x00);
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        length(body, pkcs1.length);
        body.writeBytes(pkcs1);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        length(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void length(final ByteArrayOutputStream out, final int length)
    {
        if (length < 0x80)
        {
            out.write(length);
            return;
        }
        int bytes = 0;
        for (int l = length; l > 0; l >>>= 8)
        {
            bytes++;
        }
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--)
        {
            out.write((length >>> (8 * i)) & 0xFF);
        }
    }
}
