package io.weir.core.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small ordered, case-insensitive, multi-valued header list for responses. Not thread-safe. */
final class HeaderList {

    private final ArrayList<String> names = new ArrayList<>(8);
    private final ArrayList<String> values = new ArrayList<>(8);

    static void validate(String name, String value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        check(name);
        check(value);
    }

    private static void check(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("header holds CR, LF or NUL: " + s.replace("\r", "\\r")
                        .replace("\n", "\\n").replace("\0", "\\0"));
            }
        }
    }

    String get(String name) {
        String first = null;
        StringBuilder joined = null;
        for (int i = 0, n = names.size(); i < n; i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                if (first == null) {
                    first = values.get(i);
                } else {
                    if (joined == null) {
                        joined = new StringBuilder(first);
                    }
                    joined.append(", ").append(values.get(i));
                }
            }
        }
        return joined == null ? first : joined.toString();
    }

    void set(String name, String value) {
        remove(name);
        names.add(name);
        values.add(value);
    }

    void add(String name, String value) {
        names.add(name);
        values.add(value);
    }

    void remove(String name) {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
            }
        }
    }

    void clear() {
        names.clear();
        values.clear();
    }

    List<String> names() {
        List<String> result = new ArrayList<>(names.size());
        for (String n : names) {
            boolean seen = false;
            for (String r : result) {
                if (r.equalsIgnoreCase(n)) {
                    seen = true;
                    break;
                }
            }
            if (!seen) {
                result.add(n);
            }
        }
        return result;
    }

    List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> result = new ArrayList<>(names.size());
        for (int i = 0, n = names.size(); i < n; i++) {
            result.add(Map.entry(names.get(i), values.get(i)));
        }
        return result;
    }
}
