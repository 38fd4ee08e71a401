package io.weir.api.provider;

import io.weir.api.ModuleId;
import io.weir.api.http.HttpContext;
import io.weir.api.trace.TraceEvent;
import java.util.Optional;

/**
 * The provider of GL_TRACE_EVENT; mirrors IIS's {@code IGlobalTraceEventProvider}.
 */
public interface GlobalTraceEventProvider {

    /**
     * Returns the event raised. Mirrors {@code GetTraceEvent}.
     *
     * @return the event
     */
    TraceEvent traceEvent();

    /**
     * Tells whether a module subscribed to this event's provider and area. Mirrors
     * {@code CheckSubscription}.
     *
     * @param moduleId the module
     * @return true when subscribed
     */
    boolean checkSubscription(ModuleId moduleId);

    /**
     * Returns the request the event belongs to. Mirrors {@code GetCurrentHttpRequestContext}.
     *
     * @return the request's context, or empty for a server-level event
     */
    Optional<HttpContext> currentHttpContext();
}
