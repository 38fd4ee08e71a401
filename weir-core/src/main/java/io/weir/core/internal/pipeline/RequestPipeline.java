package io.weir.core.internal.pipeline;

import static io.weir.api.RequestNotification.END_REQUEST;
import static io.weir.api.RequestNotification.LOG_REQUEST;
import static io.weir.api.RequestNotification.UPDATE_REQUEST_CACHE;
import static io.weir.core.internal.pipeline.StageMethods.STAGES;

import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.core.internal.context.CurrentRequest;
import io.weir.core.internal.context.PipelineControl;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.context.RequestTraceContext;
import io.weir.core.spi.PipelineObserver;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request state machine: the one place that decides what runs next for a request. Its
 * {@link ModuleInvoker} makes every module call; each stage's own rules are {@link StageStep}s of
 * the plan; the notifications raised from within a stage are {@link RaisedNotifications}.
 *
 * <pre>
 *   STAGES      BEGIN_REQUEST … UPDATE_REQUEST_CACHE, each event list then its post list
 *      │  (FINISH_REQUEST, an exception, or a handler-mapping error jumps straight down)
 *   FINAL_SEND  the buffered response goes out, SEND_RESPONSE runs (reverse order)
 *   END_STAGES  LOG_REQUEST, post, END_REQUEST, post — always run (docs/reference/native-module-model.md)
 *   DONE        every module instance disposed, the exchange completed
 * </pre>
 *
 * The cursor is (phase, stage, post, index). A module returning PENDING parks the cursor on its
 * slot; {@link #resume} or {@link #complete} (called on the event loop by the context's completion
 * methods) re-enters {@link #run()} where it stopped, as nginx re-enters its phase loop.
 *
 * <p>Statuses: FINISH_REQUEST jumps to FINAL_SEND, except in LOG_REQUEST and END_REQUEST where it
 * counts as CONTINUE; an exception gives a 500 and counts as FINISH_REQUEST (see
 * docs/reference/native-module-model.md).
 */
public final class RequestPipeline implements PipelineControl {

    private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);

    enum Phase {
        STAGES,
        FINAL_SEND,
        END_STAGES,
        DONE
    }

    final RequestContext context;
    private final PipelineRuntime runtime;
    private PipelinePlan plan;
    private ModuleInvoker invoker;
    private RaisedNotifications notifications;
    private final boolean trackCurrent;

    Phase phase = Phase.STAGES;
    int stage;
    boolean post;
    int index;
    int[] slots;
    boolean parked;
    long parkedSince;
    private boolean finishRequested;
    int pendingSlot = -1;
    /** Made on the first blocking call: most requests make none. */
    private OffloadedCall offload;

    private final AtomicLong overruns;
    private EventLoopWatchdog.Probe probe;
    /** The intrusive list of requests in flight on this request's thread ({@link ExecutingRequests}). */
    ExecutingRequests.ThreadList liveList;

    RequestPipeline livePrev;
    RequestPipeline liveNext;
    private long startedNanos;

    /** A request's pipeline on the compiled plan of its configuration, run by a generation. */
    public RequestPipeline(PipelineRuntime runtime, RequestContext context, PipelinePlan plan) {
        this.runtime = runtime;
        this.context = context;
        this.plan = plan;
        this.invoker = new ModuleInvoker(this, context, plan, runtime.observer());
        this.notifications = new RaisedNotifications(this, invoker, context, plan);
        this.slots = plan.slots(STAGES[0]);
        this.overruns = runtime.eventLoopOverrunCounter();
        this.trackCurrent = runtime.tracksCurrentRequest();
    }

    /** Starts the request at BEGIN_REQUEST, or at the final send when it was finished before that. */
    @Override
    public void start() {
        if (context.parentContext().isEmpty()) {
            probe = EventLoopWatchdog.probe();
            startedNanos = EventLoopWatchdog.coarseNanos();
            ExecutingRequests.started(this, context.eventLoop());
        }
        if (context.finishedBeforeBegin()) {
            phase = Phase.FINAL_SEND;
        }
        RequestTraceContext t = context.activeTrace();
        if (t != null && context.parentContext().isEmpty()) {
            t.requestStart();
        }
        if (t != null && phase == Phase.STAGES) {
            t.notificationStart(STAGES[0], false, slots.length);
        }
        run();
    }

    @Override
    public boolean isDone() { // once the request has run to its end (instances disposed)
        return phase == Phase.DONE;
    }

    /** @return the slot of the module whose method runs (the innermost, for a raised notification), or -1 */
    @Override
    public int currentSlot() {
        int calling = invoker.callingSlot();
        return calling >= 0 ? calling : stageSlot();
    }

    private int stageSlot() {
        return (phase == Phase.STAGES || phase == Phase.END_STAGES) && index < slots.length ? slots[index] : -1;
    }

    /** @return the running module's name; null for the engine's own work or a non-deterministic notification */
    @Override
    public String currentModuleName() {
        int slot = parked ? pendingSlot : stageSlot();
        return slot < 0 ? null : plan.modules()[slot].name();
    }

    /** @return the name of the module in a slot of the plan */
    String moduleName(int slot) {
        return invoker.moduleName(slot);
    }

    /** @return the number of module slots of the plan */
    @Override
    public int slotCount() {
        return plan.modules().length;
    }

    /** @return the notification the cursor is on, for diagnostics */
    @Override
    public String position() {
        return switch (phase) {
            case STAGES, END_STAGES -> (post ? "POST_" : "") + STAGES[stage];
            case FINAL_SEND -> "SEND_RESPONSE";
            case DONE -> "DONE";
        };
    }

    void run() {
        probe = EventLoopWatchdog.probe();
        if (!trackCurrent) {
            walk();
            return;
        }
        RequestContext previous = CurrentRequest.enter(context);
        try {
            walk();
        } finally {
            CurrentRequest.exit(previous);
        }
    }

    private void walk() {
        while (true) {
            switch (phase) {
                case DONE -> {
                    return;
                }
                case FINAL_SEND -> {
                    RequestTraceContext t = context.activeTrace();
                    if (t != null
                            && !notifications.hasSendResponseModules()
                            && context.parentContext().isEmpty()) {
                        t.notificationStart(RequestNotification.SEND_RESPONSE, false, 0);
                    }
                    try {
                        if (context.finalSend()) {
                            parkOn(notifications.pendingSendSlot());
                            return;
                        }
                    } catch (RuntimeException e) {
                        // The end stages and dispose must still run, or the request never ends
                        // (its generation would never drain).
                        LOG.error("the final send of {} failed; going on with the end stages", context.describe(), e);
                    }
                    enterEndStages();
                    continue;
                }
                default -> {}
            }
            while (index < slots.length) {
                int slot = slots[index];
                if (skip(slot)) {
                    index++;
                    continue;
                }
                if (plan.isBlocking(slot, STAGES[stage])) {
                    offload().start(invoker, slot, STAGES[stage], post, null);
                    return;
                }
                RequestNotificationStatus status = finishing(invoke(slot));
                if (status == RequestNotificationStatus.PENDING) {
                    parkOn(slot);
                    return;
                }
                index++;
                runIdleAfterUrlChange();
                if (status == RequestNotificationStatus.FINISH_REQUEST && phase == Phase.STAGES) {
                    phase = Phase.FINAL_SEND;
                    break;
                }
            }
            if (phase == Phase.FINAL_SEND) {
                continue;
            }
            if (phase == Phase.STAGES && !post && !plan.step(STAGES[stage]).afterEvents(context, plan)) {
                phase = Phase.FINAL_SEND;
                continue;
            }
            advance();
        }
    }

    private void advance() {
        if (!post) {
            post = true;
        } else {
            post = false;
            stage++;
            if (phase == Phase.STAGES && STAGES[stage - 1] == RequestNotification.BEGIN_REQUEST && !remap()) {
                phase = Phase.FINAL_SEND;
                return;
            }
        }
        if (phase == Phase.STAGES && stage > UPDATE_REQUEST_CACHE.ordinal()) {
            phase = Phase.FINAL_SEND;
            return;
        }
        if (phase == Phase.END_STAGES && stage > END_REQUEST.ordinal()) {
            finish();
            return;
        }
        beginList();
    }

    /**
     * After BEGIN_REQUEST, when a module rewrote the URL: goes on with the plan of the new URL's
     * configuration (modules, handler mappings), as IIS maps a rewritten request again. A module
     * present in both plans keeps its per-request instance; one absent from the new plan is
     * disposed now.
     *
     * @return false when the new URL's configuration is invalid (the response is a 500.19)
     */
    private boolean remap() {
        PipelinePlan next = RewrittenUrlPlan.of(runtime, context, plan);
        if (next == null) {
            return false;
        }
        if (next == plan) {
            return true;
        }
        ModuleInvoker nextInvoker = new ModuleInvoker(this, context, next, runtime.observer());
        nextInvoker.adoptInstances(invoker);
        invoker.disposeAll();
        context.forgetDisabledNotifications();
        plan = next;
        invoker = nextInvoker;
        notifications = new RaisedNotifications(this, nextInvoker, context, next);
        return true;
    }

    /** A READ_ENTITY or MAP_PATH subscriber finished the request (or threw): it finishes once the running method completes. */
    void finishAfterCurrentCall() {
        finishRequested = true;
    }

    private RequestNotificationStatus finishing(RequestNotificationStatus status) {
        boolean finish = finishRequested && status != RequestNotificationStatus.PENDING;
        finishRequested &= !finish;
        return finish && phase == Phase.STAGES ? RequestNotificationStatus.FINISH_REQUEST : status;
    }

    /** Once a BEGIN_REQUEST module changed the URL, the stage's rest includes modules left out as idle for the old one. */
    private void runIdleAfterUrlChange() {
        int[] all = plan.slotsWithIdle(RequestNotification.BEGIN_REQUEST);
        if (slots != all
                && !post
                && slots == plan.slots(RequestNotification.BEGIN_REQUEST)
                && context.request().urlChanged()) {
            index = PipelinePlan.indexAfter(all, slots[index - 1]);
            slots = all;
        }
    }

    private void enterEndStages() {
        phase = Phase.END_STAGES;
        stage = LOG_REQUEST.ordinal();
        post = false;
        beginList();
    }

    private void beginList() {
        index = 0;
        RequestNotification n = STAGES[stage];
        slots = post ? plan.postSlots(n) : plan.step(n).eventSlots(context, plan, n);
        RequestTraceContext t = context.activeTrace();
        if (t != null && (!post || slots.length > 0)) {
            t.notificationStart(n, post, slots.length);
        }
    }

    private boolean skip(int slot) {
        if (context.isNotificationDisabled(slot, STAGES[stage], post)) {
            return true;
        }
        return !post && plan.step(STAGES[stage]).skipsEvent(context);
    }

    private RequestNotification currentNotification() {
        return phase == Phase.FINAL_SEND ? RequestNotification.SEND_RESPONSE : STAGES[stage];
    }

    private void finish() {
        phase = Phase.DONE;
        ExecutingRequests.ended(this);
        RequestTraceContext t = context.activeTrace();
        if (t != null && context.parentContext().isEmpty()) {
            t.requestEnd();
        }
        invoker.disposeAll();
        context.ended();
    }

    /**
     * Resumes a parked request with the given status as the parked notification's result, without
     * calling the module again ({@code IndicateCompletion}).
     *
     * @param status the result: CONTINUE or FINISH_REQUEST (PENDING keeps it parked)
     */
    @Override
    public void resume(RequestNotificationStatus status) {
        if (offload != null && offload.holdEarly(status)) {
            return;
        }
        if (!parked) {
            LOG.error(
                    "indicateCompletion for {} while it was not waiting for a completion; ignored", context.describe());
            return;
        }
        if (status == RequestNotificationStatus.PENDING) {
            return;
        }
        invoker.observe(
                pendingSlot, currentNotification(), post, PipelineObserver.Kind.INDICATED_COMPLETION, status, null);
        RequestTraceContext t = context.activeTrace();
        if (t != null) {
            t.moduleCompletion(invoker.moduleName(pendingSlot), STAGES[stage], post, status, -1);
        }
        parked = false;
        pendingSlot = -1;
        afterResume(status);
    }

    @Override
    public void completeHeldSend(RequestNotificationStatus status, CompletionInfo info) {
        HeldSendCompletion.complete(this, invoker, status, info);
    }

    @Override
    public long pendingDeadlineNanos() {
        return PendingDeadline.deadlineOf(this, PendingDeadline.overrideNanos());
    }

    /** Resumes a parked request through the module's {@code onAsyncCompletion} ({@code PostCompletion}), whose result counts. */
    @Override
    public void complete(CompletionInfo info) {
        if (offload != null && offload.holdEarly(info)) {
            return;
        }
        if (!parked) {
            LOG.error("postCompletion for {} while it was not waiting for a completion; ignored", context.describe());
            return;
        }
        int slot = pendingSlot;
        if (phase != Phase.FINAL_SEND && plan.isBlocking(slot, STAGES[stage])) {
            parked = false;
            pendingSlot = -1;
            offload().start(invoker, slot, STAGES[stage], post, info);
            return;
        }
        RequestNotificationStatus status = invoker.callAsyncCompletion(
                this, slot, STAGES[stage], post, currentNotification(), info, phase == Phase.END_STAGES);
        RequestTraceContext t = context.activeTrace();
        if (t != null) {
            t.moduleCompletion(invoker.moduleName(slot), STAGES[stage], post, status, info.completionBytes());
        }
        if (status == RequestNotificationStatus.PENDING) {
            parkedSince = EventLoopWatchdog.coarseNanos(); // pending again: the deadline counts from now
            return;
        }
        parked = false;
        pendingSlot = -1;
        afterResume(status);
    }

    private OffloadedCall offload() {
        return offload != null ? offload : (offload = new OffloadedCall(this, context));
    }

    /** Parks the cursor on a slot whose module returned PENDING (after a blocking call). */
    void parkOn(int slot) {
        parked = true;
        pendingSlot = slot;
        parkedSince = EventLoopWatchdog.coarseNanos();
    }

    /** @return true in LOG_REQUEST and END_REQUEST, where FINISH_REQUEST counts as CONTINUE */
    boolean inEndStages() {
        return phase == Phase.END_STAGES;
    }

    void afterResume(RequestNotificationStatus completed) {
        if (phase == Phase.FINAL_SEND && notifications.sendCompleted(completed)) {
            run(); // the final send goes on
            return;
        }
        RequestNotificationStatus status = finishing(completed);
        index++;
        runIdleAfterUrlChange();
        if (status == RequestNotificationStatus.FINISH_REQUEST && phase == Phase.STAGES) {
            phase = Phase.FINAL_SEND;
        }
        run();
    }

    private RequestNotificationStatus invoke(int slot) {
        RequestNotificationStatus status = invoker.call(
                slot,
                STAGES[stage],
                post,
                probe,
                post ? StageMethods.POST : StageMethods.EVENT,
                STAGES[stage],
                ModuleInvoker.CallRules.STAGE);
        if (phase == Phase.END_STAGES && status == RequestNotificationStatus.FINISH_REQUEST) {
            return RequestNotificationStatus.CONTINUE;
        }
        return status;
    }

    /** @return the notifications the context and the response raise on this request (SEND_RESPONSE, …) */
    @Override
    public RaisedNotifications notifications() {
        return notifications;
    }

    /** Unlinks a request the engine gives up on (failed outside the pipeline, connection dropped); on its event loop. */
    @Override
    public void abandon() {
        ExecutingRequests.ended(this);
    }

    /** A snapshot of this request, read on its own thread. */
    ExecutingRequests.Snapshot snapshot(long now, String thread) {
        String module = currentModuleName();
        return ExecutingRequests.Snapshot.of(
                context,
                position(),
                module == null ? "" : module,
                parked ? "PENDING" : offload != null && offload.isRunning() ? "BLOCKING" : "RUNNING",
                startedNanos,
                now,
                thread);
    }

    /** A snapshot of this request while a module call holds its thread (read from another thread). */
    ExecutingRequests.Snapshot heldSnapshot(int slot, RequestNotification n, boolean isPost, long now, String thread) {
        return ExecutingRequests.Snapshot.of(
                context, (isPost ? "POST_" : "") + n, invoker.moduleName(slot), "HELD", startedNanos, now, thread);
    }

    /** @return the engine's overrun counter */
    AtomicLong overrunCounter() {
        return overruns;
    }

    /** Describes a call for the watchdog's log line; reads only fields safe from another thread (immutable plan, URL). */
    String describeCall(int slot, RequestNotification n, boolean isPost) {
        return "module '" + plan.modules()[slot].name() + "' in " + (isPost ? "POST_" : "") + n + " for "
                + context.describe();
    }
}
