package io.weir.modules.fastcgi;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The connections Weir keeps open ({@code FCGI_KEEP_CONN}) to one external FastCGI server, such as
 * php-fpm, named by a {@code scriptProcessor} of the form {@code unix:/path} or
 * {@code tcp://host:port} that has a {@code fastCgi/application} entry of the same
 * {@code fullPath}. The entry's attributes set the limits, as they do for a pool of processes: at
 * most {@code maxInstances} connections at once (busy or idle; a server such as php-fpm ties one
 * worker to each open connection, so this must not exceed its workers); at most
 * {@code queueLength} requests wait for one (one more gets 503.2); a connection carries at most
 * {@code instanceMaxRequests} requests and is closed after {@code idleTimeout} unused.
 *
 * <p>A kept connection the server closed meanwhile (a php-fpm worker that reached
 * {@code pm.max_requests} or was stopped) is found closed when it is taken, closed on Weir's side
 * and replaced by a new one. Threads: {@link #acquire()} blocks the calling virtual thread while it
 * waits or connects; everything else returns at once.
 */
final class ConnectionPool {

    private static final System.Logger LOG = System.getLogger(ConnectionPool.class.getName());

    /** A kept connection with its use count. */
    private static final class Kept {
        final FastCgiConnection connection;
        int served;
        long idleSince;

        Kept(FastCgiConnection connection) {
            this.connection = connection;
        }
    }

    private final FastCgiEndpoint endpoint;
    private final FastCgiApplication settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final ArrayDeque<Kept> idle = new ArrayDeque<>();
    private final Map<FastCgiConnection, Kept> busy = new IdentityHashMap<>();
    private int live;
    private int waiting;
    private boolean closed;

    ConnectionPool(FastCgiEndpoint endpoint, FastCgiApplication settings) {
        this.endpoint = endpoint;
        this.settings = settings;
    }

    /** @return the entry whose limits this pool applies */
    FastCgiApplication settings() {
        return settings;
    }

    /**
     * Takes a kept connection the server has not closed, opens a new one when fewer than
     * {@code maxInstances} are open, or waits in the queue for one to be released.
     *
     * @return a connection reserved for the caller until {@link #release}
     * @throws ProcessPool.QueueFullException   if {@code queueLength} requests already wait
     * @throws ProcessPool.PoolOfflineException if the pool was closed (its settings changed or the
     *                                          server stops)
     * @throws IOException                      if the server does not accept a new connection
     * @throws InterruptedException             if the waiting thread is interrupted
     */
    FastCgiConnection acquire()
            throws ProcessPool.QueueFullException, ProcessPool.PoolOfflineException, IOException, InterruptedException {
        return acquire(false);
    }

    /**
     * Takes a connection as {@link #acquire()} does, or with {@code fresh} always a newly opened
     * one (closing an idle one when the pool is at its limit): for a request to retry after its
     * kept connection turned out to be closed.
     *
     * @param fresh true to open a new connection rather than take a kept one
     * @return a connection reserved for the caller until {@link #release}
     * @throws ProcessPool.QueueFullException   if {@code queueLength} requests already wait
     * @throws ProcessPool.PoolOfflineException if the pool was closed
     * @throws IOException                      if the server does not accept a new connection
     * @throws InterruptedException             if the waiting thread is interrupted
     */
    FastCgiConnection acquire(boolean fresh)
            throws ProcessPool.QueueFullException, ProcessPool.PoolOfflineException, IOException, InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (closed) {
                    throw new ProcessPool.PoolOfflineException(
                            "the FastCGI connections to " + endpoint + " were closed");
                }
                if (fresh && live >= settings.effectiveMaxInstances() && !idle.isEmpty()) {
                    idle.pollFirst().connection.close();
                    live--;
                }
                Kept k = fresh ? null : idle.pollLast();
                if (k != null) {
                    if (k.connection.isReusable()) {
                        busy.put(k.connection, k);
                        return k.connection;
                    }
                    // the server closed it while it was idle: replace it
                    k.connection.close();
                    live--;
                    LOG.log(
                            System.Logger.Level.DEBUG,
                            "FastCGI server {0} closed a kept connection after {1} requests",
                            endpoint,
                            k.served);
                    continue;
                }
                if (live < settings.effectiveMaxInstances()) {
                    live++;
                    break;
                }
                if (waiting >= settings.queueLength()) {
                    throw new ProcessPool.QueueFullException("the FastCGI queue of " + endpoint + " is full ("
                            + settings.queueLength() + " requests wait for " + live + " busy connections)");
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
        FastCgiConnection opened;
        try {
            opened = endpoint.connect();
        } catch (IOException | RuntimeException e) {
            lock.lock();
            try {
                live--;
                released.signal();
            } finally {
                lock.unlock();
            }
            throw e;
        }
        lock.lock();
        try {
            busy.put(opened, new Kept(opened));
        } finally {
            lock.unlock();
        }
        return opened;
    }

    /**
     * Gives a connection back after a request.
     *
     * @param connection the connection from {@link #acquire()}
     * @param reusable   true when its request ended cleanly ({@code FCGI_REQUEST_COMPLETE}) and it
     *                   may carry the next one; false closes it
     */
    void release(FastCgiConnection connection, boolean reusable) {
        boolean close;
        lock.lock();
        try {
            Kept k = busy.remove(connection);
            if (k == null) {
                return; // released already
            }
            k.served++;
            k.idleSince = System.nanoTime();
            close = !reusable || closed || k.served >= settings.instanceMaxRequests();
            if (close) {
                live--;
            } else {
                idle.addLast(k);
            }
            released.signal();
        } finally {
            lock.unlock();
        }
        if (close) {
            connection.close();
        }
    }

    /** Housekeeping, about once a second: closes connections idle longer than {@code idleTimeout}. */
    void tick() {
        List<Kept> closing = new ArrayList<>();
        lock.lock();
        try {
            long limit = System.nanoTime() - settings.idleTimeout().toNanos();
            for (var it = idle.iterator(); it.hasNext(); ) {
                Kept k = it.next();
                if (k.idleSince - limit < 0) {
                    it.remove();
                    live--;
                    closing.add(k);
                }
            }
            if (!closing.isEmpty()) {
                released.signalAll();
            }
        } finally {
            lock.unlock();
        }
        closing.forEach(k -> k.connection.close());
    }

    /** Closes the idle connections now and the busy ones as they are released; refuses new requests. */
    void close() {
        List<Kept> closing;
        lock.lock();
        try {
            closed = true;
            closing = new ArrayList<>(idle);
            live -= idle.size();
            idle.clear();
            released.signalAll();
        } finally {
            lock.unlock();
        }
        closing.forEach(k -> k.connection.close());
    }

    /**
     * Tells whether a connection taken from this pool has carried a request before (so the server
     * may have closed it since, unseen).
     *
     * @param connection a connection from {@link #acquire()}, not yet released
     * @return true when it was a kept one
     */
    boolean wasKept(FastCgiConnection connection) {
        lock.lock();
        try {
            Kept k = busy.get(connection);
            return k != null && k.served > 0;
        } finally {
            lock.unlock();
        }
    }

    /** @return connections open (idle or busy) */
    int openConnections() {
        lock.lock();
        try {
            return live;
        } finally {
            lock.unlock();
        }
    }
}
