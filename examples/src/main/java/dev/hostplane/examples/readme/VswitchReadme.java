package dev.hostplane.examples.readme;

// README vswitch
import java.nio.ByteBuffer;
import java.util.Arrays;

import dev.hostplane.vswitch.SwitchConfig;
import dev.hostplane.vswitch.VirtualSwitch;
import dev.hostplane.vswitch.control.MacLearningSwitch;
import dev.hostplane.vswitch.port.EndpointPort;
// README end

/** README snippet: two in-process endpoints on a MAC-learning switch exchange one frame. */
public final class VswitchReadme
{
    private VswitchReadme()
    {
    }

    /**
     * Runs the snippet.
     *
     * @param args unused.
     * @throws Exception when the switch fails.
     */
    public static void main(final String[] args) throws Exception
    {
        // README vswitch
        try (VirtualSwitch sw = new VirtualSwitch(SwitchConfig.builder().build()))
        {
            EndpointPort vm1 = sw.addEndpointPort("vm1");   // or sw.addTapPort("tap0", false) for a TAP device
            EndpointPort vm2 = sw.addEndpointPort("vm2");
            MacLearningSwitch.attach(sw, 300);              // learn source MACs, flood the unknown; 300 s aging
            sw.start();

            byte[] frame = new byte[60];                     // Ethernet: broadcast destination, source 02:00:00:00:00:01
            Arrays.fill(frame, 0, 6, (byte)0xff);
            frame[6] = 0x02;
            frame[11] = 0x01;
            frame[12] = (byte)0x88;                          // EtherType 0x88b5 (local experimental)
            frame[13] = (byte)0xb5;
            vm1.send(frame, 0, frame.length);                // also send(ByteBuffer); never blocks

            ByteBuffer received = ByteBuffer.allocate(2048);
            vm2.awaitFrames(1_000_000_000L);
            int length = vm2.receive(received);              // copies one frame; 0 when none waits
            System.out.println("vm2 received a " + length + "-byte frame; vm1 rx=" + vm1.counters().rxPackets());
        }
        // README end
    }
}
