package io.weir.modules.httplogging;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The {@code date} and {@code time} fields of W3C log lines and the {@code #Date:} directive, UTC
 * as IIS writes them, formatted once per second and shared by every thread. Thread-safe (the cache
 * is one immutable value behind a volatile field).
 */
final class W3cFormat {

    /** The date and time texts of one UTC second. */
    private record Stamp(long second, byte[] date, byte[] time, String dateTime) {}

    private static volatile Stamp stamp = stampOf(0);

    private W3cFormat() {}

    /**
     * Returns the UTC date of an instant, {@code yyyy-MM-dd}, as ASCII bytes.
     *
     * @param millis epoch milliseconds
     * @return the shared bytes; callers must not change them
     */
    static byte[] date(long millis) {
        return stamp(millis).date();
    }

    /**
     * Returns the UTC time of an instant, {@code HH:mm:ss}, as ASCII bytes.
     *
     * @param millis epoch milliseconds
     * @return the shared bytes; callers must not change them
     */
    static byte[] time(long millis) {
        return stamp(millis).time();
    }

    /**
     * Returns the UTC date and time of an instant as the {@code #Date:} directive writes it.
     *
     * @param millis epoch milliseconds
     * @return {@code yyyy-MM-dd HH:mm:ss}
     */
    static String dateTime(long millis) {
        return stamp(millis).dateTime();
    }

    private static Stamp stamp(long millis) {
        long second = Math.floorDiv(millis, 1000);
        Stamp s = stamp;
        if (s.second() != second) {
            s = stampOf(second);
            stamp = s;
        }
        return s;
    }

    private static Stamp stampOf(long second) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        StringBuilder d = new StringBuilder(10);
        int year = t.getYear();
        d.append(year);
        d.append('-');
        two(d, t.getMonthValue());
        d.append('-');
        two(d, t.getDayOfMonth());
        StringBuilder h = new StringBuilder(8);
        two(h, t.getHour());
        h.append(':');
        two(h, t.getMinute());
        h.append(':');
        two(h, t.getSecond());
        String date = d.toString();
        String time = h.toString();
        return new Stamp(
                second,
                date.getBytes(StandardCharsets.US_ASCII),
                time.getBytes(StandardCharsets.US_ASCII),
                date + " " + time);
    }

    private static void two(StringBuilder sb, int value) {
        sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
