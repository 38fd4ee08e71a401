package io.weir.core.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link HeaderStore} kept in a list, in the order added, for exchanges that do not come from
 * the network: the in-memory test harness, warm-up (preload) requests and the micro-benchmarks.
 * Names compare without regard to case (RFC 9110 section 5.1). Linear lookups: meant for a handful of
 * headers. Not thread-safe; used on the request's thread only.
 */
public final class ListHeaderStore implements HeaderStore {

    private final List<String[]> entries = new ArrayList<>(4);

    @Override
    public String get(String name) {
        for (String[] entry : entries) {
            if (entry[0].equalsIgnoreCase(name)) {
                return entry[1];
            }
        }
        return null;
    }

    @Override
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(1);
        for (String[] entry : entries) {
            if (entry[0].equalsIgnoreCase(name)) {
                values.add(entry[1]);
            }
        }
        return values;
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>(entries.size());
        for (String[] entry : entries) {
            if (names.stream().noneMatch(n -> n.equalsIgnoreCase(entry[0]))) {
                names.add(entry[0]);
            }
        }
        return names;
    }

    @Override
    public void set(String name, String value) {
        remove(name);
        add(name, value);
    }

    @Override
    public void add(String name, String value) {
        entries.add(new String[] {name, value});
    }

    @Override
    public void remove(String name) {
        entries.removeIf(entry -> entry[0].equalsIgnoreCase(name));
    }

    @Override
    public int size() {
        return entries.size();
    }
}
