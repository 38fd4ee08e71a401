package io.weir.api.config;

/**
 * Where a configuration element or attribute was written.
 *
 * @param file   the configuration file, as given to the server (or {@code "<embedded>"} for the
 *               built-in default applicationHost.config)
 * @param line   the 1-based line, 0 when unknown
 * @param column the 1-based column, 0 when unknown
 */
public record ConfigSource(String file, int line, int column) {

    /** Where built-in defaults come from: no file. */
    public static final ConfigSource DEFAULTS = new ConfigSource("<schema defaults>", 0, 0);

    /**
     * Formats the location as {@code file:line:column}.
     *
     * @return the location
     */
    @Override
    public String toString() {
        return line == 0 ? file : file + ":" + line + (column == 0 ? "" : ":" + column);
    }
}
