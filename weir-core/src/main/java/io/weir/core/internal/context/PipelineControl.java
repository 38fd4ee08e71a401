package io.weir.core.internal.context;

import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;

/**
 * What a request context needs from the pipeline that runs it: starting it, resuming it after
 * PENDING, where its cursor is, and the notifications raised from within a stage. Implemented by the
 * pipeline package's request state machine; called on the request's event loop.
 */
public interface PipelineControl {

    /** Starts the request at BEGIN_REQUEST, or at the final send when it was finished before that. */
    void start();

    /** @return true once the request has run to its end (instances disposed) */
    boolean isDone();

    /** Unlinks a request the engine gives up on (its connection was dropped). */
    void abandon();

    /**
     * Resumes a parked request with the given status as the parked notification's result
     * ({@code IHttpContext::IndicateCompletion}).
     *
     * @param status the result: CONTINUE or FINISH_REQUEST (PENDING keeps it parked)
     */
    void resume(RequestNotificationStatus status);

    /**
     * Resumes a parked request through the pending module's {@code onAsyncCompletion}
     * ({@code IHttpContext::PostCompletion}, asynchronous reads, child requests).
     *
     * @param info the completion's bytes and error
     */
    void complete(CompletionInfo info);

    /**
     * Completes the SEND_RESPONSE module that holds a flush ({@link HeldFlush}): with a status
     * ({@code IndicateCompletion}) or through its {@code onAsyncCompletion} ({@code PostCompletion}),
     * then the flush goes on; a final send waiting for the flush goes on once it is out.
     *
     * @param status the status of {@code IndicateCompletion}, or null
     * @param info   the completion of {@code PostCompletion}, or null
     */
    void completeHeldSend(RequestNotificationStatus status, CompletionInfo info);

    /** @return how long a module may stay PENDING on this request, in nanoseconds (the pending deadline) */
    long pendingDeadlineNanos();

    /** @return the name of the module whose notification method runs now, or null between calls */
    String currentModuleName();

    /** @return the notification the cursor is on, for diagnostics ("POST_MAP_REQUEST_HANDLER", "DONE") */
    String position();

    /** @return the slot of the module whose notification method runs now, or -1 */
    int currentSlot();

    /** @return the number of module slots of the plan */
    int slotCount();

    /** @return the raiser of the notifications the context and the response cause */
    NotificationRaiser notifications();
}
