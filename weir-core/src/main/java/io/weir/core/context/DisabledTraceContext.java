package io.weir.core.context;

import io.weir.api.trace.HttpTraceContext;
import io.weir.api.trace.TraceEvent;
import io.weir.api.trace.TraceVerbosity;

/**
 * The trace context of this version, which has no trace consumers yet (GL_TRACE_EVENT and
 * failed-request tracing come later): it reports itself disabled and drops what it is given.
 */
public final class DisabledTraceContext implements HttpTraceContext {

    /** The one instance. */
    public static final HttpTraceContext INSTANCE = new DisabledTraceContext();

    private DisabledTraceContext() {
    }

    @Override
    public boolean isEnabled() {
        return false;
    }

    @Override
    public void raiseTraceEvent(TraceEvent event) {
    }

    @Override
    public void quickTrace(String message, String detail, TraceVerbosity verbosity) {
    }
}
