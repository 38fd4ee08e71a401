package io.weir.modules.rewrite;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns a URL Rewrite {@code ECMAScript} pattern (a .NET regular expression, as IIS Manager's
 * "Test pattern" dialog evaluates it) into a {@link Pattern} that matches the same strings with the
 * same groups. What can be written the Java way is translated; what java.util.regex would accept
 * with another meaning, or what it has no equivalent for, is refused with the construct named, so a
 * rule never silently matches something else.
 *
 * <p>Translated: {@code (?'name'...)} to {@code (?<name>...)}; {@code \k'name'} to
 * {@code \k<name>}; {@code \v} (.NET: the vertical tab only) to {@code \x0B}; {@code &&} inside a
 * character class (literal in .NET, intersection in Java) to {@code \&\&}. Refused: balancing groups
 * {@code (?<a-b>...)}, conditionals {@code (?(...)...)}, the {@code n} (explicit capture) inline
 * option, character class subtraction {@code [a-z-[aeiou]]}, possessive quantifiers ({@code *+},
 * {@code ++}, {@code ?+}, <code>}+</code>: an error in .NET), Java-only escapes ({@code \h},
 * {@code \H}, {@code \R}, {@code \X}, {@code \Q}, {@code \E}), group names with an underscore
 * (Java allows letters and digits only), and named groups written before an unnamed one (.NET
 * numbers unnamed groups first, so {@code {R:n}} would name another group). {@code \d}, {@code \w}
 * and {@code \s} match ASCII characters as with .NET's ECMAScript option.
 */
final class DotNetRegex {

    private DotNetRegex() {}

    /**
     * Compiles a .NET pattern.
     *
     * @param pattern    the pattern as written
     * @param ignoreCase whether case is ignored (ASCII and Unicode letters)
     * @param source     where the pattern is written, for the error
     * @return the compiled pattern
     * @throws ConfigException when the pattern uses a construct refused above or is malformed
     */
    static Pattern compile(String pattern, boolean ignoreCase, ConfigSource source) {
        String java = translate(pattern, source);
        try {
            return Pattern.compile(java, ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        } catch (PatternSyntaxException e) {
            throw new ConfigException(
                    source,
                    "the pattern \"" + pattern + "\" is not a valid regular expression: " + e.getDescription()
                            + " near index " + e.getIndex());
        }
    }

    /**
     * Translates a .NET pattern into java.util.regex syntax.
     *
     * @param pattern the .NET pattern
     * @param source  where it is written, for the error
     * @return the Java pattern
     * @throws ConfigException when the pattern uses a construct that would differ
     */
    static String translate(String pattern, ConfigSource source) {
        StringBuilder out = new StringBuilder(pattern.length() + 8);
        boolean inClass = false;
        boolean namedSeen = false;
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) {
                    throw refuse(source, pattern, "\\ at the end of the pattern");
                }
                char e = pattern.charAt(i + 1);
                switch (e) {
                    case 'h', 'H', 'R', 'X', 'Q', 'E' ->
                        throw refuse(
                                source,
                                pattern,
                                "\\" + e + " (not a .NET escape; java.util.regex would give it another meaning)");
                    case 'v' -> {
                        out.append("\\x0B");
                        i++;
                        continue;
                    }
                    case 'k' -> {
                        if (i + 2 < n && pattern.charAt(i + 2) == '\'') {
                            int end = pattern.indexOf('\'', i + 3);
                            if (end < 0) {
                                throw refuse(source, pattern, "an unterminated \\k'name'");
                            }
                            out.append("\\k<")
                                    .append(groupName(pattern.substring(i + 3, end), pattern, source))
                                    .append('>');
                            i = end;
                            continue;
                        }
                    }
                    default -> {}
                }
                out.append(c).append(e);
                i++;
                continue;
            }
            if (inClass) {
                if (c == ']') {
                    inClass = false;
                } else if (c == '-' && i + 1 < n && pattern.charAt(i + 1) == '[') {
                    throw refuse(source, pattern, "character class subtraction -[...]");
                } else if (c == '&' && i + 1 < n && pattern.charAt(i + 1) == '&') {
                    out.append("\\&\\&");
                    i++;
                    continue;
                } else if (c == '[') {
                    out.append("\\[");
                    continue;
                }
                out.append(c);
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    out.append(c);
                    if (i + 1 < n && pattern.charAt(i + 1) == '^') {
                        out.append('^');
                        i++;
                    }
                    if (i + 1 < n && pattern.charAt(i + 1) == ']') {
                        out.append("\\]"); // a leading ] is literal in both; written escaped for Java
                        i++;
                    }
                }
                case '*', '+', '?', '}' -> {
                    out.append(c);
                    if (i + 1 < n && pattern.charAt(i + 1) == '+' && !(c == '?' && isGroupStart(pattern, i))) {
                        throw refuse(source, pattern, "the possessive quantifier " + c + "+");
                    }
                }
                case '(' -> {
                    if (i + 1 < n && pattern.charAt(i + 1) == '?') {
                        int j = i + 2;
                        char k = j < n ? pattern.charAt(j) : 0;
                        if (k == '(') {
                            throw refuse(source, pattern, "a conditional (?(...)...)");
                        }
                        if (k == '\''
                                || (k == '<'
                                        && j + 1 < n
                                        && pattern.charAt(j + 1) != '='
                                        && pattern.charAt(j + 1) != '!')) {
                            char close = k == '\'' ? '\'' : '>';
                            int end = pattern.indexOf(close, j + 1);
                            if (end < 0) {
                                throw refuse(source, pattern, "an unterminated group name");
                            }
                            String name = pattern.substring(j + 1, end);
                            if (name.indexOf('-') >= 0) {
                                throw refuse(source, pattern, "the balancing group (?<" + name + ">...)");
                            }
                            out.append("(?<")
                                    .append(groupName(name, pattern, source))
                                    .append('>');
                            namedSeen = true;
                            i = end;
                            continue;
                        }
                        if (Character.isLetter(k) || k == '-') {
                            int end = j;
                            while (end < n && (Character.isLetter(pattern.charAt(end)) || pattern.charAt(end) == '-')) {
                                end++;
                            }
                            String options = pattern.substring(j, end);
                            if (options.indexOf('n') >= 0) {
                                throw refuse(source, pattern, "the inline option n (explicit capture)");
                            }
                        }
                    } else if (namedSeen) {
                        throw refuse(
                                source,
                                pattern,
                                "an unnamed group after a named group (.NET numbers unnamed"
                                        + " groups first, so {R:n} would refer to another group)");
                    }
                    out.append(c);
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isGroupStart(String pattern, int questionMark) {
        return questionMark > 0 && pattern.charAt(questionMark - 1) == '(';
    }

    private static String groupName(String name, String pattern, ConfigSource source) {
        if (name.isEmpty()
                || !name.chars().allMatch(ch -> ch < 128 && Character.isLetterOrDigit(ch))
                || !Character.isLetter(name.charAt(0))) {
            throw refuse(
                    source,
                    pattern,
                    "the group name '" + name + "' (java.util.regex allows ASCII letters"
                            + " and digits only, starting with a letter)");
        }
        return name;
    }

    private static ConfigException refuse(ConfigSource source, String pattern, String construct) {
        return new ConfigException(
                source,
                "the pattern \"" + pattern + "\" uses " + construct
                        + ", which Weir cannot match as URL Rewrite (.NET regular expressions) does");
    }
}
