package io.weir.core.spi;

import io.weir.api.RequestNotification;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The time modules spend in each notification, measured on a sample of requests: one request in
 * {@link #sampleEvery()} (chosen at random when its pipeline starts) has each of its module calls
 * timed with {@link System#nanoTime()}; the others pay one null check per call. The totals are
 * {@link LongAdder}s per module, notification and post flag, created on a cell's first use: once
 * every cell a server uses exists, recording allocates nothing and takes no lock. Read by the
 * metrics when scraped; the counterpart of the per-module times of IIS's failed-request traces
 * ({@code NOTIFY_MODULE_START}/{@code END}), aggregated instead of per request.
 */
public final class ModuleTimings {

    private static final RequestNotification[] NOTIFICATIONS = RequestNotification.values();

    private final int sampleEvery;
    private final ConcurrentHashMap<String, ModuleCells> modules = new ConcurrentHashMap<>();

    /**
     * Creates an empty table.
     *
     * @param sampleEvery how many requests per timed request (1 times every request)
     * @throws IllegalArgumentException when it is below 1
     */
    public ModuleTimings(int sampleEvery) {
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery must be at least 1, got " + sampleEvery);
        }
        this.sampleEvery = sampleEvery;
    }

    /** @return how many requests per timed request */
    public int sampleEvery() {
        return sampleEvery;
    }

    /**
     * Decides whether a request starting now is timed; called by the engine when a pipeline starts.
     *
     * @param timings the table, or null when nothing is timed
     * @return the table when the request is in the sample, else null
     */
    public static ModuleTimings sample(ModuleTimings timings) {
        if (timings == null) {
            return null;
        }
        return timings.sampleEvery == 1 || ThreadLocalRandom.current().nextInt(timings.sampleEvery) == 0
                ? timings
                : null;
    }

    /**
     * Adds one timed call; called by the engine on the thread that ran the call.
     *
     * @param module       the module's name
     * @param notification the notification
     * @param post         whether it was the post-notification
     * @param nanos        how long the call took
     */
    public void record(String module, RequestNotification notification, boolean post, long nanos) {
        ModuleCells cells = modules.get(module);
        if (cells == null) {
            cells = modules.computeIfAbsent(module, ModuleCells::new);
        }
        cells.cell(notification, post).add(nanos);
    }

    /**
     * Visits every cell that recorded a call.
     *
     * @param visitor receives each cell
     */
    public void forEach(Consumer<Cell> visitor) {
        List<Cell> cells = new ArrayList<>();
        for (ModuleCells m : modules.values()) {
            for (int i = 0; i < m.cells.length(); i++) {
                Cell c = m.cells.get(i);
                if (c != null) {
                    cells.add(c);
                }
            }
        }
        cells.forEach(visitor);
    }

    /** The totals of one module in one notification (or its post-notification). */
    public static final class Cell {
        private final String module;
        private final RequestNotification notification;
        private final boolean post;
        private final LongAdder calls = new LongAdder();
        private final LongAdder nanos = new LongAdder();

        Cell(String module, RequestNotification notification, boolean post) {
            this.module = module;
            this.notification = notification;
            this.post = post;
        }

        void add(long elapsed) {
            calls.increment();
            nanos.add(elapsed);
        }

        /** @return the module's name */
        public String module() {
            return module;
        }

        /** @return the notification, IIS's name with {@code POST_} before a post-notification's */
        public String notification() {
            return post ? "POST_" + notification.name() : notification.name();
        }

        /** @return the timed calls so far */
        public long calls() {
            return calls.sum();
        }

        /** @return their total time, in nanoseconds */
        public long nanos() {
            return nanos.sum();
        }
    }

    /** One module's cells, two per notification (the event and its post-notification). */
    private static final class ModuleCells {
        private final String module;
        private final AtomicReferenceArray<Cell> cells = new AtomicReferenceArray<>(NOTIFICATIONS.length * 2);

        ModuleCells(String module) {
            this.module = module;
        }

        Cell cell(RequestNotification n, boolean post) {
            int index = n.ordinal() * 2 + (post ? 1 : 0);
            Cell c = cells.get(index);
            if (c == null) {
                cells.compareAndSet(index, null, new Cell(module, n, post));
                c = cells.get(index);
            }
            return c;
        }
    }
}
