package io.weir.cli.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A collection item in appcmd's syntax: {@code /+[name='value',…]} adds an item to the section's
 * collection, {@code /+files.[value='home.html']} to the collection of a child element (dots name
 * the path), as {@code appcmd set config /section:staticContent /+[fileExtension='.x',mimeType='y']}
 * does. A value is quoted with single quotes and may hold commas; {@code ''} inside it is one
 * quote.
 *
 * @param path       the child elements from the section to the collection's element, empty for
 *                   the section itself
 * @param attributes the item's attributes, in the order given
 */
record CollectionItem(List<String> path, Map<String, String> attributes) {

    private static final Pattern SYNTAX = Pattern.compile("/\\+((?:[A-Za-z_][\\w-]*\\.)*)\\[(.*)\\]", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][\\w.-]*");

    CollectionItem {
        path = List.copyOf(path);
        attributes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /**
     * Reads an argument when it is in the collection syntax.
     *
     * @param raw the argument
     * @return the item; empty when the argument does not start with {@code /+}
     * @throws IllegalArgumentException when it starts with {@code /+} but is malformed
     */
    static Optional<CollectionItem> parse(String raw) {
        if (!raw.startsWith("/+")) {
            return Optional.empty();
        }
        Matcher m = SYNTAX.matcher(raw);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + raw + "' is not /+[name='value',...] or /+child.[name='value',...]");
        }
        String prefix = m.group(1);
        List<String> path = prefix.isEmpty()
                ? List.of()
                : Arrays.asList(prefix.substring(0, prefix.length() - 1).split("\\."));
        Map<String, String> attributes = new LinkedHashMap<>();
        String body = m.group(2);
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            if (eq < 0) {
                throw new IllegalArgumentException(
                        "'" + raw + "': expected name='value' at '" + body.substring(i) + "'");
            }
            String name = body.substring(i, eq).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + raw + "': '" + name + "' is not an attribute name");
            }
            int at = eq + 1;
            StringBuilder value = new StringBuilder();
            if (at < body.length() && body.charAt(at) == '\'') {
                at++;
                while (true) {
                    if (at >= body.length()) {
                        throw new IllegalArgumentException(
                                "'" + raw + "': the value of " + name + " has no closing quote");
                    }
                    char c = body.charAt(at);
                    if (c == '\'') {
                        if (at + 1 < body.length() && body.charAt(at + 1) == '\'') {
                            value.append('\'');
                            at += 2;
                            continue;
                        }
                        at++;
                        break;
                    }
                    value.append(c);
                    at++;
                }
            } else {
                int comma = body.indexOf(',', at);
                int end = comma < 0 ? body.length() : comma;
                value.append(body, at, end);
                at = end;
            }
            if (attributes.put(name, value.toString()) != null) {
                throw new IllegalArgumentException("'" + raw + "' gives " + name + " twice");
            }
            while (at < body.length() && body.charAt(at) == ' ') {
                at++;
            }
            if (at < body.length()) {
                if (body.charAt(at) != ',') {
                    throw new IllegalArgumentException("'" + raw + "': expected ',' after " + name);
                }
                at++;
            }
            i = at;
        }
        if (attributes.isEmpty()) {
            throw new IllegalArgumentException("'" + raw + "' names no attribute");
        }
        return Optional.of(new CollectionItem(path, attributes));
    }

    /** @return the item as appcmd writes it, for messages */
    String describe() {
        List<String> parts = new ArrayList<>();
        attributes.forEach((k, v) -> parts.add(k + "='" + v.replace("'", "''") + "'"));
        return (path.isEmpty() ? "" : String.join(".", path) + ".") + "[" + String.join(",", parts) + "]";
    }
}
