package io.weir.modules.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies one outbound rule that matches the whole response body (neither {@code serverVariable}
 * nor {@code filterByTags}): every match of its pattern in the body is replaced by the rule's
 * value, up to {@code occurrences} replacements (0: all), as the body is sent, one send at a time.
 *
 * <p>Across sends: a match that reaches the end of a send could grow or change with the next
 * bytes ({@link Matcher#hitEnd()}), so the text from where it could start is held back and scanned
 * again with the next send; at most {@link #MAX_MATCH} characters are held, so memory stays bounded
 * whatever the body's length, and a match longer than that which spans two sends is not found.
 * The body is read one character per byte (ISO-8859-1): patterns written in ASCII match as
 * written; captures and values are UTF-8 text.
 *
 * <p>One instance per response; not thread-safe.
 */
final class BodyPatternFilter {

    /** The longest text held back across sends, in characters (bytes). */
    static final int MAX_MATCH = 16 * 1024;

    private final Pattern pattern;
    private final Function<String[], String> replacement;
    private final long occurrences;
    private long replaced;
    private String carry = "";

    /**
     * @param pattern     the rule's pattern
     * @param replacement given the captures of a match (UTF-8 text), the new text, or null to keep
     *                    the match (its conditions do not hold)
     * @param occurrences the most matches to replace; 0 for all
     */
    BodyPatternFilter(Pattern pattern, Function<String[], String> replacement, long occurrences) {
        this.pattern = pattern;
        this.replacement = replacement;
        this.occurrences = occurrences;
    }

    /**
     * Filters the next piece of the body.
     *
     * @param piece the bytes as ISO-8859-1 characters
     * @param last  whether the body ends with this piece (nothing is held back)
     * @return the text to send instead (ISO-8859-1 characters)
     */
    String filter(String piece, boolean last) {
        String text = carry.isEmpty() ? piece : carry + piece;
        carry = "";
        if (exhausted()) {
            return text;
        }
        int n = text.length();
        Matcher m = pattern.matcher(text);
        StringBuilder out = null;
        int emitted = 0;
        int from = 0;
        while (from <= n && m.find(from)) {
            int start = m.start();
            int end = m.end();
            if (!last && m.hitEnd() && n - start <= MAX_MATCH) {
                // more bytes could make it a longer (or another) match: decide with the next send
                return hold(out, text, emitted, start);
            }
            String value = replacement.apply(captures(m));
            if (value != null) {
                if (out == null) {
                    out = new StringBuilder(n + 64);
                }
                out.append(text, emitted, start)
                        .append(new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
                emitted = end;
                replaced++;
                if (exhausted()) {
                    break;
                }
            }
            from = end == start ? end + 1 : end;
        }
        if (!last && !exhausted() && m.hitEnd()) {
            // a match could start in the tail and end in the next send
            return hold(out, text, emitted, Math.min(n, Math.max(Math.max(from, emitted), n - MAX_MATCH)));
        }
        if (out == null) {
            return text;
        }
        return out.append(text, emitted, n).toString();
    }

    private boolean exhausted() {
        return occurrences > 0 && replaced >= occurrences;
    }

    private String hold(StringBuilder out, String text, int emitted, int holdFrom) {
        int from = Math.max(emitted, holdFrom);
        carry = text.substring(from);
        if (out == null) {
            return text.substring(0, from);
        }
        return out.append(text, emitted, from).toString();
    }

    private static String[] captures(Matcher m) {
        String[] out = new String[m.groupCount() + 1];
        for (int g = 0; g < out.length; g++) {
            String v = m.group(g);
            out[g] = v == null ? "" : new String(v.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
        return out;
    }
}
