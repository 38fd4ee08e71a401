package io.weir.api.trace;

import io.weir.api.ModuleId;
import java.util.List;

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
     * Subscribes a module to the events of this trace context, replacing what it asked for before;
     * mirrors {@code SetTraceConfiguration}. The events that match one of the configurations are
     * delivered, through {@link io.weir.api.GlobalNotification#TRACE_EVENT}, to the global modules
     * registered for it, and {@link io.weir.api.provider.GlobalTraceEventProvider#checkSubscription}
     * tells each whether it is the subscriber. On a request's context (from
     * {@link io.weir.api.http.HttpContext#traceContext()}) the subscription covers that request and
     * its child requests, and makes {@link #isEnabled()} true for it: the engine then raises, for
     * that request only, GENERAL_REQUEST_START, HANDLER_CHANGED, NOTIFY_MODULE_START /
     * NOTIFY_MODULE_END (with the status returned and the elapsed milliseconds) for every
     * notification, NOTIFY_MODULE_COMPLETION, MODULE_SET_RESPONSE_ERROR_STATUS and
     * GENERAL_REQUEST_END. Call it in GL_PRE_BEGIN_REQUEST to see the whole request.
     *
     * @param module         the subscribing module's id
     * @param configurations what it wants; empty to unsubscribe
     * @throws UnsupportedOperationException on a context that cannot be subscribed to: in this
     *         version the server-level context ({@link io.weir.api.HttpServer#traceContext()}), and a
     *         request's context when no global module registered TRACE_EVENT (nothing could receive
     *         the events)
     */
    default void setTraceConfiguration(ModuleId module, List<TraceConfiguration> configurations) {
        throw new UnsupportedOperationException("this trace context takes no subscriptions");
    }

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
