package io.weir.core.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a request pipeline needs from the engine generation that runs it, besides the request
 * itself. Implemented by the generation; thread-safe.
 */
public interface PipelineRuntime {

    /** @return the engine's count of event-loop overruns, which the watchdog increments */
    AtomicLong eventLoopOverrunCounter();

    /** @return true when requests must record the thread they run on (a global module registered GL_THREAD_CLEANUP) */
    boolean tracksCurrentRequest();

    /** @return the observer of module notifications, or null when none is installed (the usual case) */
    PipelineObserver observer();
}
