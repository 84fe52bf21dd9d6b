package dev.hostplane.examples;

/**
 * One step of {@code hostplane demo}: does something real with a module's public API and checks
 * the outcome itself.
 */
public interface DemoStep
{
    /**
     * Short name shown in the demo's output.
     *
     * @return the step's name, e.g. {@code "syslog: filter and template"}.
     */
    String name();

    /**
     * Runs the step and checks its outcome.
     *
     * @return one line saying what was shown, e.g. counts or bytes.
     * @throws Exception when the step failed or its check did not hold; the message says why.
     */
    String run() throws Exception;
}
