package io.weir.modules.httplogging;

import io.weir.modules.httplogging.LogFileSettings.LogPeriod;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;

/**
 * IIS's W3C log file names and the instants at which a timed log rolls over, as http.sys names
 * them ({@code HTTP_LOGGING_ROLLOVER_TYPE}): {@code exYYMMDDHH.log} hourly, {@code exYYMMDD.log}
 * daily, {@code exYYMMWW.log} weekly, {@code exYYMM.log} monthly, {@code extendN.log} by size, each
 * with the {@code u_} prefix when the log is UTF-8 ({@code log@logInUTF8}, the default).
 *
 * <p>Where the documentation is vague Weir chooses: {@code WW} is the week of the month, weeks
 * starting on Sunday (IIS starts a weekly file after midnight Saturday), so the first week of a
 * month is the days up to its first Saturday and a week that spans two months gives two files; the
 * size sequence {@code N} starts at 1 and is not zero-padded ({@code u_extend1.log}), as IIS 7+
 * names them. Pure functions; thread-safe.
 */
final class LogFileNaming {

    private LogFileNaming() {}

    /**
     * Returns the name of the timed log file that holds an instant.
     *
     * @param period  a timed period (not MAX_SIZE)
     * @param utf8    whether the {@code u_} prefix is used
     * @param instant the instant of the entry
     * @param zone    UTC, or the local zone with {@code localTimeRollover}
     * @return for example {@code u_ex240115.log}
     */
    static String timedName(LogPeriod period, boolean utf8, Instant instant, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, zone);
        StringBuilder name = new StringBuilder(20).append(utf8 ? "u_ex" : "ex");
        two(name, t.getYear() % 100);
        two(name, t.getMonthValue());
        switch (period) {
            case HOURLY -> {
                two(name, t.getDayOfMonth());
                two(name, t.getHour());
            }
            case DAILY -> two(name, t.getDayOfMonth());
            case WEEKLY -> two(name, weekOfMonth(t.toLocalDate()));
            case MONTHLY -> {}
            case MAX_SIZE -> throw new IllegalArgumentException("MaxSize logs are named by sequence");
        }
        return name.append(".log").toString();
    }

    /**
     * Returns the name of the size-limited log file with a sequence number.
     *
     * @param utf8     whether the {@code u_} prefix is used
     * @param sequence 1, 2, …
     * @return for example {@code u_extend1.log}
     */
    static String sizeName(boolean utf8, int sequence) {
        return (utf8 ? "u_extend" : "extend") + sequence + ".log";
    }

    /**
     * Returns the sequence number of a size-limited log file name.
     *
     * @param utf8 whether the {@code u_} prefix is used
     * @param name a file name
     * @return the sequence, or -1 when the name is not one of those files
     */
    static int sequenceOf(boolean utf8, String name) {
        String prefix = utf8 ? "u_extend" : "extend";
        if (!name.startsWith(prefix) || !name.endsWith(".log") || name.length() <= prefix.length() + 4) {
            return -1;
        }
        String digits = name.substring(prefix.length(), name.length() - 4);
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Returns when the timed file holding an instant ends: the next hour, day, week start (Sunday)
     * or first of a month (whichever comes first for WEEKLY), or month.
     *
     * @param period  a timed period (not MAX_SIZE)
     * @param instant the instant
     * @param zone    UTC, or the local zone
     * @return epoch milliseconds of the first instant that belongs to the next file
     */
    static long periodEnd(LogPeriod period, Instant instant, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, zone);
        LocalDate day = t.toLocalDate();
        LocalDateTime end =
                switch (period) {
                    case HOURLY -> t.withMinute(0).withSecond(0).withNano(0).plusHours(1);
                    case DAILY -> day.plusDays(1).atStartOfDay();
                    case WEEKLY -> {
                        LocalDate sunday = day.with(TemporalAdjusters.next(DayOfWeek.SUNDAY));
                        LocalDate nextMonth = day.with(TemporalAdjusters.firstDayOfNextMonth());
                        yield (sunday.isBefore(nextMonth) ? sunday : nextMonth).atStartOfDay();
                    }
                    case MONTHLY ->
                        day.with(TemporalAdjusters.firstDayOfNextMonth()).atStartOfDay();
                    case MAX_SIZE -> throw new IllegalArgumentException("MaxSize logs do not roll over in time");
                };
        return end.atZone(zone).toInstant().toEpochMilli();
    }

    /** The week of the month, weeks starting on Sunday: 1 for the days up to the first Saturday. */
    static int weekOfMonth(LocalDate date) {
        int firstDay = date.withDayOfMonth(1).getDayOfWeek().getValue() % 7; // Sunday = 0
        return (date.getDayOfMonth() - 1 + firstDay) / 7 + 1;
    }

    private static void two(StringBuilder sb, int value) {
        sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
