package dev.hostplane.examples;

/**
 * First demo step: checks that the JVM was started with the flags our dependencies need, so a
 * missing flag is reported up front instead of as an obscure failure inside a later step.
 */
final class JvmDemoStep implements DemoStep
{
    @Override
    public String name()
    {
        return "jvm: runtime and flags";
    }

    @Override
    public String run()
    {
        final Module javaBase = Object.class.getModule();
        final boolean miscExported = javaBase.isExported("jdk.internal.misc", JvmDemoStep.class.getModule());
        if (!miscExported)
        {
            throw new IllegalStateException(
                "java.base/jdk.internal.misc is not exported: start the JVM with the flags in hostplane-jvm.flags");
        }
        return "Java " + Runtime.version() + ", dependency flags present";
    }
}
