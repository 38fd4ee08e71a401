package io.weir.core.internal.pipeline;

import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.core.internal.context.HeldFlush;
import io.weir.core.internal.context.RequestLog;
import io.weir.core.internal.context.RequestTraceContext;
import io.weir.core.internal.site.ServedSite;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends requests that a module left PENDING for too long: a module that returned PENDING and never
 * called {@code indicateCompletion} or {@code postCompletion} (or whose asynchronous read or write
 * never completes) would otherwise hold its request, its connection and its generation forever.
 * Once a second the event-loop watchdog's thread asks every thread that runs requests to check its
 * parked ones; a request parked longer than the deadline ends with a 500 (the engine's error page,
 * or a dropped connection when the headers are out) whose cause names the module, its notification
 * and the time it was pending, in the log and in the failed-request trace. A completion the module
 * delivers later is logged and ignored.
 *
 * <p>The deadline is the request's site's {@code limits@connectionTimeout} (120 seconds by
 * default), the time IIS lets a connection sit without progress; the system property
 * {@value #PROPERTY}, when set to a positive number of seconds, overrides it for every site. Every
 * completion that leaves the module PENDING again (one more asynchronous write of a long stream)
 * starts the count again. A request upgraded to WebSocket (status 101) stays PENDING for its whole
 * session and is exempt.
 */
final class PendingDeadline {

    private static final Logger LOG = LoggerFactory.getLogger(PendingDeadline.class);

    /** The system property holding the deadline, in seconds. */
    static final String PROPERTY = "weir.pendingDeadlineSeconds";

    private static final long SWEEP_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static long nextSweep;

    private PendingDeadline() {}

    /** @return the override in nanoseconds, read from {@value #PROPERTY}; 0 when unset or invalid (each site's own applies) */
    static long overrideNanos() {
        long seconds = Long.getLong(PROPERTY, 0L);
        return seconds > 0 ? TimeUnit.SECONDS.toNanos(seconds) : 0L;
    }

    /** @return the deadline of one request: the override, else its site's connection timeout */
    static long deadlineOf(RequestPipeline p, long override) {
        return override > 0 ? override : ((ServedSite) p.context.site()).connectionTimeoutNanos();
    }

    /** Called by the watchdog's thread on every sample; sweeps every thread's requests a few times a second. */
    static void maybeSweep(long now) {
        if (now - nextSweep < 0) {
            return;
        }
        nextSweep = now + SWEEP_PERIOD_NANOS;
        long override = overrideNanos();
        ExecutingRequests.forEachThread((list, executor) -> executor.execute(() -> sweep(list, override)));
    }

    /** On the list's own thread: ends each of its parked requests past the deadline. */
    private static void sweep(ExecutingRequests.ThreadList list, long override) {
        long now = EventLoopWatchdog.coarseNanos();
        List<RequestPipeline> expired = null;
        for (RequestPipeline p = list.head; p != null; p = p.liveNext) {
            // A WebSocket (status 101) keeps its request PENDING for the whole session, by design.
            if (p.parked
                    && now - p.parkedSince > deadlineOf(p, override)
                    && p.context.response().statusCode() != 101) {
                if (expired == null) {
                    expired = new ArrayList<>(2);
                }
                expired.add(p);
            }
        }
        if (expired != null) {
            for (RequestPipeline p : expired) {
                expire(p, now, deadlineOf(p, override));
            }
        }
    }

    private static void expire(RequestPipeline p, long now, long deadline) {
        if (!p.parked || p.isDone()) {
            return;
        }
        int heldSend = p.notifications().pendingSendSlot();
        boolean flush = HeldFlush.isHeld(p.context);
        String module = flush ? p.moduleName(heldSend) : p.currentModuleName();
        String where = flush ? "SEND_RESPONSE" : p.position();
        TimeoutException error = new TimeoutException("module '" + module + "' returned PENDING in " + where
                + " and did not complete within " + TimeUnit.NANOSECONDS.toMillis(now - p.parkedSince)
                + " ms (the pending deadline is " + TimeUnit.NANOSECONDS.toMillis(deadline) + " ms)");
        RequestLog.error(
                LOG, p.context, "{} for {}; the request ends with a 500", error.getMessage(), p.context.describe());
        p.context.recordError(
                module,
                where.equals("SEND_RESPONSE") ? RequestNotification.SEND_RESPONSE : StageMethods.STAGES[p.stage],
                p.post);
        p.context.failResponse(error);
        RequestTraceContext t = p.context.activeTrace();
        if (t != null) {
            t.moduleFailed(module, where, error);
        }
        HeldSendCompletion.drop(p);
        boolean finalSend = p.phase == RequestPipeline.Phase.FINAL_SEND;
        p.parked = false;
        p.pendingSlot = -1;
        if (flush && finalSend) {
            p.run(); // the final send waited for the flush: it goes on without it
        } else {
            p.afterResume(RequestNotificationStatus.FINISH_REQUEST);
        }
    }
}
