package io.weir.core.internal.pipeline;

import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.core.internal.context.HeldFlush;
import io.weir.core.internal.context.RequestTraceContext;
import io.weir.core.spi.PipelineObserver;

/**
 * Completes the SEND_RESPONSE module that holds a flush of the response (it returned PENDING
 * from {@code onSendResponse} for a flush): IIS suspends the flush until that module completes,
 * with {@code IndicateCompletion} (its status counts) or {@code PostCompletion} (its
 * {@code OnAsyncCompletion} runs and its result counts). Then the remaining SEND_RESPONSE modules
 * run, the data goes out, an asynchronous flush's writer gets its {@code OnAsyncCompletion} once
 * the bytes are written, and a final send that waited for the flush goes on. On the request's
 * event loop.
 */
final class HeldSendCompletion {

    private HeldSendCompletion() {}

    static void complete(
            RequestPipeline pipeline, ModuleInvoker invoker, RequestNotificationStatus status, CompletionInfo info) {
        RaisedNotifications notifications = pipeline.notifications();
        int slot = notifications.pendingSendSlot();
        if (slot < 0) {
            return;
        }
        RequestNotification send = RequestNotification.SEND_RESPONSE;
        RequestNotificationStatus result = status;
        if (info != null) {
            result = invoker.callAsyncCompletion(pipeline, slot, send, false, send, info, false);
        } else if (status != RequestNotificationStatus.PENDING) {
            invoker.observe(slot, send, false, PipelineObserver.Kind.INDICATED_COMPLETION, status, null);
        }
        if (result == RequestNotificationStatus.PENDING) {
            pipeline.parkedSince = EventLoopWatchdog.coarseNanos(); // pending again: the deadline counts from now
            return;
        }
        RequestTraceContext t = pipeline.context.activeTrace();
        if (t != null) {
            t.moduleCompletion(
                    invoker.moduleName(slot), send, false, result, info == null ? -1 : info.completionBytes());
        }
        notifications.sendCompleted(result);
        boolean heldFurther = HeldFlush.proceed(pipeline.context);
        if (!pipeline.parked || pipeline.phase != RequestPipeline.Phase.FINAL_SEND) {
            return; // the writer goes on by itself (or waits for its own asynchronous flush's completion)
        }
        if (heldFurther) {
            pipeline.parkOn(notifications.pendingSendSlot());
            return;
        }
        pipeline.parked = false;
        pipeline.pendingSlot = -1;
        pipeline.run(); // the final send that waited for the flush
    }

    /**
     * Gives up a held flush whose module did not complete within the pending deadline.
     *
     * @return the slot of the module that held it, or -1 when no flush was held
     */
    static int drop(RequestPipeline pipeline) {
        if (!HeldFlush.isHeld(pipeline.context)) {
            return -1;
        }
        int slot = pipeline.notifications().pendingSendSlot();
        HeldFlush.drop(pipeline.context);
        pipeline.notifications().dropPendingSend();
        return slot;
    }
}
