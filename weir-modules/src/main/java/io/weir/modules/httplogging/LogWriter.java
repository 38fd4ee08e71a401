package io.weir.modules.httplogging;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one background thread that writes every site's log lines, and the bounded queue that feeds
 * it. Event loops only ever call {@link #offer} (never blocks) and {@link #hasRoom}; the blocking
 * calls ({@link #put}, {@link #awaitRoom}) run on the server's blocking executor.
 *
 * <p>Policy: a line is never dropped because the queue is full. When it is full, HttpLoggingModule
 * makes requests wait, off the event loop, for room: new requests in BEGIN_REQUEST (so load is held
 * back at the door, like a disk that cannot keep up would in IIS), and a request whose line finds no
 * room in LOG_REQUEST until its line is queued. Lines are lost only when the disk refuses them (a
 * warning says how many) or when a request is logged after {@link #close} (never in a graceful stop,
 * which drains requests first).
 *
 * <p>Flushing: the writer gathers lines in a 64 KiB buffer per file and writes it when full, and
 * every {@code flushInterval} (one second in the server; IIS flushes every 60 seconds or when its
 * 64 KiB buffer fills), and on {@link #close}. A crash can lose at most that interval's lines.
 */
final class LogWriter {

    private static final System.Logger LOG = System.getLogger("io.weir.modules.httplogging");
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int BATCH = 4096;

    /** One formatted line for a site's log. */
    record Entry(SiteLog log, long millis, String line) {
    }

    private final ArrayBlockingQueue<Entry> queue;
    private final long flushNanos;
    private final String software;
    private final CountDownLatch gate;
    private final Thread thread;
    private final Object room = new Object();
    private volatile int roomWaiters;
    private volatile boolean started;
    private volatile boolean closing;
    private volatile boolean finished;

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();
    private final AtomicLong lostAfterClose = new AtomicLong();
    private long lastFailureWarning = System.nanoTime() - WARN_INTERVAL_NANOS;
    private volatile long lastWaitWarning = System.nanoTime() - WARN_INTERVAL_NANOS;
    private final Set<SiteLog> logs = new LinkedHashSet<>();

    /**
     * Prepares the writer; its thread starts with the first line (so that {@code weir list} and
     * {@code weir explain}, which load modules without serving, start none).
     *
     * @param capacity      the queue's capacity, in lines
     * @param flushInterval how often buffered lines are written to disk
     * @param software      the {@code #Software} directive's value
     * @param gate          for tests: the writer waits for it before each batch; null in the server
     */
    LogWriter(int capacity, Duration flushInterval, String software, CountDownLatch gate) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.flushNanos = flushInterval.toNanos();
        this.software = software;
        this.gate = gate;
        this.thread = Thread.ofPlatform().name("weir-w3c-log").daemon(true).unstarted(this::run);
    }

    private void start() {
        if (!started) {
            synchronized (thread) {
                if (!started && !closing) {
                    thread.start();
                    started = true;
                }
            }
        }
    }

    /**
     * Queues a line without blocking; called on event loops.
     *
     * @param entry the line
     * @return false when the queue is full (the caller then waits for room off the event loop)
     */
    boolean offer(Entry entry) {
        start();
        if (!queue.offer(entry)) {
            return false;
        }
        if (finished && queue.remove(entry)) {
            lateLine();
        }
        return true;
    }

    /**
     * Queues a line, waiting for room; called on the blocking executor only.
     *
     * @param entry the line
     * @throws InterruptedException when the waiting thread is interrupted (the line is then lost and counted)
     */
    void put(Entry entry) throws InterruptedException {
        start();
        waited();
        while (!queue.offer(entry, 100, TimeUnit.MILLISECONDS)) {
            if (finished) {
                lateLine();
                return;
            }
        }
        if (finished && queue.remove(entry)) {
            lateLine();
        }
    }

    /** @return true when the queue can take a line now */
    boolean hasRoom() {
        return queue.remainingCapacity() > 0;
    }

    /**
     * Waits until the queue can take a line, or the writer is closing; called on the blocking
     * executor only.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void awaitRoom() throws InterruptedException {
        waited();
        synchronized (room) {
            roomWaiters++;
            try {
                while (queue.remainingCapacity() == 0 && !closing) {
                    room.wait(100);
                }
            } finally {
                roomWaiters--;
            }
        }
    }

    private void waited() {
        long n = waits.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastWaitWarning >= WARN_INTERVAL_NANOS) {
            lastWaitWarning = now;
            LOG.log(Level.WARNING, "the access log queue ({0} lines) is full: requests are waiting for the log "
                    + "writer ({1} waits so far)", queue.size() + queue.remainingCapacity(), n);
        }
    }

    private void lateLine() {
        long n = lostAfterClose.incrementAndGet();
        if (n == 1) {
            LOG.log(Level.WARNING, "a request was logged after the access log was closed; its line is not written");
        }
    }

    /** @return lines written to files so far (buffered ones included) */
    long written() {
        return written.get();
    }

    /** @return lines lost because a file could not be written */
    long lost() {
        return lost.get();
    }

    /** @return how many times a request waited for room in the queue */
    long waits() {
        return waits.get();
    }

    /**
     * Writes every queued line, flushes and closes every file, and stops the thread; blocks until
     * done (up to 30 seconds). Idempotent. Called from the factory's {@code terminate()}, after the
     * server has drained its requests.
     */
    void close() {
        synchronized (thread) {
            closing = true;
            if (!started) {
                finished = true;
                return;
            }
        }
        synchronized (room) {
            room.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.ERROR, "the access log writer did not finish within 30 seconds; {0} lines were not written",
                    queue.size());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The writer thread
    // ---------------------------------------------------------------------------------------------

    private void run() {
        List<Entry> batch = new ArrayList<>(BATCH);
        long nextFlush = System.nanoTime() + flushNanos;
        while (true) {
            long wait = Math.max(1, Math.min(nextFlush - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
            Entry first;
            try {
                first = queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                first = null; // the writer is stopped by close(), not by interrupts
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                awaitGate();
                writeBatch(batch);
                batch.clear();
                if (roomWaiters > 0) {
                    synchronized (room) {
                        room.notifyAll();
                    }
                }
            }
            long now = System.nanoTime();
            if (now - nextFlush >= 0) {
                flushAll();
                nextFlush = now + flushNanos;
            }
            if (closing && queue.isEmpty()) {
                break;
            }
        }
        finished = true;
        queue.drainTo(batch); // a line queued while the loop ended
        writeBatch(batch);
        for (SiteLog log : logs) {
            try {
                log.close();
            } catch (IOException e) {
                failure(log, e, 0);
            }
            lost.addAndGet(log.takeLostLines());
        }
        long lostLines = lost.get();
        if (lostLines > 0) {
            LOG.log(Level.WARNING, "the access log lost {0} line(s) because files could not be written", lostLines);
        }
    }

    private void awaitGate() {
        if (gate == null) {
            return;
        }
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeBatch(List<Entry> batch) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            Entry e = batch.get(i);
            SiteLog log = e.log();
            logs.add(log);
            try {
                if (log.write(e.millis(), e.line(), software)) {
                    written.incrementAndGet();
                } else {
                    lost.incrementAndGet();
                }
            } catch (IOException | RuntimeException ex) {
                failure(log, ex, 1);
            }
            lost.addAndGet(log.takeLostLines());
        }
    }

    private void flushAll() {
        for (SiteLog log : logs) {
            try {
                log.flush();
            } catch (IOException | RuntimeException e) {
                failure(log, e, 0);
            }
            lost.addAndGet(log.takeLostLines());
        }
    }

    private void failure(SiteLog log, Exception e, int lines) {
        lost.addAndGet(lines);
        long now = System.nanoTime();
        if (now - lastFailureWarning >= WARN_INTERVAL_NANOS) {
            lastFailureWarning = now;
            LOG.log(Level.WARNING, "cannot write the access log in " + log.folder() + " (" + e
                    + "); lines are dropped and the file is retried every 5 seconds (" + lost.get()
                    + " lost so far)");
        }
    }
}
