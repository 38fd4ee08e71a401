package io.weir.api.trace;

import java.time.Instant;
import java.util.Map;

/**
 * A trace event; the Java form of IIS's {@code HTTP_TRACE_EVENT}.
 *
 * @param provider  the provider's name, for example {@code "WWW Server"}
 * @param area      the area within the provider, for example {@code "Module"}
 * @param name      the event's name, for example {@code "NOTIFY_MODULE_START"}
 * @param verbosity the level
 * @param timestamp when it happened
 * @param items     the event's named values, in order
 */
public record TraceEvent(String provider, String area, String name, TraceVerbosity verbosity,
        Instant timestamp, Map<String, String> items) {
}
