package dev.hostplane.syslog.internal.message;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * A mutable broken-down timestamp as rsyslog keeps it (fields, fraction with its precision, and
 * the UTC offset as written), plus every format the property replacer offers. Mutable and reused
 * so that parsing and formatting allocate nothing.
 */
public final class SyslogTime
{
    private static final byte[][] MONTHS = {
        "Jan".getBytes(), "Feb".getBytes(), "Mar".getBytes(), "Apr".getBytes(), "May".getBytes(), "Jun".getBytes(),
        "Jul".getBytes(), "Aug".getBytes(), "Sep".getBytes(), "Oct".getBytes(), "Nov".getBytes(), "Dec".getBytes()
    };
    private static final byte[][] WDAYS = {
        "Sun".getBytes(), "Mon".getBytes(), "Tue".getBytes(), "Wed".getBytes(), "Thu".getBytes(), "Fri".getBytes(),
        "Sat".getBytes()
    };

    /** Calendar year. */
    public int year;
    /** Month 1..12. */
    public int month;
    /** Day of month 1..31. */
    public int day;
    /** Hour 0..23. */
    public int hour;
    /** Minute 0..59. */
    public int minute;
    /** Second 0..60. */
    public int second;
    /** Fraction of a second as an integer with {@link #secfracPrecision} digits. */
    public int secfrac;
    /** Number of fraction digits, 0 when none. */
    public int secfracPrecision;
    /** '+', '-' or 'Z'. */
    public char offsetMode = '+';
    /** Offset hours. */
    public int offsetHour;
    /** Offset minutes. */
    public int offsetMinute;

    /**
     * Copies another timestamp.
     *
     * @param other source.
     */
    public void copyFrom(final SyslogTime other)
    {
        year = other.year;
        month = other.month;
        day = other.day;
        hour = other.hour;
        minute = other.minute;
        second = other.second;
        secfrac = other.secfrac;
        secfracPrecision = other.secfracPrecision;
        offsetMode = other.offsetMode;
        offsetHour = other.offsetHour;
        offsetMinute = other.offsetMinute;
    }

    /**
     * Sets the fields from an instant in a zone, with microsecond precision as rsyslog's
     * reception time has.
     *
     * @param epochMillis instant.
     * @param zoneRules   receiver's zone rules.
     */
    public void setFromEpochMillis(final long epochMillis, final ZoneRules zoneRules)
    {
        final int offsetSeconds = zoneRules.isFixedOffset() ?
            zoneRules.getOffset(Instant.EPOCH).getTotalSeconds() :
            zoneRules.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds();
        final long localSeconds = Math.floorDiv(epochMillis, 1000L) + offsetSeconds;
        final long days = Math.floorDiv(localSeconds, 86400L);
        final int secOfDay = (int)Math.floorMod(localSeconds, 86400L);
        civilFromDays(days);
        hour = secOfDay / 3600;
        minute = (secOfDay / 60) % 60;
        second = secOfDay % 60;
        secfrac = (int)Math.floorMod(epochMillis, 1000L) * 1000;
        secfracPrecision = 6;
        offsetMode = offsetSeconds < 0 ? '-' : '+';
        final int abs = Math.abs(offsetSeconds);
        offsetHour = abs / 3600;
        offsetMinute = (abs / 60) % 60;
    }

    private void civilFromDays(final long daysSinceEpoch)
    {
        final long z = daysSinceEpoch + 719468;
        final long era = Math.floorDiv(z, 146097);
        final long doe = z - era * 146097;
        final long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        final long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        final long mp = (5 * doy + 2) / 153;
        day = (int)(doy - (153 * mp + 2) / 5 + 1);
        month = (int)(mp < 10 ? mp + 3 : mp - 9);
        year = (int)(yoe + era * 400 + (month <= 2 ? 1 : 0));
    }

