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
public record TraceEvent(
        String provider,
        String area,
        String name,
        TraceVerbosity verbosity,
        Instant timestamp,
        Map<String, String> items) {

    /** IIS's provider of the web server's own events ({3A2A4E84-4C21-4981-AE10-3FDA0D9B0F83}). */
    public static final String WWW_SERVER = "WWW Server";
    /** The area of the request's GENERAL_* events (start, end, handler), always recorded. */
    public static final String AREA_GENERAL = "General";
    /** IIS's area of the per-module notification events (NOTIFY_MODULE_START/END/COMPLETION). */
    public static final String AREA_REQUEST_NOTIFICATIONS = "RequestNotifications";
    /** IIS's area of events raised by modules (MODULE_SET_RESPONSE_ERROR_STATUS, quick traces). */
    public static final String AREA_MODULE = "Module";
}
