package io.weir.modules.staticfile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One satisfiable byte range of a representation, inclusive at both ends (RFC 9110 section 14.1.2), and
 * the parser of the {@code Range} request field.
 *
 * @param first the first byte's offset
 * @param last  the last byte's offset, {@code >= first}
 */
record ByteRange(long first, long last) {

    /** More ranges than this (after coalescing) are not worth a multipart answer; the field is ignored. */
    static final int MAX_RANGES = 64;

    /**
     * Returns the number of bytes in the range.
     *
     * @return {@code last - first + 1}
     */
    long length() {
        return last - first + 1;
    }

    /**
     * Parses a {@code Range} field against a representation length, without regular expressions.
     *
     * <p>Returns null when the field is syntactically invalid or not in bytes (the field is then
     * ignored and the whole file sent, as RFC 9110 section 14.2 allows); an empty list when no range is
     * satisfiable (416); otherwise the satisfiable ranges in request order, or, when some overlap or
     * touch, coalesced into ascending order (RFC 9110 section 14.2 permits that).
     *
     * @param field  the field value, for example {@code "bytes=0-99,200-"}
     * @param length the representation's length in bytes
     * @return the ranges, an empty list, or null
     */
    static List<ByteRange> parse(String field, long length) {
        int n = field.length();
        int i = 0;
        while (i < n && isSpace(field.charAt(i))) {
            i++;
        }
        if (!field.regionMatches(true, i, "bytes=", 0, 6)) {
            return null;
        }
        i += 6;
        List<ByteRange> ranges = new ArrayList<>(2);
        boolean sawSpec = false;
        while (i < n) {
            int end = field.indexOf(',', i);
            if (end < 0) {
                end = n;
            }
            int start = i;
            int stop = end;
            while (start < stop && isSpace(field.charAt(start))) {
                start++;
            }
            while (stop > start && isSpace(field.charAt(stop - 1))) {
                stop--;
            }
            i = end + 1;
            if (start == stop) {
                continue;
            }
            int dash = field.indexOf('-', start);
            if (dash < 0 || dash >= stop) {
                return null;
            }
            sawSpec = true;
            if (dash == start) {
                long suffix = digits(field, dash + 1, stop);
                if (suffix < 0) {
                    return null;
                }
                if (suffix > 0 && length > 0) {
                    ranges.add(new ByteRange(Math.max(0, length - suffix), length - 1));
                }
                continue;
            }
            long first = digits(field, start, dash);
            if (first < 0) {
                return null;
            }
            long last;
            if (dash + 1 == stop) {
                last = Long.MAX_VALUE;
            } else {
                last = digits(field, dash + 1, stop);
                if (last < 0 || last < first) {
                    return null;
                }
            }
            if (first < length) {
                ranges.add(new ByteRange(first, Math.min(last, length - 1)));
            }
        }
        if (!sawSpec) {
            return null;
        }
        if (ranges.size() > 1) {
            ranges = coalesceIfOverlapping(ranges);
        }
        return ranges.size() > MAX_RANGES ? null : ranges;
    }

    private static List<ByteRange> coalesceIfOverlapping(List<ByteRange> ranges) {
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        boolean touching = false;
        for (int k = 1; k < sorted.size() && !touching; k++) {
            touching = sorted.get(k).first() <= sorted.get(k - 1).last() + 1;
        }
        if (!touching) {
            return ranges;
        }
        List<ByteRange> merged = new ArrayList<>(sorted.size());
        ByteRange current = sorted.get(0);
        for (int k = 1; k < sorted.size(); k++) {
            ByteRange next = sorted.get(k);
            if (next.first() <= current.last() + 1) {
                current = new ByteRange(current.first(), Math.max(current.last(), next.last()));
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return merged;
    }

    /** Parses 1*DIGIT in [from, to); saturates at Long.MAX_VALUE; -1 when not all digits or empty. */
    private static long digits(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long value = 0;
        for (int k = from; k < to; k++) {
            char c = s.charAt(k);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