    /**
     * Days since 1970-01-01 of a civil date.
     *
     * @param y year.
     * @param m month 1..12.
     * @param d day.
     * @return days.
     */
    public static long daysFromCivil(final int y, final int m, final int d)
    {
        final long yy = m <= 2 ? y - 1 : y;
        final long era = Math.floorDiv(yy, 400);
        final long yoe = yy - era * 400;
        final long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        final long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /**
     * Seconds since the epoch, applying the recorded offset.
     *
     * @return unix time.
     */
    public long toEpochSeconds()
    {
        final long local = daysFromCivil(year, month, day) * 86400L + hour * 3600L + minute * 60L + second;
        final long offset = (offsetHour * 3600L + offsetMinute * 60L) * (offsetMode == '-' ? -1 : 1);
        return local - (offsetMode == 'Z' ? 0 : offset);
    }

    /**
     * Converts this timestamp to UTC in place (for the {@code date-utc} option).
     */
    public void toUtc()
    {
        final long epoch = toEpochSeconds();
        final int frac = secfrac;
        final int precision = secfracPrecision;
        civilFromDays(Math.floorDiv(epoch, 86400L));
        final int sod = (int)Math.floorMod(epoch, 86400L);
        hour = sod / 3600;
        minute = (sod / 60) % 60;
        second = sod % 60;
        // rsyslog keeps the fraction's integer value and declares 6 digits (".003" becomes ".000003").
        secfrac = precision > 0 ? frac : 0;
        secfracPrecision = 6;
        offsetMode = '+';
        offsetHour = 0;
        offsetMinute = 0;
    }

    /**
     * The offset as a {@link ZoneOffset}.
     *
     * @return offset.
     */
    public ZoneOffset zoneOffset()
    {
        final int s = (offsetHour * 3600 + offsetMinute * 60) * (offsetMode == '-' ? -1 : 1);
        return ZoneOffset.ofTotalSeconds(offsetMode == 'Z' ? 0 : s);
    }

    /**
     * Day of week, 0 = Sunday.
     *
     * @return weekday.
     */
    public int weekday()
    {
        return (int)Math.floorMod(daysFromCivil(year, month, day) + 4, 7L);
    }

    /**
     * Day of year, 1-based.
     *
     * @return ordinal.
     */
    public int ordinal()
    {
        return (int)(daysFromCivil(year, month, day) - daysFromCivil(year, 1, 1)) + 1;
    }

    /**
     * The day of the year that rsyslog's date-week counts from: 0-based, computed as rsyslog does from
     * seconds into the year, including the UTC-offset arithmetic of its getOrdinal() (read in rsyslog's
     * datetime.c: a positive offset ends up subtracted twice, so the first hours of a day can count as
     * the day before; no conformance case covers that corner yet). The 0-based day is measured against
     * rsyslogd 8.2302: 2024-12-30 is week 52 and 2025-01-01 week 00, where a 1-based day gives 53 and 01.
     *
     * @return day of year for date-week.
     */
    int weekOrdinal()
    {
        final long days = ordinal() - 1;
        final long secondsOfDay = hour * 3600L + minute * 60L + second;
        final long offset = offsetHour * 3600L + offsetMinute * 60L;
        final long secondsIntoYear = '+' == offsetMode ?
            days * 86400L + secondsOfDay + 2 - 2 * offset : days * 86400L + secondsOfDay + 1;
        return (int)(secondsIntoYear / 86400L); // truncates toward zero, as C's division does
    }

    /**
     * rsyslog's date-iso-week: ISO-style arithmetic on the day of {@link #weekOrdinal()} (so it
     * shares that day's offset quirk), with the year's week count for the edges.
     *
     * @return week 1..53.
     */
    public int isoWeek()
    {
        final int week = rawIsoWeek();
        if (week == 0)
        {
            return weeksInYear(year - 1);
        }
        return week > weeksInYear(year) ? 1 : week;
    }

    /**
     * The year date-iso-week-year prints: the year of {@link #isoWeek()}.
     *
     * @return year.
     */
    public int isoWeekYear()
    {
        final int week = rawIsoWeek();
        if (week == 0)
        {
            return year - 1;
        }
        return week > weeksInYear(year) ? year + 1 : year;
    }

    private int rawIsoWeek()
    {
        final int dow = weekday() == 0 ? 7 : weekday();
        return (10 + weekOrdinal() + 1 - dow) / 7;
    }

    /** ISO weeks in a year: the week of its 28 December. */
    private static int weeksInYear(final int year)
    {
        return java.time.LocalDate.of(year, 12, 28).get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }

    /**
     * Writes {@code Mmm dd hh:mm:ss} (day space-padded unless buggy).
     *
     * @param sink     destination.
     * @param buggyDay zero-pad the day instead of space-padding it.
     */
    public void formatRfc3164(final ByteSink sink, final boolean buggyDay)
    {
        sink.put(MONTHS[(month - 1 + 12) % 12]).put(' ');
        if (day < 10)
        {
            sink.put(buggyDay ? '0' : ' ').put('0' + day);
        }
        else
        {
            sink.putPadded(day, 2);
        }
        sink.put(' ');
        formatClock(sink);
    }

    private void formatClock(final ByteSink sink)
    {
        sink.putPadded(hour, 2).put(':').putPadded(minute, 2).put(':').putPadded(second, 2);
    }

    private void formatDate(final ByteSink sink, final int separator)
    {
        sink.putPadded(year, 4).put(separator).putPadded(month, 2).put(separator).putPadded(day, 2);
    }

    /**
     * Writes the fraction digits (or "0" when there is no fraction).
     *
     * @param sink destination.
     */
    public void formatSecFrac(final ByteSink sink)
    {
        if (secfracPrecision > 0)
        {
            fraction(sink);
        }
        else
        {
            sink.put('0');
        }
    }

    private static final int[] TEN_POWERS = {1, 10, 100, 1000, 10000, 100000};

    /**
     * The fraction digits exactly as rsyslog computes them, including its wrap-around for more
     * than six digits (a 7-digit fraction prints one odd byte).
     */
    private void fraction(final ByteSink sink)
    {
        int power = TEN_POWERS[(secfracPrecision - 1) % 6];
        int rest = secfrac;
        while (power > 0)
        {
            final int digit = rest / power;
            rest -= digit * power;
            power /= 10;
            sink.put(digit + '0');
        }
    }

    /**
     * Writes the RFC 3339 form as rsyslog does.
     *
     * @param sink destination.
     */
    public void formatRfc3339(final ByteSink sink)
    {
        formatDate(sink, '-');
        sink.put('T');
        formatClock(sink);
        if (secfracPrecision > 0)
        {
            sink.put('.');
            fraction(sink);
        }
        if (offsetMode == 'Z')
        {
            sink.put('Z');
        }
        else
        {
            sink.put(offsetMode).putPadded(offsetHour, 2).put(':').putPadded(offsetMinute, 2);
        }
    }

    /**
     * Writes one of the named formats of the property replacer.
     *
     * @param sink   destination.
     * @param format the format.
     */
    public void format(final ByteSink sink, final DateFormat format)
    {
        switch (format)
        {
            case RFC3164:
                formatRfc3164(sink, false);
                break;
            case RFC3164_BUGGYDAY:
                // Zero-padded day. In local time rsyslog caches one RFC 3164 string per message, so the
                // first of date-rfc3164/-buggyday a template asks for decides both (TimeCache does that).
                formatRfc3164(sink, true);
                break;
            case RFC3339:
                formatRfc3339(sink);
                break;
            case MYSQL:
                sink.putPadded(year, 4).putPadded(month, 2).putPadded(day, 2)
                    .putPadded(hour, 2).putPadded(minute, 2).putPadded(second, 2);
                break;
            case PGSQL:
                formatDate(sink, '-');
                sink.put(' ');
                formatClock(sink);
                break;
            case SUBSECONDS:
                formatSecFrac(sink);
                break;
            case UNIXTIMESTAMP:
                sink.putLong(toEpochSeconds());
                break;
            case YEAR:
                sink.putPadded(year, 4);
                break;
            case MONTH:
                sink.putPadded(month, 2);
                break;
            case DAY:
                sink.putPadded(day, 2);
                break;
            case HOUR:
                sink.putPadded(hour, 2);
                break;
            case MINUTE:
                sink.putPadded(minute, 2);
                break;
            case SECOND:
                sink.putPadded(second, 2);
                break;
            case TZOFFSHOUR:
                sink.putPadded(offsetHour, 2);
                break;
            case TZOFFSMIN:
                sink.putPadded(offsetMinute, 2);
                break;
            case TZOFFSDIRECTION:
                sink.put(offsetMode == 'Z' ? '-' : offsetMode);
                break;
            case ORDINAL:
                sink.putPadded(weekOrdinal() + 1, 3);
                break;
            case WEEK:
            {
                final int jan1 = (int)Math.floorMod(daysFromCivil(year, 1, 1) + 4, 7L);
                int week = (weekOrdinal() + 6) / 7;
                if (weekday() < jan1)
                {
                    week++;
                }
                sink.putPadded(week, 2);
                break;
            }
            case ISO_WEEK:
                sink.putPadded(isoWeek(), 2);
                break;
            case ISO_WEEK_YEAR:
                sink.putPadded(isoWeekYear(), 4);
                break;
            case WDAY:
                sink.putLong(weekday());
                break;
            case WDAYNAME:
                sink.put(WDAYS[weekday()]);
                break;
            default:
                formatRfc3164(sink, false);
                break;
        }
    }

    /** The date formats of the property replacer. */
    public enum DateFormat
    {
        /** {@code date-rfc3164}. */
        RFC3164,
        /** {@code date-rfc3164-buggyday}. */
        RFC3164_BUGGYDAY,
        /** {@code date-rfc3339}. */
        RFC3339,
        /** {@code date-mysql}. */
        MYSQL,
        /** {@code date-pgsql}. */
        PGSQL,
        /** {@code date-subseconds}. */
        SUBSECONDS,
        /** {@code date-unixtimestamp}. */
        UNIXTIMESTAMP,
        /** {@code date-year}. */
        YEAR,
        /** {@code date-month}. */
        MONTH,
        /** {@code date-day}. */
        DAY,
        /** {@code date-hour}. */
        HOUR,
        /** {@code date-minute}. */
        MINUTE,
        /** {@code date-second}. */
        SECOND,
        /** {@code date-tzoffshour}. */
        TZOFFSHOUR,
        /** {@code date-tzoffsmin}. */
        TZOFFSMIN,
        /** {@code date-tzoffsdirection}. */
        TZOFFSDIRECTION,
        /** {@code date-ordinal}. */
        ORDINAL,
        /** {@code date-week}. */
        WEEK,
        /** {@code date-iso-week}. */
        ISO_WEEK,
        /** {@code date-iso-week-year}. */
        ISO_WEEK_YEAR,
        /** {@code date-wday}. */
        WDAY,
        /** {@code date-wdayname}. */
        WDAYNAME
    }

    /**
     * Zone rules for a zone id (convenience for callers holding a {@link ZoneId}).
     *
     * @param zone zone.
     * @return rules.
     */
    public static ZoneRules rules(final ZoneId zone)
    {
        return zone.getRules();
    }
}
