package io.weir.core.internal.pipeline;

import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.context.RequestTraceContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking module's notification ({@code ModuleRegistrationInfo.setBlocking}) run on the
 * server's blocking executor while the request's cursor stays on the module's slot, as when it is
 * parked. A completion that the module signals before its call has returned PENDING is held here
 * and delivered once it has. Created and read on the request's event loop; the call itself runs on
 * a blocking thread and comes back through the event loop.
 */
final class OffloadedCall {

    private static final Logger LOG = LoggerFactory.getLogger(OffloadedCall.class);

    private final RequestPipeline pipeline;
    private final RequestContext context;
    private boolean running;
    private RequestNotificationStatus earlyStatus;
    private CompletionInfo earlyInfo;
    private RequestTraceContext trace;
    private long traceStarted;

    OffloadedCall(RequestPipeline pipeline, RequestContext context) {
        this.pipeline = pipeline;
        this.context = context;
    }

    /** @return true while a notification runs on the blocking executor */
    boolean isRunning() {
        return running;
    }

    /**
     * Holds an {@code IndicateCompletion} that arrived while the call still runs.
     *
     * @return true when it was held (the pipeline must not act on it now)
     */
    boolean holdEarly(RequestNotificationStatus status) {
        if (running && earlyStatus == null && earlyInfo == null) {
            earlyStatus = status;
            return true;
        }
        return false;
    }

    /**
     * Holds a {@code PostCompletion} that arrived while the call still runs.
     *
     * @return true when it was held
     */
    boolean holdEarly(CompletionInfo info) {
        if (running && earlyStatus == null && earlyInfo == null) {
            earlyInfo = info;
            return true;
        }
        return false;
    }

    /**
     * Runs the module's notification method (or, with {@code completion}, its onAsyncCompletion) on
     * the blocking executor.
     */
    void start(ModuleInvoker invoker, int slot, RequestNotification n, boolean isPost, CompletionInfo completion) {
        running = true;
        trace = context.activeTrace();
        if (trace != null && completion == null) {
            traceStarted = trace.moduleStart(invoker.moduleName(slot), n, isPost);
        }
        long completionBytes = completion == null ? Long.MIN_VALUE : completion.completionBytes();
        invoker.callBlocking(
                slot,
                n,
                isPost,
                completion,
                context.server().blockingExecutor(),
                context.eventLoop(),
                (result, failure) -> ended(invoker, slot, n, isPost, result, failure, completionBytes));
    }

    private void ended(
            ModuleInvoker invoker,
            int slot,
            RequestNotification n,
            boolean isPost,
            RequestNotificationStatus result,
            Throwable error,
            long completionBytes) {
        running = false;
        RequestNotificationStatus status = error != null ? invoker.fail(slot, n, isPost, error, true) : result;
        RequestTraceContext t = trace;
        trace = null;
        if (t != null && completionBytes == Long.MIN_VALUE) {
            t.moduleEnd(invoker.moduleName(slot), n, isPost, status, traceStarted);
        } else if (t != null) {
            t.moduleCompletion(invoker.moduleName(slot), n, isPost, status, completionBytes);
        }
        if (pipeline.inEndStages() && status == RequestNotificationStatus.FINISH_REQUEST) {
            status = RequestNotificationStatus.CONTINUE;
        }
        RequestNotificationStatus early = earlyStatus;
        CompletionInfo earlyCompletion = earlyInfo;
        earlyStatus = null;
        earlyInfo = null;
        if (status == RequestNotificationStatus.PENDING) {
            pipeline.parkOn(slot);
            if (early != null) {
                pipeline.resume(early);
            } else if (earlyCompletion != null) {
                pipeline.complete(earlyCompletion);
            }
            return;
        }
        if (early != null || earlyCompletion != null) {
            LOG.error(
                    "module '{}' completed {} without returning PENDING; the completion is ignored",
                    invoker.moduleName(slot),
                    context.describe());
        }
        pipeline.afterResume(status);
    }
}
