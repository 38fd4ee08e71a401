package io.weir.core.internal.pipeline;

import io.weir.core.internal.context.RequestContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The requests in flight, for {@code weir list requests}; the counterpart of IIS's
 * RequestMonitorModule ({@code appcmd list requests}, RSCA's executing-requests query).
 *
 * <p>Cheap on the request path: every thread that starts pipelines keeps an intrusive,
 * doubly-linked list of its top-level requests (two plain field writes to link, two to unlink, no
 * allocation, no lock), and a request's start time comes from the watchdog's coarse clock (one
 * volatile read, accurate to one watchdog period, at most 10 ms). A request is confined to its event
 * loop, so it is linked, unlinked and read there: {@link #snapshot} runs a task on each thread's
 * executor and waits for the answers. An event loop that does not answer within the timeout is held
 * by a module; it is reported as such (with the call the watchdog sees), not waited for.
 */
public final class ExecutingRequests {

    private static final Queue<ThreadList> LISTS = new ConcurrentLinkedQueue<>();
    private static final ThreadLocal<ThreadList> CURRENT = new ThreadLocal<>();

    private ExecutingRequests() {}

    /**
     * One request in flight, as {@code appcmd list requests} shows it.
     *
     * @param verb          the verb
     * @param url           the URL as received
     * @param site          the site's name
     * @param notification  the notification it is in (e.g. {@code "BEGIN_REQUEST"}, {@code "POST_…"},
     *                      {@code "SEND_RESPONSE"}), or {@code "EVENT_LOOP_BUSY"} for an event loop
     *                      that did not answer
     * @param module        the module whose notification it is in (running, parked or offloaded), or
     *                      empty between modules
     * @param state         {@code RUNNING} (on its event loop), {@code PENDING} (parked until a
     *                      completion), {@code BLOCKING} (in a blocking notification on a virtual
     *                      thread), or {@code HELD} (its event loop did not answer)
     * @param elapsedMillis time since the request started, accurate to about 10 ms
     * @param thread        the name of its event loop thread
     */
    public record Snapshot(
            String verb,
            String url,
            String site,
            String notification,
            String module,
            String state,
            long elapsedMillis,
            String thread) {

        static Snapshot of(
                RequestContext context,
                String notification,
                String module,
                String state,
                long startedNanos,
                long now,
                String thread) {
            return new Snapshot(
                    context.request().method(),
                    context.request().rawUrl(),
                    context.site().siteName(),
                    notification,
                    module,
                    state,
                    Math.max(0, (now - startedNanos) / 1_000_000),
                    thread);
        }
    }

    /** The list of one thread; touched only by that thread, except {@link #thread} and {@link #executor}. */
    static final class ThreadList {
        final Thread thread;
        final Executor executor;
        RequestPipeline head;

        ThreadList(Thread thread, Executor executor) {
            this.thread = thread;
            this.executor = executor;
        }

        void link(RequestPipeline p) {
            p.liveList = this;
            p.liveNext = head;
            p.livePrev = null;
            if (head != null) {
                head.livePrev = p;
            }
            head = p;
        }

        void unlink(RequestPipeline p) {
            if (p.livePrev != null) {
                p.livePrev.liveNext = p.liveNext;
            } else if (head == p) {
                head = p.liveNext;
            }
            if (p.liveNext != null) {
                p.liveNext.livePrev = p.livePrev;
            }
            p.liveNext = null;
            p.livePrev = null;
            p.liveList = null;
        }

        List<Snapshot> read(AtomicLong engine, long now) {
            List<Snapshot> out = new ArrayList<>();
            for (RequestPipeline p = head; p != null; p = p.liveNext) {
                if (p.overrunCounter() == engine) {
                    out.add(p.snapshot(now, thread.getName()));
                }
            }
            return out;
        }
    }

    /**
     * Links a top-level request into the calling thread's list (its event loop).
     *
     * @param p        the request's pipeline
     * @param executor the request's event loop, used later to read the list on its thread
     */
    /**
     * Hands every live thread's list to {@code action} (on the calling thread; the action must run
     * its work on the list's executor, the only thread that may read the list).
     */
    static void forEachThread(BiConsumer<ThreadList, Executor> action) {
        for (Iterator<ThreadList> it = LISTS.iterator(); it.hasNext(); ) {
            ThreadList list = it.next();
            if (!list.thread.isAlive()) {
                it.remove();
                continue;
            }
            try {
                action.accept(list, list.executor);
            } catch (RuntimeException e) {
                // an executor that refuses work (its loop shut down) has no request left to check
            }
        }
    }

    static void started(RequestPipeline p, Executor executor) {
        ThreadList list = CURRENT.get();
        if (list == null) {
            list = new ThreadList(Thread.currentThread(), executor);
            CURRENT.set(list);
            LISTS.add(list);
        }
        list.link(p);
    }

    /**
     * Unlinks a request; called on its event loop when it ends.
     *
     * @param p the request's pipeline
     */
    static void ended(RequestPipeline p) {
        ThreadList list = p.liveList;
        if (list != null) {
            list.unlink(p);
        }
    }

    /**
     * Reads the requests in flight of one engine, on each event loop's own thread.
     *
     * @param engine  the engine's overrun counter, which identifies its requests
     * @param timeout how long to wait for the event loops, in all
     * @param unit    the unit of {@code timeout}
     * @return the requests, oldest first, plus one {@code HELD} entry per event loop that did not
     *         answer in time
     */
    public static List<Snapshot> snapshot(AtomicLong engine, long timeout, TimeUnit unit) {
        long now = EventLoopWatchdog.coarseNanos();
        List<CompletableFuture<List<Snapshot>>> answers = new ArrayList<>();
        List<ThreadList> asked = new ArrayList<>();
        for (Iterator<ThreadList> it = LISTS.iterator(); it.hasNext(); ) {
            ThreadList list = it.next();
            if (!list.thread.isAlive()) {
                it.remove();
                continue;
            }
            CompletableFuture<List<Snapshot>> answer = new CompletableFuture<>();
            try {
                list.executor.execute(() -> answer.complete(list.read(engine, now)));
            } catch (RuntimeException e) {
                continue;
            }
            answers.add(answer);
            asked.add(list);
        }
        List<Snapshot> all = new ArrayList<>();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        for (int i = 0; i < answers.size(); i++) {
            try {
                all.addAll(answers.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException e) {
                all.add(EventLoopWatchdog.held(asked.get(i).thread, engine));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                // the list could not be read; nothing to report for that thread
            }
        }
        all.removeIf(s -> s == null);
        all.sort((a, b) -> Long.compare(b.elapsedMillis(), a.elapsedMillis()));
        return all;
    }
}
