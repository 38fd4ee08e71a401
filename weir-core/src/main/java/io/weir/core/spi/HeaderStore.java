package io.weir.core.spi;

import java.util.List;

/**
 * A case-insensitive, multi-valued header store. The transport implements it over its own header
 * object for request headers so that nothing is copied unless a module asks.
 */
public interface HeaderStore {

    /** @param name the header name @return the first value, or null when absent */
    String get(String name);

    /** @param name the header name @return every value in order; empty when absent */
    List<String> getAll(String name);

    /** @return the distinct names, in first-arrival order */
    List<String> names();

    /** @param name the header name @param value the value; replaces every existing value */
    void set(String name, String value);

    /** @param name the header name @param value one more value */
    void add(String name, String value);

    /** @param name the header name to remove with all its values */
    void remove(String name);

    /** @return the number of name/value pairs */
    int size();

    /**
     * Returns the bytes the fields take in an HTTP/1.1 head: for each name/value pair, the name, ": ",
     * the value and CR LF (the access log's {@code cs-bytes}). The default walks {@link #names()}.
     *
     * @return the bytes, 0 when there are no fields
     */
    default long fieldBytes() {
        long total = 0;
        for (String name : names()) {
            for (String value : getAll(name)) {
                total += name.length() + 2 + value.length() + 2;
            }
        }
        return total;
    }
}
