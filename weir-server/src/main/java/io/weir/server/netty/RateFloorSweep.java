package io.weir.server.netty;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The once-a-second check of {@code webLimits@minBytesPerSecond} (http.sys's MinSendRate and its
 * entity-body rate) for every connection of one event loop that is receiving a body or sending a
 * response: one scheduled task per event loop, not one per connection. With 20,000 slow bodies
 * open, per-connection timers meant 20,000 task allocations and priority-queue insertions a second
 * on the event loops; the sweep walks a list instead. A connection joins with {@link #watch} and
 * leaves when its check answers false (it is closed, or has nothing in progress). Event-loop
 * confined: every method runs on {@link #executor}.
 */
final class RateFloorSweep {

    /** A connection under the rate floor. */
    interface Watched {
        /**
         * Checks the connection's rate once, closing it when it is too slow.
         *
         * @param now {@code System.nanoTime()} of this sweep
         * @return true to be checked again in a second, false to leave the sweep
         */
        boolean checkRate(long now);
    }

    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventExecutor executor;
    private ArrayList<Watched> watched = new ArrayList<>();
    private ArrayList<Watched> spare = new ArrayList<>();
    private boolean scheduled;

    RateFloorSweep(EventExecutor executor) {
        this.executor = executor;
    }

    /**
     * Adds a connection to the next sweeps, which check it at most a second from now and then once a
     * second while it answers true. The caller adds a connection at most once until it has left.
     *
     * @param connection the connection
     */
    void watch(Watched connection) {
        watched.add(connection);
        if (!scheduled) {
            scheduled = true;
            executor.schedule(this::sweep, PERIOD_NANOS, TimeUnit.NANOSECONDS);
        }
    }

    private void sweep() {
        ArrayList<Watched> current = watched;
        watched = spare;
        long now = System.nanoTime();
        for (int i = 0, n = current.size(); i < n; i++) {
            Watched connection = current.get(i);
            if (connection.checkRate(now)) {
                watched.add(connection);
            }
        }
        current.clear();
        spare = current;
        if (watched.isEmpty()) {
            scheduled = false;
        } else {
            executor.schedule(this::sweep, PERIOD_NANOS, TimeUnit.NANOSECONDS);
        }
    }
}
