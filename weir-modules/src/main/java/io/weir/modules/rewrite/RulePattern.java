package io.weir.modules.rewrite;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled {@code pattern} (or {@code match url}) in one of URL Rewrite's three syntaxes.
 * Immutable and thread-safe.
 *
 * <ul>
 * <li>{@code ECMAScript}: a regular expression searched anywhere in the input (anchor it with
 *     {@code ^}/{@code $}); captures are its groups, group 0 the matched text;</li>
 * <li>{@code Wildcard}: the whole input must match; {@code *} matches any run of characters and is
 *     captured, {@code ?} matches one character and is not; capture 0 is the input;</li>
 * <li>{@code ExactMatch}: the whole input equals the pattern; capture 0 is the input.</li>
 * </ul>
 */
final class RulePattern {

    /** URL Rewrite's {@code patternSyntax}. */
    enum Syntax {
        /** A .NET regular expression. */
        ECMASCRIPT,
        /** {@code *} and {@code ?} wildcards. */
        WILDCARD,
        /** The literal text. */
        EXACT_MATCH
    }

    private final String text;
    private final Syntax syntax;
    private final boolean ignoreCase;
    private final Pattern regex;
    /** ASCII text every matching input starts with (from {@code ^literal} or a wildcard's head); may be empty. */
    private final String prefix;

    private RulePattern(String text, Syntax syntax, boolean ignoreCase, Pattern regex) {
        this.text = text;
        this.syntax = syntax;
        this.ignoreCase = ignoreCase;
        this.regex = regex;
        this.prefix = switch (syntax) {
            case ECMASCRIPT -> anchoredPrefix(text);
            case WILDCARD -> wildcardPrefix(text);
            case EXACT_MATCH -> "";
        };
    }

    /**
     * The literal ASCII text an ECMAScript pattern anchored with {@code ^} requires at the start of
     * the input: letters, digits and plain punctuation (escaped or not) up to the first
     * metacharacter, without a last character that a quantifier makes optional. Empty when the
     * pattern is not anchored or has an alternation (whose other branches are not anchored).
     */
    static String anchoredPrefix(String pattern) {
        if (!pattern.startsWith("^") || pattern.indexOf('|') >= 0) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int i = 1;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            char literal;
            int length;
            if (c == '\\' && i + 1 < pattern.length() && PUNCTUATION.indexOf(pattern.charAt(i + 1)) >= 0) {
                literal = pattern.charAt(i + 1);
                length = 2;
            } else if (c < 128 && (Character.isLetterOrDigit(c) || PLAIN.indexOf(c) >= 0)) {
                literal = c;
                length = 1;
            } else {
                break;
            }
            int next = i + length;
            if (next < pattern.length() && "?*+{".indexOf(pattern.charAt(next)) >= 0) {
                break;
            }
            out.append(literal);
            i = next;
        }
        return out.toString();
    }

    /** Characters that stand for themselves, unescaped, in a .NET pattern. */
    private static final String PLAIN = "/-_~!@%&=:;,'\"<> ";
    /** Characters that stand for themselves after a backslash. */
    private static final String PUNCTUATION = "/-_~!@%&=:;,'\"<> .()[]{}*+?|^$#\\";

    /** The ASCII text before a wildcard pattern's first {@code *} or {@code ?}. */
    static String wildcardPrefix(String wildcard) {
        int i = 0;
        while (i < wildcard.length()
                && wildcard.charAt(i) != '*'
                && wildcard.charAt(i) != '?'
                && wildcard.charAt(i) < 128) {
            i++;
        }
        return wildcard.substring(0, i);
    }

    /**
     * Tells, without running the regular expression, that the input cannot match: it does not start
     * with the pattern's ASCII prefix. Only ASCII input characters are judged (a non-ASCII one may
     * still equal an ASCII letter under Unicode case folding), so a true answer is always right.
     */
    private boolean cannotMatch(String input) {
        int n = prefix.length();
        if (n == 0) {
            return false;
        }
        if (input.length() < n) {
            return true;
        }
        for (int i = 0; i < n; i++) {
            char a = input.charAt(i);
            char b = prefix.charAt(i);
            if (a == b) {
                continue;
            }
            if (a >= 128) {
                return false;
            }
            if (!ignoreCase || lowerAscii(a) != lowerAscii(b)) {
                return true;
            }
        }
        return false;
    }

    private static char lowerAscii(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    /**
     * Compiles a pattern.
     *
     * @param text       the pattern as written
     * @param syntax     its syntax
     * @param ignoreCase whether case is ignored
     * @param source     where it is written
     * @return the compiled pattern
     * @throws ConfigException when an ECMAScript pattern is malformed or uses a construct Weir refuses
     */
    static RulePattern compile(String text, Syntax syntax, boolean ignoreCase, ConfigSource source) {
        Pattern regex =
                switch (syntax) {
                    case ECMASCRIPT -> DotNetRegex.compile(text, ignoreCase, source);
                    case WILDCARD ->
                        Pattern.compile(
                                wildcardRegex(text),
                                Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
                    case EXACT_MATCH -> null;
                };
        return new RulePattern(text, syntax, ignoreCase, regex);
    }

    private static String wildcardRegex(String wildcard) {
        StringBuilder out = new StringBuilder();
        int literalStart = 0;
        for (int i = 0; i < wildcard.length(); i++) {
            char c = wildcard.charAt(i);
            if (c == '*' || c == '?') {
                if (i > literalStart) {
                    out.append(Pattern.quote(wildcard.substring(literalStart, i)));
                }
                out.append(c == '*' ? "(.*)" : ".");
                literalStart = i + 1;
            }
        }
        if (literalStart < wildcard.length()) {
            out.append(Pattern.quote(wildcard.substring(literalStart)));
        }
        return out.toString();
    }

    /**
     * Matches the input.
     *
     * @param input the text (a URL path without leading slash, a server variable's value, ...)
     * @return the captures, index 0 the matched text; null when it does not match
     */
    String[] match(String input) {
        if (cannotMatch(input)) {
            return null;
        }
        switch (syntax) {
            case EXACT_MATCH -> {
                boolean equal = ignoreCase ? input.equalsIgnoreCase(text) : input.equals(text);
                return equal ? new String[] {input} : null;
            }
            case WILDCARD -> {
                Matcher m = regex.matcher(input);
                return m.matches() ? groups(m) : null;
            }
            default -> {
                Matcher m = regex.matcher(input);
                return m.find() ? groups(m) : null;
            }
        }
    }

    private static String[] groups(Matcher m) {
        String[] out = new String[m.groupCount() + 1];
        for (int g = 0; g < out.length; g++) {
            String v = m.group(g);
            out[g] = v == null ? "" : v;
        }
        return out;
    }

    /** @return the compiled regular expression of an ECMAScript pattern; null for the other syntaxes */
    Pattern regex() {
        return syntax == Syntax.ECMASCRIPT ? regex : null;
    }

    /** @return the pattern as written */
    String text() {
        return text;
    }

    @Override
    public String toString() {
        return syntax.name().toLowerCase(Locale.ROOT) + ":" + text;
    }
}
