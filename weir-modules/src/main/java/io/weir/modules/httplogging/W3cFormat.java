package io.weir.modules.httplogging;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * How values are written into a W3C extended log line, as IIS writes them: fields separated by one
 * space, {@code -} for an empty or absent value, a space inside a value written as {@code +}.
 * Thread-safe (the date cache is one immutable value behind a volatile field).
 *
 * <p>Where IIS is silent Weir chooses: a control character (below U+0020, or U+007F) inside a value
 * is written as {@code %XX} so that a value can never break a line or a field (CR, LF and NUL
 * cannot reach the log anyway: the transport refuses them in the request line and headers); IPv6
 * addresses are written in their RFC 5952 short form ({@code ::1}), as IIS writes them.
 */
final class W3cFormat {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** The date and time texts of one UTC second. */
    private record Stamp(long second, String date, String time, String dateTime) {
    }

    private static volatile Stamp stamp = stampOf(0);

    private W3cFormat() {
    }

    /**
     * Appends a value: {@code -} when null or empty, spaces as {@code +}, control characters as
     * {@code %XX}.
     *
     * @param sb    the line
     * @param value the value, may be null
     */
    static void appendValue(StringBuilder sb, CharSequence value) {
        int n = value == null ? 0 : value.length();
        if (n == 0) {
            sb.append('-');
            return;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == ' ') {
                sb.append('+');
            } else if (c < 0x20 || c == 0x7f) {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append(c);
            }
        }
    }

    /**
     * Appends an IP address: dotted quad, or the RFC 5952 form of IPv6 (lower case, the longest
     * run of two or more zero groups as {@code ::}, the scope kept after {@code %}).
     *
     * @param sb      the line
     * @param address the address, may be null ({@code -})
     */
    static void appendAddress(StringBuilder sb, InetAddress address) {
        if (address == null) {
            sb.append('-');
            return;
        }
        if (!(address instanceof Inet6Address v6)) {
            sb.append(address.getHostAddress());
            return;
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8;) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength && i - start >= 2) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        if (v6.getScopedInterface() != null) {
            sb.append('%').append(v6.getScopedInterface().getName());
        } else if (v6.getScopeId() != 0) {
            sb.append('%').append(v6.getScopeId());
        }
    }

    /**
     * Appends the UTC date of an instant, {@code yyyy-MM-dd}.
     *
     * @param sb     the line
     * @param millis epoch milliseconds
     */
    static void appendDate(StringBuilder sb, long millis) {
        sb.append(stamp(millis).date());
    }

    /**
     * Appends the UTC time of an instant, {@code HH:mm:ss}.
     *
     * @param sb     the line
     * @param millis epoch milliseconds
     */
    static void appendTime(StringBuilder sb, long millis) {
        sb.append(stamp(millis).time());
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
        return new Stamp(second, date, time, date + " " + time);
    }

    private static void two(StringBuilder sb, int value) {
        sb.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
