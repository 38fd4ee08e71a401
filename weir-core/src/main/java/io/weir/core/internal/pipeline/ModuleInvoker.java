package io.weir.core.internal.pipeline;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.context.RequestLog;
import io.weir.core.internal.context.RequestTraceContext;
import io.weir.core.internal.module.NotificationOverrides;
import io.weir.core.internal.module.RegisteredModule;
import io.weir.core.spi.ModuleTimings;
import io.weir.core.spi.PipelineObserver;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls one request's modules: creates each module instance on first use (its factory's
 * {@code createModule}), and runs every notification call through {@link #call}, the one place
 * that arms the event-loop watchdog, records the call in the request's trace, tells the pipeline
 * observer and turns a module's exception into the request's error. Disposes the instances when
 * the request ends. Confined to the request's event loop (a blocking notification's call runs on
 * the blocking executor while the request waits).
 */
final class ModuleInvoker {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleInvoker.class);

    /** One notification method of a module, with the provider it is given. */
    @FunctionalInterface
    interface ModuleMethod<P> {
        RequestNotificationStatus call(HttpModule module, RequestContext context, P provider);
    }

    /** How a kind of notification is called: traced or not, and what a failure does. */
    enum CallRules {
        /** A deterministic stage: traced; an exception fails the request (500) and finishes it. */
        STAGE(true, true, Failure.FAIL_REQUEST),
        /** SEND_RESPONSE: traced; an exception fails the response (a 500, or a dropped connection after the headers). */
        SEND_RESPONSE(true, false, Failure.FAIL_SEND),
        /** CUSTOM_NOTIFICATION: an exception fails the request and stops the delivery. */
        CUSTOM(false, true, Failure.FAIL_REQUEST),
        /**
         * READ_ENTITY and MAP_PATH: a null status counts as CONTINUE; an exception fails the request
         * (the raiser then finishes it once the notification method that caused the event returns).
         */
        EVENT(false, false, Failure.FAIL_REQUEST);

        final boolean traced;
        final boolean requireStatus;
        final Failure failure;

        CallRules(boolean traced, boolean requireStatus, Failure failure) {
            this.traced = traced;
            this.requireStatus = requireStatus;
            this.failure = failure;
        }
    }

    private enum Failure {
        FAIL_REQUEST,
        FAIL_SEND
    }

    private final RequestPipeline pipeline;
    private final RequestContext context;
    private final PipelinePlan plan;
    private final HttpModule[] instances;
    private final PipelineObserver observer;
    /** The table this request's calls are timed into, or null when the request is not in the sample. */
    private final ModuleTimings timings;
    /** The slot whose method {@link #call} is running (the innermost of nested calls), or -1. */
    private int calling = -1;
    /** How many {@link #call}s are running, nested (a raised notification inside a stage call is 2). */
    private int nesting;

    ModuleInvoker(RequestPipeline pipeline, RequestContext context, PipelinePlan plan, PipelineObserver observer) {
        this.pipeline = pipeline;
        this.context = context;
        this.plan = plan;
        this.instances = new HttpModule[plan.modules().length];
        this.observer = observer != null && observer.observesNotifications() ? observer : null;
        this.timings = observer == null ? null : ModuleTimings.sample(observer.moduleTimings());
    }

    /**
     * Calls one module's notification method.
     *
     * @param slot     the module's slot in the plan
     * @param n        the notification
     * @param isPost   whether it is the post-notification
     * @param probe    the event-loop watchdog's probe to arm, or null when the call is nested in
     *                 another module's call (whose probe stays armed)
     * @param method   the method to call
     * @param provider the provider it is given
     * @param rules    how the call is traced and what its failure does
     * @return the module's status; FINISH_REQUEST when it threw (CONTINUE for {@link CallRules#EVENT})
     */
    <P> RequestNotificationStatus call(
            int slot,
            RequestNotification n,
            boolean isPost,
            EventLoopWatchdog.Probe probe,
            ModuleMethod<P> method,
            P provider,
            CallRules rules) {
        RequestNotificationStatus status;
        Throwable error = null;
        RequestTraceContext t = rules.traced ? context.activeTrace() : null;
        long started = t == null ? 0 : t.moduleStart(moduleName(slot), n, isPost);
        if (probe != null) {
            probe.enter(pipeline, slot, n, isPost);
        }
        int outer = calling;
        calling = slot;
        nesting++;
        long timed = timings == null ? 0 : System.nanoTime();
        try {
            status = method.call(instance(slot), context, provider);
            if (status == null && rules.requireStatus) {
                throw new IllegalStateException("returned null instead of a RequestNotificationStatus");
            }
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            status = failed(slot, n, isPost, e, rules, provider);
            error = e;
        } finally {
            calling = outer;
            nesting--;
            if (probe != null) {
                probe.exit();
            }
        }
        if (timings != null) {
            timings.record(moduleName(slot), n, isPost, System.nanoTime() - timed);
        }
        if (status == null) {
            status = RequestNotificationStatus.CONTINUE;
        }
        if (observer != null) {
            observe(slot, n, isPost, PipelineObserver.Kind.CALL, status, error);
        }
        if (t != null) {
            t.moduleEnd(moduleName(slot), n, isPost, status, started);
        }
        return status;
    }

    private RequestNotificationStatus failed(
            int slot, RequestNotification n, boolean isPost, Throwable error, CallRules rules, Object provider) {
        switch (rules.failure) {
            case FAIL_REQUEST -> {
                return fail(slot, n, isPost, error, rules.traced);
            }
            default -> {
                // SEND_RESPONSE: a 500 while the headers are unsent; a later send drops the connection,
                // as the response cannot be completed truthfully.
                String module = moduleName(slot);
                RequestLog.error(LOG, context, "module '{}' threw in {} for {}", module, n, context.describe(), error);
                context.recordError(module, n, false);
                context.failResponse(error);
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        }
    }

    /**
     * A module threw (or returned null) in a notification: logged with the module and the
     * notification, recorded as the module that set the error, and the response becomes a 500.
     *
     * @return FINISH_REQUEST
     */
    RequestNotificationStatus fail(int slot, RequestNotification n, boolean isPost, Throwable error, boolean traced) {
        String module = moduleName(slot);
        RequestLog.error(
                LOG,
                context,
                "module '{}' threw in {}{} for {}",
                module,
                isPost ? "POST_" : "",
                n,
                context.describe(),
                error);
        context.recordError(module, n, isPost);
        context.failResponse(error);
        RequestTraceContext t = traced ? context.activeTrace() : null;
        if (t != null) {
            t.moduleFailed(module, (isPost ? "POST_" : "") + n, error);
        }
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    /** Where a blocking call's outcome goes, on the request's event loop. */
    @FunctionalInterface
    interface BlockingOutcome {
        void accept(RequestNotificationStatus status, Throwable error);
    }

    /**
     * Runs a module's stage method (or, with {@code completion}, its onAsyncCompletion) on the
     * blocking executor and delivers the outcome back on the event loop; when the executor refuses
     * the task, the outcome (its refusal) is delivered at once on the calling thread.
     */
    /**
     * Calls the parked module's {@code onAsyncCompletion} ({@code PostCompletion}) on the event
     * loop, under the watchdog, and reports it to the observer; an exception fails the request as
     * a notification's would.
     *
     * @param endStages whether the cursor is in LOG_REQUEST or END_REQUEST (FINISH_REQUEST counts
     *                  as CONTINUE there)
     * @return the module's status
     */
    RequestNotificationStatus callAsyncCompletion(
            RequestPipeline pipeline,
            int slot,
            RequestNotification stage,
            boolean isPost,
            RequestNotification current,
            CompletionInfo info,
            boolean endStages) {
        RequestNotificationStatus status;
        Throwable error = null;
        EventLoopWatchdog.Probe p = EventLoopWatchdog.probe();
        p.enter(pipeline, slot, stage, isPost);
        try {
            status = instance(slot).onAsyncCompletion(context, current, isPost, context, info);
            if (status == null) {
                throw new IllegalStateException("onAsyncCompletion returned null");
            }
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            status = fail(slot, stage, isPost, e, true);
            error = e;
        } finally {
            p.exit();
        }
        if (endStages && status == RequestNotificationStatus.FINISH_REQUEST) {
            status = RequestNotificationStatus.CONTINUE;
        }
        observe(slot, current, isPost, PipelineObserver.Kind.ASYNC_COMPLETION, status, error);
        return status;
    }

    void callBlocking(
            int slot,
            RequestNotification n,
            boolean isPost,
            CompletionInfo completion,
            Executor blocking,
            Executor loop,
            BlockingOutcome outcome) {
        Runnable task = () -> {
            RequestNotificationStatus status = null;
            Throwable error = null;
            try {
                HttpModule m = instance(slot);
                status = completion != null
                        ? m.onAsyncCompletion(context, n, isPost, context, completion)
                        : isPost ? StageMethods.callPost(m, n, context) : StageMethods.call(m, n, context);
                if (status == null) {
                    throw new IllegalStateException("returned null instead of a RequestNotificationStatus");
                }
            } catch (Throwable t) {
                error = t;
            }
            RequestNotificationStatus result = status;
            Throwable failure = error;
            try {
                loop.execute(() -> outcome.accept(result, failure));
            } catch (RejectedExecutionException e) {
                RequestLog.error(
                        LOG, context, "the event loop of {} is gone; the request is abandoned", context.describe(), e);
            }
        };
        try {
            blocking.execute(task);
        } catch (RejectedExecutionException e) {
            outcome.accept(null, e);
        }
    }

    /** @return the request's instance of the module in a slot, created on first use */
    HttpModule instance(int slot) {
        HttpModule m = instances[slot];
        if (m == null) {
            RegisteredModule module = plan.modules()[slot];
            m = module.factory().createModule(context);
            if (m == null) {
                throw new IllegalStateException("the factory of module '" + module.name() + "' returned null");
            }
            NotificationOverrides.check(module, m);
            instances[slot] = m;
        }
        return m;
    }

    /**
     * Takes over the per-request instances of the modules that {@code previous}'s plan shares with
     * this one (by module name), so that a module keeps its instance when a rewritten URL maps the
     * request to another plan; the instances taken are removed from {@code previous}.
     *
     * @param previous the invoker of the plan being replaced
     */
    void adoptInstances(ModuleInvoker previous) {
        for (int i = 0; i < instances.length; i++) {
            String name = plan.modules()[i].name();
            for (int j = 0; j < previous.instances.length; j++) {
                if (previous.instances[j] != null
                        && previous.plan.modules()[j].name().equals(name)) {
                    instances[i] = previous.instances[j];
                    previous.instances[j] = null;
                    break;
                }
            }
        }
    }

    /** Calls {@code dispose()} on every instance the request created, once, at its end. */
    void disposeAll() {
        for (int i = 0; i < instances.length; i++) {
            HttpModule m = instances[i];
            if (m != null) {
                instances[i] = null;
                try {
                    m.dispose();
                } catch (RuntimeException | LinkageError e) {
                    RequestLog.error(
                            LOG,
                            context,
                            "module '{}' threw from dispose() for {}",
                            plan.modules()[i].name(),
                            context.describe(),
                            e);
                }
            }
        }
    }

    /** Tells the observer, when one is installed, about a delivery. */
    void observe(
            int slot,
            RequestNotification n,
            boolean isPost,
            PipelineObserver.Kind kind,
            RequestNotificationStatus status,
            Throwable error) {
        if (observer == null) {
            return;
        }
        try {
            observer.notified(new PipelineObserver.Event(
                    context.exchange(), context, plan.modules()[slot].name(), n, isPost, kind, status, error));
        } catch (RuntimeException e) {
            LOG.error("the pipeline observer threw; ignored", e);
        }
    }

    /** @return the slot whose notification method runs now through {@link #call}, or -1 */
    int callingSlot() {
        return calling;
    }

    /** @return true while exactly one {@link #call} runs: a stage's own call, not a notification it raised */
    boolean inOutermostCall() {
        return nesting == 1;
    }

    String moduleName(int slot) {
        return plan.modules()[slot].name();
    }
}
