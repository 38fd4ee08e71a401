package io.weir.api.config;

/**
 * A configuration file or value that Weir refuses, with where it was written and why. IIS answers
 * requests governed by such a file with 500.19; Weir also refuses to load such a file at start-up
 * and keeps the last good configuration on a reload.
 */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ConfigSource source;
    private final String reason;

    /**
     * Creates the exception.
     *
     * @param source where the bad configuration was written
     * @param reason what is wrong, in one sentence
     */
    public ConfigException(ConfigSource source, String reason) {
        this(source, reason, null);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param source where the bad configuration was written
     * @param reason what is wrong, in one sentence
     * @param cause  the underlying error, may be null
     */
    public ConfigException(ConfigSource source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.source = source;
        this.reason = reason;
    }

    /**
     * Returns where the bad configuration was written.
     *
     * @return file, line and column
     */
    public ConfigSource source() {
        return source;
    }

    /**
     * Returns what is wrong, without the location.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }
}
