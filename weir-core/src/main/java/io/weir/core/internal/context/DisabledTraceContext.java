package io.weir.core.internal.context;

import io.weir.api.trace.HttpTraceContext;
import io.weir.api.trace.TraceEvent;
import io.weir.api.trace.TraceVerbosity;

/**
 * The trace context where nothing can consume events: the server-level context (which takes no
 * subscriptions in this version) and a request's context when no global module registered
 * GL_TRACE_EVENT. It reports itself disabled, drops what it is given, and refuses subscriptions
 * ({@link HttpTraceContext#setTraceConfiguration}'s default). See {@link RequestTraceContext}.
 */
public final class DisabledTraceContext implements HttpTraceContext {

    /** The one instance. */
    public static final HttpTraceContext INSTANCE = new DisabledTraceContext();

    private DisabledTraceContext() {}

    @Override
    public boolean isEnabled() {
        return false;
    }

    @Override
    public void raiseTraceEvent(TraceEvent event) {}

    @Override
    public void quickTrace(String message, String detail, TraceVerbosity verbosity) {}
}
