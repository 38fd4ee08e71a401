package io.weir.modules.rewrite;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A URL Rewrite expression (a condition's {@code input}, an action's {@code url} or
 * {@code value}, a server variable's {@code value}), parsed once: literal text and, in braces,
 * back-references {@code {R:n}} and {@code {C:n}} (n = 0–9; a group that did not take part is
 * empty), server variables {@code {NAME}} (an unknown one is empty), functions
 * {@code {ToLower:…}}, {@code {UrlEncode:…}}, {@code {UrlDecode:…}}, {@code {EscapeDataString:…}}
 * and rewrite maps {@code {MapName:…}}, whose argument is itself an expression. Immutable.
 */
final class Substitution {

    /** What an expression is expanded against. */
    interface Scope {
        /**
         * @param name an upper-case server variable name
         * @return its value, or "" when it has none
         */
        String serverVariable(String name);

        /** @return the rule pattern's captures (index 0 the matched text), never null */
        String[] ruleCaptures();

        /** @return the conditions' captures, never null */
        String[] conditionCaptures();

        /**
         * Looks a key up in a rewrite map.
         *
         * @param map the map's name
         * @param key the key
         * @return the value, the map's defaultValue when the key is absent
         * @throws RewriteException when no map has that name
         */
        String map(String map, String key);
    }

    private sealed interface Part permits Literal, BackReference, Variable, Call {}

    private record Literal(String text) implements Part {}

    private record BackReference(boolean rule, int index) implements Part {}

    private record Variable(String name) implements Part {}

    private record Call(String name, Function function, Substitution argument) implements Part {}

    private enum Function {
        TO_LOWER,
        URL_ENCODE,
        URL_DECODE,
        ESCAPE_DATA_STRING,
        MAP
    }

    private final String text;
    private final Part[] parts;
    private final boolean usesConditions;

    private Substitution(String text, List<Part> parts) {
        this.text = text;
        this.parts = parts.toArray(Part[]::new);
        boolean c = false;
        for (Part p : parts) {
            c |= p instanceof BackReference b && !b.rule() || p instanceof Call call && call.argument().usesConditions;
        }
        this.usesConditions = c;
    }

    /**
     * Parses an expression.
     *
     * @param text   the expression as written; null is the empty expression
     * @param source where it is written, for the error
     * @return the parsed expression
     * @throws ConfigException for an unterminated brace or a malformed back-reference
     */
    static Substitution parse(String text, ConfigSource source) {
        String t = text == null ? "" : text;
        List<Part> parts = new ArrayList<>();
        parse(t, 0, t.length(), parts, source);
        return new Substitution(t, parts);
    }

    private static void parse(String t, int from, int to, List<Part> parts, ConfigSource source) {
        StringBuilder literal = new StringBuilder();
        int i = from;
        while (i < to) {
            char c = t.charAt(i);
            if (c != '{') {
                literal.append(c);
                i++;
                continue;
            }
            int close = matchingBrace(t, i, to);
            if (close < 0) {
                throw new ConfigException(source, "the expression \"" + t + "\" has a '{' without its '}'");
            }
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            parts.add(reference(t, i + 1, close, source));
            i = close + 1;
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
    }

    private static int matchingBrace(String t, int open, int to) {
        int depth = 0;
        for (int i = open; i < to; i++) {
            char c = t.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static Part reference(String t, int from, int to, ConfigSource source) {
        String inner = t.substring(from, to);
        int colon = inner.indexOf(':');
        if (colon < 0) {
            if (inner.isEmpty() || inner.indexOf('{') >= 0) {
                throw new ConfigException(
                        source, "the expression \"" + t + "\" has an empty or malformed {" + inner + "}");
            }
            return new Variable(inner.trim().toUpperCase(Locale.ROOT));
        }
        String name = inner.substring(0, colon).trim();
        String argument = inner.substring(colon + 1);
        if (name.equalsIgnoreCase("R") || name.equalsIgnoreCase("C")) {
            if (argument.length() != 1 || !Character.isDigit(argument.charAt(0))) {
                throw new ConfigException(
                        source,
                        "the back-reference {" + inner + "} in \"" + t
                                + "\" must be {R:n} or {C:n} with n from 0 to 9");
            }
            return new BackReference(name.equalsIgnoreCase("R"), argument.charAt(0) - '0');
        }
        Function function =
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "tolower" -> Function.TO_LOWER;
                    case "urlencode" -> Function.URL_ENCODE;
                    case "urldecode" -> Function.URL_DECODE;
                    case "escapedatastring" -> Function.ESCAPE_DATA_STRING;
                    default -> Function.MAP;
                };
        if (name.isEmpty()) {
            throw new ConfigException(source, "the expression \"" + t + "\" has {:" + argument + "} without a name");
        }
        return new Call(name, function, parse(argument, source));
    }

    /**
     * Expands the expression.
     *
     * @param scope what variables, captures and maps are taken from
     * @return the text
     * @throws RewriteException when a rewrite map named in the expression does not exist
     */
    String expand(Scope scope) {
        if (parts.length == 1 && parts[0] instanceof Literal l) {
            return l.text();
        }
        StringBuilder out = new StringBuilder(text.length() + 32);
        for (Part p : parts) {
            switch (p) {
                case Literal l -> out.append(l.text());
                case BackReference b -> {
                    String[] captures = b.rule() ? scope.ruleCaptures() : scope.conditionCaptures();
                    if (b.index() < captures.length) {
                        out.append(captures[b.index()]);
                    }
                }
                case Variable v -> out.append(scope.serverVariable(v.name()));
                case Call c -> {
                    String argument = c.argument().expand(scope);
                    out.append(
                            switch (c.function()) {
                                case TO_LOWER -> argument.toLowerCase(Locale.ROOT);
                                case URL_ENCODE -> URLEncoder.encode(argument, StandardCharsets.UTF_8);
                                case URL_DECODE -> urlDecode(argument);
                                case ESCAPE_DATA_STRING -> escapeDataString(argument);
                                case MAP -> scope.map(c.name(), argument);
                            });
                }
            }
        }
        return out.toString();
    }

    /** @return true when the expression refers to condition captures */
    boolean usesConditionCaptures() {
        return usesConditions;
    }

    /** @return true when the expression is plain text */
    boolean isLiteral() {
        return parts.length == 0 || parts.length == 1 && parts[0] instanceof Literal;
    }

    /** @return the expression as written */
    String text() {
        return text;
    }

    /**
     * Decodes {@code %XX} escapes (UTF-8) and {@code +} as a space; a malformed escape is kept as
     * written.
     */
    static String urlDecode(String s) {
        return decode(s, true);
    }

    /** Decodes {@code %XX} escapes (UTF-8), leaving {@code +} as it is; a malformed escape is kept. */
    static String percentDecode(String s) {
        return decode(s, false);
    }

    private static String decode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                bytes.write(hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2)));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Percent-encodes a decoded URL path for {@code SetUrl}: UTF-8 for non-ASCII, and {@code %},
     * space, controls and the characters RFC 3986 does not allow in a path.
     */
    static String encodePath(String decoded) {
        StringBuilder out = null;
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c > 0x20 && c < 0x7f && "%\"<>\\^`{|}#?".indexOf(c) < 0) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(decoded.length() + 16).append(decoded, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < decoded.length() ? i + 2 : i + 1;
            for (byte b : decoded.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
            i = end - 1;
        }
        return out == null ? decoded : out.toString();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }

    /**
     * Escapes as .NET's {@code Uri.EscapeDataString}: every byte of the UTF-8 form except RFC 3986's
     * unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) becomes {@code %XX}, upper-case.
     */
    static String escapeDataString(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
