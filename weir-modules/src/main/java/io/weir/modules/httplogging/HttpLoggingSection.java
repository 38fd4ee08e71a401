package io.weir.modules.httplogging;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;

/**
 * {@code system.webServer/httpLogging}: whether requests for a URL are logged. Immutable.
 *
 * @param dontLog          {@code dontLog}, default false; true: nothing is logged for the URL
 * @param selectiveLogging {@code selectiveLogging}, default LogAll
 */
public record HttpLoggingSection(boolean dontLog, SelectiveLogging selectiveLogging) {

    /** The section this record binds. */
    public static final ConfigSectionType<HttpLoggingSection> SECTION =
            ConfigSectionType.of("system.webServer/httpLogging", HttpLoggingSection::from);

    /** The values of {@code selectiveLogging}. */
    public enum SelectiveLogging {
        /** Every request. */
        LOG_ALL,
        /** Requests answered with a status from 100 to 399. */
        LOG_SUCCESSFUL,
        /** Requests answered with a status from 400 to 999. */
        LOG_ERROR
    }

    /**
     * Binds the merged section.
     *
     * @param section the section
     * @return the record
     * @throws io.weir.api.config.ConfigException when an attribute is malformed
     */
    public static HttpLoggingSection from(ConfigElement section) {
        return new HttpLoggingSection(
                section.booleanAttribute("dontLog", false),
                section.enumAttribute("selectiveLogging", SelectiveLogging.class, SelectiveLogging.LOG_ALL));
    }

    /**
     * Tells whether a request answered with a status is logged.
     *
     * @param status the status code
     * @return false when {@code dontLog} is set or {@code selectiveLogging} excludes the status
     */
    public boolean logs(int status) {
        if (dontLog) {
            return false;
        }
        return switch (selectiveLogging) {
            case LOG_ALL -> true;
            case LOG_SUCCESSFUL -> status >= 100 && status < 400;
            case LOG_ERROR -> status >= 400;
        };
    }
}
