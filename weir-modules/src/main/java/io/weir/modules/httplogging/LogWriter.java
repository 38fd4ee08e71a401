package io.weir.modules.httplogging;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one background thread that writes every site's log lines, and the blocks of lines that feed
 * it.
 *
 * <p>Formatting: each thread that logs (an event loop, in the server) owns a {@link Slot}: its
 * reusable line and its current {@link LogChunk}, a block of up to 32 KiB of formatted lines. A line
 * is formatted into the slot's line and copied into the block; nothing is queued and no thread is
 * woken per line. A block is handed to the writer when it is full, and every 100 ms the writer takes
 * the blocks that are partly filled (so a line reaches the file's buffer within about 100 ms even
 * when traffic stops). A slot's lock is taken by its own thread per line and by the writer when it
 * takes a partly filled block: almost never contended.
 *
 * <p>Policy: a line is never dropped because the writer is behind. The lines in blocks handed to the
 * writer and not yet written are counted; when they reach the capacity, HttpLoggingModule makes
 * requests wait, off the event loop, for room: new requests in BEGIN_REQUEST (so load is held back at
 * the door, like a disk that cannot keep up would in IIS), and a request whose line filled a block
 * that finds no room in LOG_REQUEST until that block is queued. Event loops only ever call
 * {@link #offer} (never blocks) and {@link #hasRoom}; the blocking calls ({@link #put},
 * {@link #awaitRoom}) run on the server's blocking executor. Lines are lost only when the disk
 * refuses them (a warning says how many) or when a request is logged after {@link #close} (never in
 * a graceful stop, which drains requests first).
 *
 * <p>Flushing: the writer gathers lines in a 64 KiB buffer per file and writes it when full, and
 * every {@code flushInterval} (one second in the server; IIS flushes every 60 seconds or when its
 * 64 KiB buffer fills), and on {@link #close}. A crash can lose at most that interval's lines, plus
 * the last 100 ms of lines still in the threads' blocks.
 */
final class LogWriter {

    private static final System.Logger LOG = System.getLogger("io.weir.modules.httplogging");
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int CHUNK_BYTES = 32 * 1024;
    private static final int MAX_CHUNK_LINES = 512;
    private static final int POOLED_CHUNKS = 16;

    /**
     * What one thread formats into: its line and its current block. Every field but {@code line}
     * and {@code owner} is guarded by the slot's monitor; {@code line} is used under it too.
     */
    static final class Slot {
        private final Thread owner;
        private final W3cLine line = new W3cLine();
        private LogChunk chunk;
        private boolean closed;

        private Slot(Thread owner) {
            this.owner = owner;
        }

        /** @return the reusable line; use it only while holding this slot's monitor */
        W3cLine line() {
            return line;
        }
    }

    private final int capacity;
    private final int chunkLines;
    private final long flushNanos;
    private final String software;
    private final CountDownLatch gate;
    private final Thread thread;
    private final LinkedBlockingQueue<LogChunk> queue = new LinkedBlockingQueue<>();
    private final ArrayBlockingQueue<LogChunk> free = new ArrayBlockingQueue<>(POOLED_CHUNKS);
    private final AtomicLong queuedLines = new AtomicLong();
    private final ThreadLocal<Slot> slots = new ThreadLocal<>();
    private final CopyOnWriteArrayList<Slot> allSlots = new CopyOnWriteArrayList<>();
    /** The slot every virtual thread shares (a slot per virtual thread would be a block per request). */
    private final Slot shared = new Slot(null);

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
     * @param capacity      how many lines handed to the writer may wait before requests are held
     *                      back; a block holds at most an eighth of it (at least one line, at most 512)
     * @param flushInterval how often buffered lines are written to disk
     * @param software      the {@code #Software} directive's value
     * @param gate          for tests: the writer waits for it before writing anything; null in the server
     */
    LogWriter(int capacity, Duration flushInterval, String software, CountDownLatch gate) {
        this.capacity = capacity;
        this.chunkLines = Math.max(1, Math.min(MAX_CHUNK_LINES, capacity / 8));
        this.flushNanos = flushInterval.toNanos();
        this.software = software;
        this.gate = gate;
        this.thread = Thread.ofPlatform().name("weir-w3c-log").daemon(true).unstarted(this::run);
        allSlots.add(shared);
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
     * Returns the calling thread's slot (one shared slot for all virtual threads). Format a line
     * into {@link Slot#line()} and {@link #add} it while holding the slot's monitor.
     *
     * @return the slot
     */
    Slot slot() {
        Thread t = Thread.currentThread();
        if (t.isVirtual()) {
            return shared;
        }
        Slot s = slots.get();
        if (s == null) {
            s = new Slot(t);
            slots.set(s);
            allSlots.add(s);
        }
        return s;
    }

    /**
     * Copies the slot's formatted line (CR LF included) into the slot's block; called holding the
     * slot's monitor, on any thread. Never blocks.
     *
     * @param slot   the caller's slot, whose monitor the caller holds
     * @param log    the line's site
     * @param millis the line's instant, which picks its file
     * @return a block that is now complete and must be handed to {@link #offer} (then, if that
     *         fails, to {@link #put} off the event loop) once the monitor is released; null when
     *         there is none
     */
    LogChunk add(Slot slot, SiteLog log, long millis) {
        start();
        if (slot.closed || finished) {
            lateLines(1);
            return null;
        }
        W3cLine line = slot.line;
        LogChunk chunk = slot.chunk;
        LogChunk complete = null;
        if (chunk == null) {
            chunk = fresh(line.length());
            slot.chunk = chunk;
        } else if (!chunk.fits(line.length())) {
            complete = chunk;
            chunk = fresh(line.length());
            slot.chunk = chunk;
        }
        chunk.add(log, millis, line);
        if (complete == null && chunk.full()) {
            complete = chunk;
            slot.chunk = null;
        }
        return complete;
    }

    private LogChunk fresh(int lineLength) {
        if (lineLength > CHUNK_BYTES) {
            return new LogChunk(lineLength, chunkLines);
        }
        LogChunk c = free.poll();
        return c != null ? c : new LogChunk(CHUNK_BYTES, chunkLines);
    }

    /**
     * Hands a complete block to the writer without blocking; called on event loops.
     *
     * @param chunk the block {@link #add} returned
     * @return false when the writer has no room (the caller then calls {@link #put} off the event loop)
     */
    boolean offer(LogChunk chunk) {
        if (queuedLines.get() >= capacity) {
            return false;
        }
        enqueue(chunk);
        return true;
    }

    /**
     * Hands a complete block to the writer even when it has no room: the last resort when the
     * server's blocking executor refuses the wait (the server is stopping).
     *
     * @param chunk the block {@link #offer} refused
     */
    void enqueueLast(LogChunk chunk) {
        enqueue(chunk);
    }

    private void enqueue(LogChunk chunk) {
        queuedLines.addAndGet(chunk.lines());
        queue.add(chunk);
        if (finished && queue.remove(chunk)) {
            queuedLines.addAndGet(-chunk.lines());
            lateLines(chunk.lines());
        }
    }

    /**
     * Hands a complete block to the writer, waiting for room; called on the blocking executor only.
     *
     * @param chunk the block {@link #offer} refused
     * @throws InterruptedException when the waiting thread is interrupted (the lines are then lost and counted)
     */
    void put(LogChunk chunk) throws InterruptedException {
        waited();
        try {
            waitForRoom(false);
        } catch (InterruptedException e) {
            lost.addAndGet(chunk.lines());
            throw e;
        }
        if (finished) {
            lateLines(chunk.lines());
            return;
        }
        enqueue(chunk);
    }

    /** @return true when the writer can take a block now */
    boolean hasRoom() {
        return queuedLines.get() < capacity;
    }

    /**
     * Waits until the writer has room, or is closing; called on the blocking executor only.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void awaitRoom() throws InterruptedException {
        waited();
        waitForRoom(true);
    }

    private void waitForRoom(boolean untilClosing) throws InterruptedException {
        synchronized (room) {
            roomWaiters++;
            try {
                while (!hasRoom() && !finished && !(untilClosing && closing)) {
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
            LOG.log(
                    Level.WARNING,
                    "the access log writer is {0} lines behind: requests are waiting for it ({1} " + "waits so far)",
                    queuedLines.get(),
                    n);
        }
    }

    private void lateLines(int lines) {
        long before = lostAfterClose.getAndAdd(lines);
        if (before == 0) {
            LOG.log(Level.WARNING, "a request was logged after the access log was closed; its line is not written");
        }
    }

    /** @return lines handed to the writer and not yet written: the queue's depth */
    long queuedLines() {
        return queuedLines.get();
    }

    /** @return how many queued lines hold requests back */
    int capacity() {
        return capacity;
    }

    /** @return lines written to files so far (buffered ones included) */
    long written() {
        return written.get();
    }

    /** @return lines lost because a file could not be written */
    long lost() {
        return lost.get();
    }

    /** @return how many times a request waited for room */
    long waits() {
        return waits.get();
    }

    /**
     * Writes every line (those still in the threads' blocks included), flushes and closes every
     * file, and stops the thread; blocks until done (up to 30 seconds). Idempotent. Called from the
     * factory's {@code terminate()}, after the server has drained its requests.
     */
    void close() {
        synchronized (thread) {
            closing = true;
            if (!started) {
                finished = true;
                return;
            }
        }
        queue.add(new LogChunk(0, 1)); // wakes the writer at once
        synchronized (room) {
            room.notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(
                    Level.ERROR,
                    "the access log writer did not finish within 30 seconds; {0} lines were not written",
                    queuedLines.get());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The writer thread
    // ---------------------------------------------------------------------------------------------

    private void run() {
        List<LogChunk> batch = new ArrayList<>();
        long now = System.nanoTime();
        long nextFlush = now + flushNanos;
        long nextSweep = now + SWEEP_NANOS;
        while (true) {
            long wait = Math.max(1, Math.min(nextFlush, nextSweep) - System.nanoTime());
            LogChunk first;
            try {
                first = queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                first = null; // the writer is stopped by close(), not by interrupts
            }
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch);
                writeQueued(batch);
            }
            boolean last = closing;
            now = System.nanoTime();
            if (last || now - nextSweep >= 0) {
                sweep(last);
                nextSweep = now + SWEEP_NANOS;
            }
            if (now - nextFlush >= 0) {
                flushAll();
                nextFlush = now + flushNanos;
            }
            if (last && queue.isEmpty()) {
                break;
            }
        }
        finished = true;
        queue.drainTo(batch); // a block queued while the loop ended
        writeQueued(batch);
        synchronized (room) {
            room.notifyAll();
        }
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

    private void writeQueued(List<LogChunk> batch) {
        if (batch.isEmpty()) {
            return;
        }
        awaitGate();
        for (int i = 0, n = batch.size(); i < n; i++) {
            LogChunk chunk = batch.get(i);
            write(chunk);
            queuedLines.addAndGet(-chunk.lines());
            recycle(chunk);
        }
        batch.clear();
        if (roomWaiters > 0) {
            synchronized (room) {
                room.notifyAll();
            }
        }
    }

    /** Takes and writes the partly filled blocks of every slot; when closing, closes the slots too. */
    private void sweep(boolean close) {
        List<LogChunk> taken = null;
        for (Slot slot : allSlots) {
            LogChunk chunk;
            synchronized (slot) {
                chunk = slot.chunk;
                if (chunk != null && !chunk.isEmpty()) {
                    slot.chunk = null;
                } else {
                    chunk = null;
                }
                if (close) {
                    slot.closed = true;
                }
            }
            if (chunk != null) {
                if (taken == null) {
                    taken = new ArrayList<>();
                }
                taken.add(chunk);
            } else if (slot.owner != null && !slot.owner.isAlive()) {
                allSlots.remove(slot);
            }
        }
        if (taken != null) {
            awaitGate();
            for (LogChunk chunk : taken) {
                write(chunk);
                recycle(chunk);
            }
        }
    }

    private void recycle(LogChunk chunk) {
        if (chunk.capacity() == CHUNK_BYTES) {
            chunk.clear();
            free.offer(chunk);
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

    private void write(LogChunk chunk) {
        byte[] bytes = chunk.bytes();
        SiteLog previous = null;
        for (int i = 0, n = chunk.lines(); i < n; i++) {
            SiteLog log = chunk.log(i);
            if (log != previous) {
                logs.add(log);
                previous = log;
            }
            try {
                if (log.write(chunk.millis(i), bytes, chunk.start(i), chunk.end(i), software)) {
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
            LOG.log(
                    Level.WARNING,
                    "cannot write the access log in " + log.folder() + " (" + e
                            + "); lines are dropped and the file is retried every 5 seconds (" + lost.get()
                            + " lost so far)");
        }
    }
}
