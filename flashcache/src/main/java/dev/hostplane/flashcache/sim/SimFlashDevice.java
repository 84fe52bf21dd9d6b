package dev.hostplane.flashcache.sim;

import dev.hostplane.flashcache.FlashIoListener;

/**
 * The flash device model: the real flash tier does its I/O (to a file in memory-backed storage) and tells
 * this listener, which charges the device's time, with queueing, to the actor doing the I/O. As with a real
 * file system, a read waits for the device, a write only occupies it (it went to the page cache), and an
 * fsync waits until the device has written everything queued: so the cache's durability protocol (dirty
 * data, then its metadata record, each made durable before the write is acknowledged) costs what it costs
 * on a device, and clean fills and segment write-outs cost readers only through queueing.
 */
final class SimFlashDevice implements FlashIoListener
{
    private final SimClock clock;
    private final DeviceParameters p;
    private final Device device;
    private final int blockSize;

    SimFlashDevice(final SimClock clock, final DeviceParameters parameters, final int blockSize)
    {
        this.clock = clock;
        this.p = parameters;
        this.device = new Device("flash", parameters.flashChannels());
        this.blockSize = blockSize;
    }

    @Override
    public void onDataRead(final long bytes)
    {
        clock.set(device.serve(clock.nanoTime(), p.flashReadNanos()
            + DeviceParameters.transferNanos(Math.max(0, bytes - blockSize), p.flashBytesPerSecond())));
    }

    @Override
    public void onDataWrite(final long bytes)
    {
        device.serve(clock.nanoTime(), p.flashWriteNanos()
            + DeviceParameters.transferNanos(Math.max(0, bytes - blockSize), p.flashBytesPerSecond()));
    }

    @Override
    public void onMetadataWrite(final long bytes)
    {
        if (p.flashMetadataNanos() > 0)
        {
            device.serve(clock.nanoTime(), p.flashMetadataNanos());
        }
    }

    @Override
    public void onSync()
    {
        clock.set(Math.max(clock.nanoTime(), device.idleAt()));
    }

    Device device()
    {
        return device;
    }
}
