package io.weir.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * How often the engine raises its periodic global notifications, on its timer thread (never on an
 * event loop).
 *
 * @param healthCheckInterval  GL_HEALTH_CHECK; default 30 s, IIS's application-pool
 *                             {@code processModel@pingInterval} default (the health ping WAS sends
 *                             a worker process)
 * @param cacheCleanupInterval GL_CACHE_CLEANUP, after the engine's own file cache has dropped its
 *                             expired entries; default 60 s (IIS documents no scavenger period for
 *                             its user-mode caches: Weir's choice)
 */
public record PeriodicSettings(Duration healthCheckInterval, Duration cacheCleanupInterval) {

    /** The system property that overrides {@link #healthCheckInterval} (ISO-8601, e.g. {@code PT10S}, or seconds). */
    public static final String HEALTH_CHECK_PROPERTY = "weir.healthCheckInterval";
    /** The system property that overrides {@link #cacheCleanupInterval} (ISO-8601 or seconds). */
    public static final String CACHE_CLEANUP_PROPERTY = "weir.cacheCleanupInterval";

    /**
     * Validates the intervals.
     *
     * @throws IllegalArgumentException if an interval is not positive
     */
    public PeriodicSettings {
        Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
        Objects.requireNonNull(cacheCleanupInterval, "cacheCleanupInterval");
        if (healthCheckInterval.isNegative()
                || healthCheckInterval.isZero()
                || cacheCleanupInterval.isNegative()
                || cacheCleanupInterval.isZero()) {
            throw new IllegalArgumentException("periodic intervals must be positive");
        }
    }

    /** @return 30 s for HEALTH_CHECK, 60 s for CACHE_CLEANUP */
    public static PeriodicSettings defaults() {
        return new PeriodicSettings(Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    /**
     * The defaults, overridden by the {@value #HEALTH_CHECK_PROPERTY} and
     * {@value #CACHE_CLEANUP_PROPERTY} system properties when set.
     *
     * @return the settings
     * @throws IllegalArgumentException if a property is neither an ISO-8601 duration nor a number of seconds
     */
    public static PeriodicSettings fromSystemProperties() {
        PeriodicSettings d = defaults();
        return new PeriodicSettings(
                parse(System.getProperty(HEALTH_CHECK_PROPERTY), d.healthCheckInterval()),
                parse(System.getProperty(CACHE_CLEANUP_PROPERTY), d.cacheCleanupInterval()));
    }

    private static Duration parse(String value, Duration fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String v = value.strip();
        try {
            return v.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(v)) : Duration.parse(v);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: " + value, e);
        }
    }
}
