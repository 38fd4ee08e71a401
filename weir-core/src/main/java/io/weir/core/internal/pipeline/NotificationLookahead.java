package io.weir.core.internal.pipeline;

import static io.weir.core.internal.pipeline.StageMethods.STAGES;

import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.NextNotification;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.context.RequestTraceContext;

/**
 * Looks ahead of a request's cursor for the calling module: {@code GetNextNotification} (move the
 * running call on to the module's next notification when nobody else would run in between) and
 * {@code GetIsLastNotification} (whether any notification of the module is ahead). Stateless; on
 * the request's event loop.
 */
final class NotificationLookahead {

    private static final int[] NONE = new int[0];

    private NotificationLookahead() {}

    /**
     * Moves the cursor to the calling module's next deterministic notification when it is the next
     * delivery of the request and no engine step lies between.
     *
     * @return the notification the call now processes, or null when it cannot move on
     */
    static NextNotification next(
            RequestPipeline p, ModuleInvoker invoker, PipelinePlan plan, RequestNotificationStatus status) {
        RequestContext c = p.context;
        boolean endStages = p.phase == RequestPipeline.Phase.END_STAGES;
        if ((p.phase != RequestPipeline.Phase.STAGES && !endStages)
                || !invoker.inOutermostCall()
                || p.index >= p.slots.length
                || invoker.callingSlot() != p.slots[p.index]
                || p.parked
                || !(status == RequestNotificationStatus.CONTINUE
                        || (endStages && status == RequestNotificationStatus.FINISH_REQUEST))) {
            return null;
        }
        int slot = p.slots[p.index];
        int stage = p.stage;
        boolean post = p.post;
        if (plan.isBlocking(slot, STAGES[stage])) {
            return null;
        }
        int[] list = p.slots;
        int i = p.index + 1;
        while (true) {
            for (; i < list.length; i++) {
                if (delivered(c, plan, list[i], stage, post)) {
                    if (list[i] != slot || plan.isBlocking(slot, STAGES[stage])) {
                        return null;
                    }
                    move(p, stage, post, list, i);
                    return new NextNotification(STAGES[stage], post, c);
                }
            }
            // To the next list, unless the engine works between the two.
            RequestNotification n = STAGES[stage];
            if (!post) {
                if (n == RequestNotification.MAP_REQUEST_HANDLER) {
                    return null; // the web core checks the mapping after the event list
                }
                post = true;
                list = plan.postSlots(n);
            } else {
                if (n == RequestNotification.BEGIN_REQUEST // the re-mapping of a rewritten URL
                        || n == RequestNotification.UPDATE_REQUEST_CACHE // the final send
                        || n == RequestNotification.END_REQUEST
                        || STAGES[stage + 1] == RequestNotification.MAP_REQUEST_HANDLER) {
                    return null;
                }
                stage++;
                post = false;
                list = plan.step(STAGES[stage]).eventSlots(c, plan, STAGES[stage]);
            }
            i = 0;
        }
    }

    private static void move(RequestPipeline p, int stage, boolean post, int[] list, int index) {
        boolean newList = p.stage != stage || p.post != post;
        p.stage = stage;
        p.post = post;
        p.slots = list;
        p.index = index;
        RequestTraceContext t = p.context.activeTrace();
        if (t != null && newList) {
            t.notificationStart(STAGES[stage], post, list.length);
        }
    }

    /**
     * @return true when the module in {@code slot} gets no further notification of the request,
     *         should its current one return {@code status}
     */
    static boolean isLast(RequestPipeline p, PipelinePlan plan, int slot, RequestNotificationStatus status) {
        RequestContext c = p.context;
        RequestPipeline.Phase phase = p.phase;
        if (phase == RequestPipeline.Phase.DONE) {
            return true;
        }
        boolean beforeFinalSend = phase == RequestPipeline.Phase.STAGES;
        if (beforeFinalSend
                && contains(plan.slots(RequestNotification.SEND_RESPONSE), slot)
                && !c.isNotificationDisabled(slot, RequestNotification.SEND_RESPONSE, false)) {
            return false;
        }
        int stage;
        boolean post;
        if (phase == RequestPipeline.Phase.FINAL_SEND
                || (beforeFinalSend && status == RequestNotificationStatus.FINISH_REQUEST)) {
            stage = RequestNotification.LOG_REQUEST.ordinal();
            post = false;
        } else {
            // The rest of the current list cannot hold the module again: start at the next list.
            stage = p.stage + (p.post ? 1 : 0);
            post = !p.post;
        }
        for (; stage < STAGES.length; stage++, post = false) {
            RequestNotification n = STAGES[stage];
            if (!post && delivers(c, plan, eventSlots(c, plan, n), slot, stage, false)) {
                return false;
            }
            if (delivers(c, plan, plan.postSlots(n), slot, stage, true)) {
                return false;
            }
        }
        return true;
    }

    private static boolean delivers(
            RequestContext c, PipelinePlan plan, int[] list, int slot, int stage, boolean post) {
        return contains(list, slot) && !c.isNotificationDisabled(slot, STAGES[stage], post);
    }

    /** The event list a stage will have, without the engine's side effects (the handler mapping is read, not chosen). */
    private static int[] eventSlots(RequestContext c, PipelinePlan plan, RequestNotification n) {
        return switch (n) {
            case AUTHENTICATE_REQUEST -> c.skipsAuthentication() ? NONE : plan.slots(n);
            case EXECUTE_REQUEST_HANDLER ->
                c.scriptMap().map(plan::executeSlots).orElseGet(() -> plan.slots(n));
            default -> plan.slots(n);
        };
    }

    private static boolean delivered(RequestContext c, PipelinePlan plan, int slot, int stage, boolean post) {
        if (c.isNotificationDisabled(slot, STAGES[stage], post)) {
            return false;
        }
        return post || !plan.step(STAGES[stage]).skipsEvent(c);
    }

    private static boolean contains(int[] list, int slot) {
        for (int s : list) {
            if (s == slot) {
                return true;
            }
        }
        return false;
    }
}
