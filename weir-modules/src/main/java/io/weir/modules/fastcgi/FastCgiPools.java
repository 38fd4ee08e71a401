package io.weir.modules.fastcgi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server-wide state of FastCgiModule: one {@link ProcessPool} per {@code fastCgi/application}
 * key (replaced when its settings change), one {@link ConnectionPool} per external server that has
 * such an entry, the private folder holding the processes' sockets, and one timer
 * thread that once a second stops idle processes, checks {@code monitorChangesTo} files and fails
 * requests past their {@code activityTimeout} or {@code requestTimeout}. Created by the module's
 * registration and closed by its factory's {@code terminate()} (and, as a safety net, when the JVM
 * exits).
 */
final class FastCgiPools {

    private static final System.Logger LOG = System.getLogger(FastCgiPools.class.getName());

    /** The record buffers of a request to an external server, reused across requests. @param encoder its encoder @param reader its reader */
    record Buffers(RecordEncoder encoder, RecordReader reader) {}

    private static final int KEPT_BUFFERS = 64;

    private final Map<String, ProcessPool> pools = new ConcurrentHashMap<>();
    private final Map<String, ConnectionPool> connectionPools = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Buffers> spareBuffers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger spareCount = new AtomicInteger();
    private final Set<RequestWatch> watched = ConcurrentHashMap.newKeySet();
    private final AtomicInteger poolNumbers = new AtomicInteger();
    private final Thread shutdownHook = new Thread(this::close, "weir-fastcgi-shutdown");
    private volatile ScheduledExecutorService timer;
    private volatile Path socketFolder;
    private volatile boolean closed;

    /**
     * Returns the pool of an application entry, creating it (and, the first time, the socket
     * folder and the timer) when needed; a pool whose entry changed is closed and replaced.
     *
     * @param app the entry
     * @return its pool
     * @throws IOException if the socket folder cannot be created
     */
    ProcessPool pool(FastCgiApplication app) throws IOException {
        ProcessPool pool = pools.get(app.key());
        if (pool != null && pool.application().equals(app)) {
            return pool;
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("FastCgiModule was terminated");
            }
            pool = pools.get(app.key());
            if (pool != null && pool.application().equals(app)) {
                return pool;
            }
            if (socketFolder == null) {
                socketFolder = Files.createTempDirectory(
                        "weir-fastcgi-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            startTimer();
            ProcessPool fresh = new ProcessPool(app, socketFolder, "pool" + poolNumbers.incrementAndGet());
            ProcessPool old = pools.put(app.key(), fresh);
            if (old != null) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "the settings of FastCGI application {0} changed: new pool",
                        app.key());
                old.close();
            }
            return fresh;
        }
    }

    /**
     * Returns the kept connections to an external FastCGI server that has a {@code fastCgi}
     * entry, creating them when needed; a pool whose entry changed is closed and replaced.
     *
     * @param endpoint the server's address
     * @param settings the entry whose {@code fullPath} is that address
     * @return its connection pool
     * @throws IOException if FastCgiModule was terminated
     */
    ConnectionPool connections(FastCgiEndpoint endpoint, FastCgiApplication settings) throws IOException {
        ConnectionPool pool = connectionPools.get(settings.key());
        if (pool != null && pool.settings().equals(settings)) {
            return pool;
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("FastCgiModule was terminated");
            }
            pool = connectionPools.get(settings.key());
            if (pool != null && pool.settings().equals(settings)) {
                return pool;
            }
            startTimer();
            ConnectionPool fresh = new ConnectionPool(endpoint, settings);
            ConnectionPool old = connectionPools.put(settings.key(), fresh);
            if (old != null) {
                old.close();
            }
            return fresh;
        }
    }

    /** Starts the housekeeping timer and the shutdown hook, once; called holding this object's lock. */
    private void startTimer() {
        if (timer == null) {
            ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "weir-fastcgi-timer");
                thread.setDaemon(true);
                return thread;
            });
            t.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            timer = t;
        }
    }

    /**
     * Makes sure the timer runs, which watches the timeouts of requests to external servers too.
     *
     * @throws IOException if FastCgiModule was terminated
     */
    void ensureTimer() throws IOException {
        if (timer == null) {
            synchronized (this) {
                if (closed) {
                    throw new IOException("FastCgiModule was terminated");
                }
                startTimer();
            }
        }
    }

    /**
     * Takes record buffers for a request to an external server (a process of a pool has its own).
     *
     * @return buffers reserved for the caller until {@link #returnBuffers}
     */
    Buffers borrowBuffers() {
        Buffers b = spareBuffers.poll();
        if (b == null) {
            return new Buffers(new RecordEncoder(), new RecordReader());
        }
        spareCount.decrementAndGet();
        return b;
    }

    /**
     * Gives buffers back; at most 64 are kept.
     *
     * @param buffers the buffers from {@link #borrowBuffers()}
     */
    void returnBuffers(Buffers buffers) {
        if (spareCount.incrementAndGet() <= KEPT_BUFFERS) {
            spareBuffers.offer(buffers);
        } else {
            spareCount.decrementAndGet();
        }
    }

    /**
     * Starts watching a request for its timeouts.
     *
     * @param watch the request
     */
    void watch(RequestWatch watch) {
        watched.add(watch);
    }

    /**
     * Stops watching a request.
     *
     * @param watch the request
     */
    void unwatch(RequestWatch watch) {
        watched.remove(watch);
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            for (RequestWatch w : watched) {
                w.check(now);
            }
            for (ProcessPool p : pools.values()) {
                p.tick();
            }
            for (ConnectionPool c : connectionPools.values()) {
                c.tick();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "FastCGI housekeeping failed", e);
        }
    }

    /** Stops every process and the timer, and removes the socket folder. Idempotent. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (RequestWatch w : watched) {
            w.abort("the server is stopping");
        }
        pools.values().forEach(ProcessPool::close);
        pools.clear();
        connectionPools.values().forEach(ConnectionPool::close);
        connectionPools.clear();
        if (timer != null) {
            timer.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyExiting) {
                // called from the hook itself
            }
        }
        if (socketFolder != null) {
            try (var files = Files.list(socketFolder)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(socketFolder);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "could not remove {0}: {1}", socketFolder, e.toString());
            }
        }
    }
}
