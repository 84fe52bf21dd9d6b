package dev.hostplane.examples.iopipe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.RepeatedTest;

/**
 * The iopipe step of {@code bin/hostplane demo}, which the README's first command runs. The server adds to its
 * sendfile counter after the call returns on its event loop, possibly after the client has read the response, so
 * the step must await the count; repeated because getting that wrong shows up only as a race.
 */
class IopipeDemoStepTest
{
    @RepeatedTest(3)
    void shouldServeTheWholeFileAndARangeThroughSendfile() throws Exception
    {
        assertThat(new IopipeDemoStep().run()).isEqualTo(
            "GET 1048579 B + Range 1000 B, byte-exact, sendfile moved 1049579 B");
    }
}
