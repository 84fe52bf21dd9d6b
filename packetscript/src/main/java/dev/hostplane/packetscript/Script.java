package dev.hostplane.packetscript;

import java.util.List;
import java.util.Objects;

import dev.hostplane.packetscript.model.Event;
import dev.hostplane.packetscript.model.OptionSetting;
import dev.hostplane.packetscript.model.ShellCommand;

/**
 * A parsed packetdrill script: header options, an optional initial command, the timed events and an optional
 * cleanup command. Immutable. Equality ignores the source name and positions, so {@code parse(print(s))} equals
 * {@code s}.
 */
public final class Script
{
    private final String source;
    private final List<OptionSetting> options;
    private final ShellCommand initCommand;
    private final List<Event> events;
    private final ShellCommand cleanupCommand;

    /**
     * Creates a script.
     *
     * @param source         name of the source (path), for messages.
     * @param options        header options in order.
     * @param initCommand    untimed backtick command before the first event, or null.
     * @param events         timed events in order.
     * @param cleanupCommand untimed backtick command after the last event, or null.
     */
    public Script(
        final String source,
        final List<OptionSetting> options,
        final ShellCommand initCommand,
        final List<Event> events,
        final ShellCommand cleanupCommand)
    {
        this.source = Objects.requireNonNull(source, "source");
        this.options = List.copyOf(options);
        this.initCommand = initCommand;
        this.events = List.copyOf(events);
        this.cleanupCommand = cleanupCommand;
    }

    /**
     * Source name.
     *
     * @return e.g. the file path.
     */
    public String source()
    {
        return source;
    }

    /**
     * Header options.
     *
     * @return options in order.
     */
    public List<OptionSetting> options()
    {
        return options;
    }

    /**
     * Value of the last header option with this name.
     *
     * @param name option name without dashes, e.g. {@code tolerance_usecs}.
     * @return the value, or null if not given (or given without a value).
     */
    public String option(final String name)
    {
        String value = null;
        for (final OptionSetting option : options)
        {
            if (option.name().equals(name))
            {
                value = option.value();
            }
        }
        return value;
    }

    /**
     * The script's own {@code -D NAME=VALUE} definitions (header options {@code define}), in order; a later one
     * wins. Command-line definitions should be applied over these.
     *
     * @return name to value.
     */
    public java.util.Map<String, String> definitions()
    {
        final java.util.Map<String, String> definitions = new java.util.LinkedHashMap<>();
        for (final OptionSetting option : options)
        {
            final String value = option.value();
            if ("define".equals(option.name()) && value != null && value.indexOf('=') > 0)
            {
                definitions.put(value.substring(0, value.indexOf('=')).strip(),
                    value.substring(value.indexOf('=') + 1).strip());
            }
        }
        return java.util.Collections.unmodifiableMap(definitions);
    }

    /**
     * The untimed command before the first event.
     *
     * @return the command or null.
     */
    public ShellCommand initCommand()
    {
        return initCommand;
    }

    /**
     * Timed events.
     *
     * @return events in order.
     */
    public List<Event> events()
    {
        return events;
    }

    /**
     * The untimed command after the last event.
     *
     * @return the command or null.
     */
    public ShellCommand cleanupCommand()
    {
        return cleanupCommand;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Script that && options.equals(that.options) &&
            Objects.equals(initCommand, that.initCommand) && events.equals(that.events) &&
            Objects.equals(cleanupCommand, that.cleanupCommand);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(options, initCommand, events, cleanupCommand);
    }

    @Override
    public String toString()
    {
        return "Script{source=" + source + ", options=" + options.size() + ", events=" + events.size() + "}";
    }
}
