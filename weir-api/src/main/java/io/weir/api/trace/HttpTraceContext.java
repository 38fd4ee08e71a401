package io.weir.api.trace;

/**
 * Raises trace events for a request or the server; mirrors IIS's {@code IHttpTraceContext}.
 * Events reach GL_TRACE_EVENT subscribers and failed-request tracing. Thread-safe.
 */
public interface HttpTraceContext {

    /**
     * Tells whether anybody consumes trace events, so that callers can skip building them.
     *
     * @return true when a consumer is subscribed
     */
    boolean isEnabled();

    /**
     * Raises an event. Mirrors {@code RaiseTraceEvent}. Does nothing when no consumer is subscribed.
     *
     * @param event the event
     */
    void raiseTraceEvent(TraceEvent event);

    /**
     * Writes a message into the trace. Mirrors {@code QuickTrace}.
     *
     * @param message   the message
     * @param detail    a second message, may be empty
     * @param verbosity the level ({@link TraceVerbosity#INFO} is IIS's default)
     */
    void quickTrace(String message, String detail, TraceVerbosity verbosity);
}
