package io.weir.core.internal.context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A small ordered, case-insensitive, multi-valued header list for responses. Entries are kept as
 * the {@code Map.Entry} objects the transport SPI takes, so sending the headers copies nothing.
 * Not thread-safe.
 */
final class HeaderList {

    private final ArrayList<Map.Entry<String, String>> entries = new ArrayList<>(8);
    /** The read-only view {@link #entries()} returns, made on its first call. */
    private List<Map.Entry<String, String>> view;

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
                throw new IllegalArgumentException("header holds CR, LF or NUL: "
                        + s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0"));
            }
        }
    }

    String get(String name) {
        String first = null;
        StringBuilder joined = null;
        for (int i = 0, n = entries.size(); i < n; i++) {
            Map.Entry<String, String> e = entries.get(i);
            if (e.getKey().equalsIgnoreCase(name)) {
                if (first == null) {
                    first = e.getValue();
                } else {
                    if (joined == null) {
                        joined = new StringBuilder(first);
                    }
                    joined.append(", ").append(e.getValue());
                }
            }
        }
        return joined == null ? first : joined.toString();
    }

    void set(String name, String value) {
        for (int i = 0, n = entries.size(); i < n; i++) {
            if (entries.get(i).getKey().equalsIgnoreCase(name)) {
                entries.set(i, Map.entry(name, value));
                removeAfter(i, name);
                return;
            }
        }
        entries.add(Map.entry(name, value));
    }

    private void removeAfter(int index, String name) {
        for (int i = entries.size() - 1; i > index; i--) {
            if (entries.get(i).getKey().equalsIgnoreCase(name)) {
                entries.remove(i);
            }
        }
    }

    /** Appends {@code value} to the first field named {@code name} after a comma, or adds the field. */
    void append(String name, String value) {
        for (int i = 0, n = entries.size(); i < n; i++) {
            Map.Entry<String, String> entry = entries.get(i);
            if (entry.getKey().equalsIgnoreCase(name)) {
                entries.set(i, Map.entry(entry.getKey(), entry.getValue() + "," + value));
                return;
            }
        }
        entries.add(Map.entry(name, value));
    }

    void add(String name, String value) {
        entries.add(Map.entry(name, value));
    }

    void remove(String name) {
        removeAfter(-1, name);
    }

    void clear() {
        entries.clear();
    }

    List<String> names() {
        List<String> result = new ArrayList<>(entries.size());
        for (Map.Entry<String, String> e : entries) {
            String n = e.getKey();
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

    /** @return a read-only view of the entries in order; valid until the next change */
    /** @return a copy of the entries, for {@link #restore} */
    List<Map.Entry<String, String>> snapshot() {
        return new ArrayList<>(entries);
    }

    /** @param snapshot what {@link #snapshot} returned: the entries become exactly those */
    void restore(List<Map.Entry<String, String>> snapshot) {
        entries.clear();
        entries.addAll(snapshot);
    }

    List<Map.Entry<String, String>> entries() {
        return view != null ? view : (view = Collections.unmodifiableList(entries));
    }
}
