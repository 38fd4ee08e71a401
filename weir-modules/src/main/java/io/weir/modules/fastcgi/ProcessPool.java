package io.weir.modules.fastcgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The processes of one {@code fastCgi/application} entry, as IIS's FastCGI module manages them: at
 * most {@code maxInstances} processes, each serving one request at a time; a request that finds
 * them all busy waits in a queue of at most {@code queueLength} requests (one more is refused); a
 * process is replaced after {@code instanceMaxRequests} requests, stopped after
 * {@code idleTimeout} without one, and the whole pool is recycled when {@code monitorChangesTo}
 * changes. More than {@code rapidFailsPerMinute} process failures within a minute take the pool
 * offline until that minute has passed.
 *
 * <p>Threads: {@link #acquire()} blocks the calling virtual thread while it waits in the queue or
 * starts a process; everything else returns at once.
 */
final class ProcessPool {

    private static final System.Logger LOG = System.getLogger(ProcessPool.class.getName());

    /** The pool's queue is full: IIS's 503.2. */
    static final class QueueFullException extends Exception {
        QueueFullException(String message) {
            super(message, null, false, false);
        }
    }

    /** The pool is offline after too many failures in a minute. */
    static final class PoolOfflineException extends Exception {
        PoolOfflineException(String message) {
            super(message, null, false, false);
        }
    }

    private final FastCgiApplication app;
    private final Path socketFolder;
    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final ArrayDeque<FastCgiProcess> idle = new ArrayDeque<>();
    private final ArrayDeque<Long> failures = new ArrayDeque<>();
    private int live;
    private int waiting;
    private int generation;
    private long socketCounter;
    private long offlineUntil;
    private boolean closed;
    private FileTime monitoredTime;

    ProcessPool(FastCgiApplication app, Path socketFolder, String name) {
        this.app = app;
        this.socketFolder = socketFolder;
        this.name = name;
        this.monitoredTime = monitoredFileTime();
    }

    /** @return the configuration this pool runs */
    FastCgiApplication application() {
        return app;
    }

    /**
     * Takes an idle process, starts one when fewer than {@code maxInstances} run, or waits in the
     * queue for one to be released.
     *
     * @return a process reserved for the caller until {@link #release}
     * @throws QueueFullException   if {@code queueLength} requests are already waiting
     * @throws PoolOfflineException if the pool is offline after rapid failures, or closed
     * @throws IOException          if a process cannot be started
     * @throws InterruptedException if the waiting thread is interrupted
     */
    FastCgiProcess acquire() throws QueueFullException, PoolOfflineException, IOException, InterruptedException {
        int startGeneration;
        long socketNumber;
        lock.lock();
        try {
            while (true) {
                checkOnline();
                FastCgiProcess p = idle.pollLast();
                if (p != null) {
                    if (p.isAlive()) {
                        return p;
                    }
                    live--;
                    recordFailureLocked("process " + p.pid() + " exited while idle");
                    continue;
                }
                if (live < app.effectiveMaxInstances()) {
                    live++;
                    startGeneration = generation;
                    socketNumber = ++socketCounter;
                    break;
                }
                if (waiting >= app.queueLength()) {
                    throw new QueueFullException("the FastCGI queue of " + app.key() + " is full (" + app.queueLength()
                            + " requests wait for " + live + " busy processes)");
                }
                waiting++;
                try {
                    released.await();
                } finally {
                    waiting--;
                }
            }
        } finally {
            lock.unlock();
        }
        try {
            return FastCgiProcess.start(
                    app, socketFolder.resolve(name + "-" + socketNumber + ".sock"), startGeneration);
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                live--;
                recordFailureLocked("start failed: " + e.getMessage());
                released.signal();
            } finally {
                lock.unlock();
            }
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    /**
     * Gives a process back after a request.
     *
     * @param process the process from {@link #acquire()}
     * @param healthy false when the request failed in a way that leaves the process unusable (it is
     *                stopped, and counted as a failure when {@code failed})
     * @param failed  true when the process itself failed (crash, timeout): counts towards
     *                {@code rapidFailsPerMinute}
     */
    void release(FastCgiProcess process, boolean healthy, boolean failed) {
        boolean stop;
        lock.lock();
        try {
            process.served++;
            process.idleSince = System.nanoTime();
            stop = !healthy
                    || closed
                    || !process.isAlive()
                    || process.generation != generation
                    || process.served >= app.instanceMaxRequests();
            if (failed) {
                recordFailureLocked(process + " failed");
            }
            if (stop) {
                live--;
            } else {
                idle.addLast(process);
            }
            released.signal();
        } finally {
            lock.unlock();
        }
        if (stop) {
            process.stop(healthy ? app.signalBeforeTerminateSeconds() : Duration.ZERO);
        }
    }

    /**
     * Housekeeping, called about once a second: stops processes idle longer than
     * {@code idleTimeout}, and recycles the pool when {@code monitorChangesTo} changed.
     */
    void tick() {
        List<FastCgiProcess> stopping = new ArrayList<>();
        lock.lock();
        try {
            FileTime now = monitoredFileTime();
            if (!Objects.equals(now, monitoredTime)) {
                monitoredTime = now;
                generation++;
                LOG.log(
                        System.Logger.Level.INFO,
                        "{0} changed: recycling the FastCGI processes of {1}",
                        app.monitorChangesTo(),
                        app.key());
                stopping.addAll(idle);
                live -= idle.size();
                idle.clear();
            }
            long limit = System.nanoTime() - app.idleTimeout().toNanos();
            for (var it = idle.iterator(); it.hasNext(); ) {
                FastCgiProcess p = it.next();
                if (p.idleSince - limit < 0 || !p.isAlive()) {
                    it.remove();
                    live--;
                    stopping.add(p);
                }
            }
            if (!stopping.isEmpty()) {
                released.signalAll();
            }
        } finally {
            lock.unlock();
        }
        for (FastCgiProcess p : stopping) {
            p.stop(app.signalBeforeTerminateSeconds());
        }
    }

    /** Stops every idle process now and the busy ones as they are released; refuses new requests. */
    void close() {
        List<FastCgiProcess> stopping;
        lock.lock();
        try {
            closed = true;
            stopping = new ArrayList<>(idle);
            live -= idle.size();
            idle.clear();
            released.signalAll();
        } finally {
            lock.unlock();
        }
        stopping.forEach(FastCgiProcess::kill);
    }

    /** @return processes running (idle or busy) */
    int liveProcesses() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }

    private void checkOnline() throws PoolOfflineException {
        if (closed) {
            throw new PoolOfflineException("the FastCGI pool of " + app.key() + " was shut down");
        }
        if (offlineUntil != 0 && System.nanoTime() - offlineUntil < 0) {
            throw new PoolOfflineException("The FastCGI process has failed frequently recently ("
                    + app.rapidFailsPerMinute() + " failures within a minute); try the request again in a while");
        }
    }

    private void recordFailureLocked(String what) {
        LOG.log(System.Logger.Level.WARNING, "FastCGI application {0}: {1}", app.key(), what);
        if (app.rapidFailsPerMinute() == 0) {
            return;
        }
        long now = System.nanoTime();
        failures.addLast(now);
        long minute = TimeUnit.MINUTES.toNanos(1);
        while (!failures.isEmpty() && now - failures.peekFirst() > minute) {
            failures.pollFirst();
        }
        if (failures.size() > app.rapidFailsPerMinute()) {
            offlineUntil = failures.peekFirst() + minute;
            LOG.log(
                    System.Logger.Level.ERROR,
                    "FastCGI application {0} failed {1} times within a minute: "
                            + "refusing its requests for up to a minute",
                    app.key(),
                    failures.size());
        }
    }

    private FileTime monitoredFileTime() {
        if (app.monitorChangesTo().isEmpty()) {
            return null;
        }
        Path file = Path.of(app.monitorChangesTo());
        if (!file.isAbsolute()) {
            Path folder = Path.of(app.fullPath()).getParent();
            file = folder == null ? file : folder.resolve(file);
        }
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }
}
