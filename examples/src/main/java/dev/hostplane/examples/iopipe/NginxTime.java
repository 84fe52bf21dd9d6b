package dev.hostplane.examples.iopipe;

import java.time.Duration;
import java.util.Locale;

import picocli.CommandLine;

/**
 * Reads a time the way nginx and HAProxy configurations write it: a number with an optional unit
 * ({@code ms}, {@code s}, {@code m}, {@code h}, {@code d}); a bare number is seconds ({@code 60} = {@code 60s}).
 */
final class NginxTime implements CommandLine.ITypeConverter<Duration>
{
    @Override
    public Duration convert(final String value)
    {
        final String v = value.trim().toLowerCase(Locale.ROOT);
        int digits = 0;
        while (digits < v.length() && Character.isDigit(v.charAt(digits)))
        {
            digits++;
        }
        if (0 == digits || digits > 12)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a time (expected e.g. 60, 60s, 500ms, 2m)");
        }
        final long n = Long.parseLong(v.substring(0, digits));
        final String unit = v.substring(digits);
        switch (unit)
        {
            case "":
            case "s":
                return Duration.ofSeconds(n);
            case "ms":
                return Duration.ofMillis(n);
            case "m":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            case "d":
                return Duration.ofDays(n);
            default:
                throw new CommandLine.TypeConversionException("'" + value + "' has an unknown unit '" + unit
                    + "' (expected ms, s, m, h or d)");
        }
    }
}
