package io.weir.core.internal.pipeline;

import io.weir.api.RequestNotification;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detects a module notification that holds an event loop longer than the budget (an "overrun"):
 * a module that blocks or spins on the event loop instead of returning PENDING or declaring the
 * notification blocking ({@code ModuleRegistrationInfo.setBlocking}). Weir's addition; IIS has no
 * equivalent because its modules run on a thread pool (the nearest is its worker-process ping,
 * which only sees a wholly stuck process).
 *
 * <p><b>How it measures: by sampling, not by timing every call.</b> Each thread that runs
 * pipelines has a {@link Probe}; around every module call the pipeline writes the call's identity
 * and bumps a sequence number (odd while a call runs) with release stores: no
 * {@code System.nanoTime()} and no fence on the hot path. One daemon thread
 * ({@code weir-event-loop-watchdog}) wakes every {@link #PERIOD_NANOS} (a fifth of the budget,
 * between 1 and 10 ms), and reads every probe: when the same call has been seen running for at
 * least the budget, the call is counted once as an overrun on its engine and logged (module,
 * notification, request, milliseconds so far); when it ends, a second line gives about how long it
 * held the loop.
 *
 * <p><b>A busy machine is not a module's fault.</b> A hold is blamed on the module only when the
 * module could have caused it. When the watchdog itself wakes more than a period late (a
 * garbage-collection or safepoint pause, or a machine with more runnable threads than cores), every
 * call it sees running on a {@link Thread.State#RUNNABLE runnable} thread has its clock restarted:
 * the pause held the module too. And before a call is counted, its thread must show that the
 * module holds it: the thread waits, sleeps or is blocked on a lock (the module blocks), it used at
 * least a quarter of the budget in CPU time (the module computes or spins), or it is in a native
 * method (blocking I/O). A runnable thread that used almost no CPU in Java code was waiting for a
 * core; its clock restarts and the call is watched again. Such restarts are counted
 * ({@link #stalls()}) and logged at DEBUG only. So a call is never reported under the budget, is always reported from budget +
 * period on, and is reported <em>while</em> it still holds the loop (a module spinning forever is
 * reported within the budget plus one period, as rule M-LOOP of docs/reference/http-hardening.md asks). The elapsed times
 * are accurate to one period.
 *
 * <p>The budget is the system property {@value #BUDGET_PROPERTY} in milliseconds (default
 * {@value #DEFAULT_BUDGET_MILLIS}), read once per JVM. Log lines are rate-limited to one per
 * second; the count of lines left out is given on the next one. Calls on virtual threads (blocking
 * notifications) are not watched. Nested calls (a child request run from inside a module) count as
 * part of the outermost call, the one holding the loop.
 */
public final class EventLoopWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoopWatchdog.class);

    /** The system property that sets the budget, in milliseconds. */
    public static final String BUDGET_PROPERTY = "weir.eventLoop.budgetMillis";
    /** The budget when the property is not set. */
    public static final long DEFAULT_BUDGET_MILLIS = 50;

    /** The budget in nanoseconds. */
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(budgetMillis());
    /** How often the watchdog samples. */
    static final long PERIOD_NANOS =
            Math.clamp(BUDGET_NANOS / 5, TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(10));

    /** How late the watchdog may wake before it takes the delay for a pause of the whole process. */
    private static final long LATE_NANOS = PERIOD_NANOS;
    /** CPU time a runnable thread must have used during a hold for the hold to be the module's. */
    private static final long CPU_NANOS = BUDGET_NANOS / 4;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_CLOCK = cpuClock();
    private static final AtomicLong STALLS = new AtomicLong();

    private static final Queue<Probe> PROBES = new ConcurrentLinkedQueue<>();
    private static final Probe UNWATCHED = new Probe(null);
    private static final ThreadLocal<Probe> CURRENT = ThreadLocal.withInitial(EventLoopWatchdog::register);
    private static final Object START_LOCK = new Object();
    private static Thread thread;

    /** The watchdog's clock: System.nanoTime() as of its last sample (at most one period old). */
    private static volatile long coarseNanos = System.nanoTime();

    private static long lastLogNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);
    private static long suppressed;

    private EventLoopWatchdog() {}

    private static long budgetMillis() {
        String value = System.getProperty(BUDGET_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_BUDGET_MILLIS;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis >= 1) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        LOG.warn(
                "system property {}={} is not a whole number of milliseconds >= 1; using {}",
                BUDGET_PROPERTY,
                value,
                DEFAULT_BUDGET_MILLIS);
        return DEFAULT_BUDGET_MILLIS;
    }

    private static boolean cpuClock() {
        try {
            return THREADS.isThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * @return how many times, since the JVM started, a watched call's clock was restarted because
     *         the process or the call's thread was held by something other than the module (a
     *         pause, or no free core)
     */
    public static long stalls() {
        return STALLS.get();
    }

    /**
     * Decides whether a call seen running for the whole budget was held by its module.
     *
     * @param state           the thread's state now
     * @param cpuNanos        CPU time the thread used since the call was first seen, or -1 when
     *                        the JVM cannot tell
     * @param inNativeMethod  whether the thread's innermost frame is a native method
     * @return true when the module holds the thread: it blocks, computes or is in native I/O
     */
    static boolean heldByModule(Thread.State state, long cpuNanos, boolean inNativeMethod) {
        if (state != Thread.State.RUNNABLE) {
            return true;
        }
        return cpuNanos < 0 || cpuNanos >= CPU_NANOS || inNativeMethod;
    }

    private static long cpuNanos(Thread t) {
        return CPU_CLOCK ? THREADS.getThreadCpuTime(t.threadId()) : -1;
    }

    private static boolean inNativeMethod(Thread t) {
        ThreadInfo info = THREADS.getThreadInfo(t.threadId(), 1);
        if (info == null) {
            return false;
        }
        StackTraceElement[] stack = info.getStackTrace();
        return stack.length > 0 && stack[0].isNativeMethod();
    }

    /**
     * Where overruns of requests run by no engine are counted (an {@link
     * io.weir.core.internal.context.ServingGeneration} that keeps no counter of its own).
     */
    public static final AtomicLong UNCOUNTED = new AtomicLong();

    /** @return the budget, from {@value #BUDGET_PROPERTY} (read once per JVM) */
    public static Duration budget() {
        return Duration.ofNanos(BUDGET_NANOS);
    }

    /**
     * Returns the calling thread's probe, registering it with the watchdog on first use; a virtual
     * thread gets a probe nobody watches (blocking is allowed there).
     *
     * @return the probe
     */
    static Probe probe() {
        return CURRENT.get();
    }

    private static Probe register() {
        Thread current = Thread.currentThread();
        if (current.isVirtual()) {
            return UNWATCHED;
        }
        Probe p = new Probe(current);
        PROBES.add(p);
        synchronized (START_LOCK) {
            if (thread == null) {
                coarseNanos = System.nanoTime();
                thread = Thread.ofPlatform()
                        .daemon()
                        .name("weir-event-loop-watchdog")
                        .start(EventLoopWatchdog::watch);
            }
        }
        return p;
    }

    private static void watch() {
        long previous = System.nanoTime();
        while (true) {
            try {
                TimeUnit.NANOSECONDS.sleep(PERIOD_NANOS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            boolean late = now - previous > PERIOD_NANOS + LATE_NANOS;
            if (late) {
                LOG.debug(
                        "the watchdog woke {} ms after its last look (period {} ms): the process was paused",
                        TimeUnit.NANOSECONDS.toMillis(now - previous),
                        TimeUnit.NANOSECONDS.toMillis(PERIOD_NANOS));
            }
            previous = now;
            coarseNanos = now;
            PendingDeadline.maybeSweep(now);
            for (Iterator<Probe> it = PROBES.iterator(); it.hasNext(); ) {
                Probe p = it.next();
                if (!p.thread.isAlive()) {
                    it.remove();
                    continue;
                }
                try {
                    p.sample(now, late);
                } catch (RuntimeException e) {
                    LOG.debug("watchdog sample failed", e);
                }
            }
        }
    }

    /**
     * @return System.nanoTime() as of the watchdog's last sample: a clock for durations that may be
     *         off by one sampling period (at most 10 ms), at the cost of a volatile read
     */
    static long coarseNanos() {
        return coarseNanos;
    }

    /**
     * Describes the module call holding a thread, for {@link ExecutingRequests} when that thread did
     * not answer.
     *
     * @param t      the thread
     * @param engine the engine's counter, which identifies its requests
     * @return the call, or null when the thread runs no module call of that engine
     */
    static ExecutingRequests.Snapshot held(Thread t, AtomicLong engine) {
        for (Probe p : PROBES) {
            if (p.thread == t) {
                return p.held(engine);
            }
        }
        return null;
    }

    private static synchronized boolean mayLog(long now) {
        if (now - lastLogNanos >= TimeUnit.SECONDS.toNanos(1)) {
            lastLogNanos = now;
            return true;
        }
        suppressed++;
        return false;
    }

    private static synchronized String suppressedNote() {
        long n = suppressed;
        suppressed = 0;
        return n == 0 ? "" : " (" + n + " more event-loop overrun lines left out in the last second)";
    }

    /**
     * The per-thread record of the module call in progress. Written by its thread only; read by the
     * watchdog with a seqlock check, so that a torn read is discarded.
     */
    static final class Probe {

        private static final VarHandle SEQ;

        static {
            try {
                SEQ = MethodHandles.lookup().findVarHandle(Probe.class, "seq", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Thread thread;
        /** Odd while a module call runs on the thread; written with release stores by the owner. */
        @SuppressWarnings("unused")
        private long seq;

        private int depth;
        private RequestPipeline pipeline;
        private int slot;
        private RequestNotification notification;
        private boolean post;

        // Watchdog-only state.
        private long seenSeq = -2;
        private long seenAt;
        private long seenCpu;
        private boolean reported;
        private String reportedWhat;

        Probe(Thread thread) {
            this.thread = thread;
        }

        /**
         * Notes that a module call starts (owner thread).
         *
         * @param p            the pipeline
         * @param moduleSlot   the module's slot
         * @param n            the notification
         * @param isPost       whether it is the post-notification
         */
        void enter(RequestPipeline p, int moduleSlot, RequestNotification n, boolean isPost) {
            if (depth++ == 0) {
                pipeline = p;
                slot = moduleSlot;
                notification = n;
                post = isPost;
                SEQ.setRelease(this, (long) SEQ.get(this) + 1);
            }
        }

        /** Notes that the module call ended (owner thread). */
        void exit() {
            if (--depth == 0) {
                SEQ.setRelease(this, (long) SEQ.get(this) + 1);
            }
        }

        ExecutingRequests.Snapshot held(AtomicLong engine) {
            long s = (long) SEQ.getAcquire(this);
            RequestPipeline p = pipeline;
            int moduleSlot = slot;
            RequestNotification n = notification;
            boolean isPost = post;
            if ((s & 1) == 0 || p == null || (long) SEQ.getAcquire(this) != s || p.overrunCounter() != engine) {
                return null;
            }
            return p.heldSnapshot(moduleSlot, n, isPost, coarseNanos, thread.getName());
        }

        /**
         * One watchdog look at this probe.
         *
         * @param now  the watchdog's clock
         * @param late whether the watchdog woke late: the whole process may have been paused
         */
        void sample(long now, boolean late) {
            long s = (long) SEQ.getAcquire(this);
            if (s != seenSeq) {
                if (reported) {
                    long elapsed = now - seenAt;
                    if (mayLog(now)) {
                        LOG.warn(
                                "{} released its event loop after about {} ms{}",
                                reportedWhat,
                                TimeUnit.NANOSECONDS.toMillis(elapsed),
                                suppressedNote());
                    }
                }
                seenSeq = s;
                seenAt = now;
                seenCpu = (s & 1) == 0 ? 0 : cpuNanos(thread);
                reported = false;
                reportedWhat = null;
                return;
            }
            if ((s & 1) == 0 || reported) {
                return;
            }
            if (late && thread.getState() == Thread.State.RUNNABLE) {
                restart(now, "the process was paused");
                return;
            }
            if (now - seenAt < BUDGET_NANOS) {
                return;
            }
            long cpu = cpuNanos(thread);
            long used = cpu < 0 || seenCpu < 0 ? -1 : cpu - seenCpu;
            Thread.State state = thread.getState();
            if (!heldByModule(state, used, state == Thread.State.RUNNABLE && inNativeMethod(thread))) {
                restart(now, "its thread waited for a core (" + TimeUnit.NANOSECONDS.toMicros(used) + " µs of CPU)");
                return;
            }
            RequestPipeline p = pipeline;
            int moduleSlot = slot;
            RequestNotification n = notification;
            boolean isPost = post;
            if ((long) SEQ.getAcquire(this) != s || p == null) {
                return;
            }
            reported = true;
            long millis = TimeUnit.NANOSECONDS.toMillis(now - seenAt);
            String what = p.describeCall(moduleSlot, n, isPost);
            reportedWhat = what;
            p.overrunCounter().incrementAndGet();
            if (mayLog(now)) {
                LOG.warn(
                        "event-loop overrun: {} has held event loop {} for {} ms so far (budget {} ms); a module "
                                + "that blocks must return PENDING or declare the notification blocking{}",
                        what,
                        thread.getName(),
                        millis,
                        TimeUnit.NANOSECONDS.toMillis(BUDGET_NANOS),
                        suppressedNote());
            }
        }

        /** Starts the current call's clock again: what held it was not the module. */
        private void restart(long now, String why) {
            STALLS.incrementAndGet();
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "a call on {} was held {} ms, but not by its module ({}); watching it again",
                        thread.getName(),
                        TimeUnit.NANOSECONDS.toMillis(now - seenAt),
                        why);
            }
            seenAt = now;
            seenCpu = cpuNanos(thread);
        }
    }
}
