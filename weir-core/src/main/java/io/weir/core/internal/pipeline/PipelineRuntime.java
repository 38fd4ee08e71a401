package io.weir.core.internal.pipeline;

import io.weir.config.EffectiveConfig;
import io.weir.core.internal.site.ServedApplication;
import io.weir.core.spi.PipelineObserver;
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

    /**
     * @param config      an effective configuration of this generation
     * @param application the request's application, whose modules added in
     *                    GL_APPLICATION_RESOLVE_MODULES join the plan
     * @return the compiled plan (compiled once per configuration and application, then cached)
     * @throws io.weir.api.config.ConfigException when the module or handler lists cannot be compiled
     */
    PipelinePlan plan(EffectiveConfig config, ServedApplication application);
}
