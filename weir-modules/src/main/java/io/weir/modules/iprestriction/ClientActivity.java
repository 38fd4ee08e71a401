package io.weir.modules.iprestriction;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

/**
 * Per-client counters of DynamicIpRestrictionModule: requests in flight and requests in the
 * current rate window, keyed by client address and limits (URLs whose {@code dynamicIpSecurity}
 * settings are equal share a client's counters; a folder with other limits counts apart), in a bounded, expiring Caffeine cache so that a
 * flood of distinct (or spoofed) addresses cannot exhaust memory. Thread-safe: every change to a
 * client happens inside the map's per-key {@code compute}.
 *
 * <p>An entry with requests in flight never expires; an idle one expires one rate interval (at
 * least one second) after its last use. When more than {@link #MAX_CLIENTS} clients are tracked,
 * Caffeine evicts the least valuable (W-TinyLFU keeps frequent clients): an evicted client with
 * requests in flight starts again from zero, so under such a flood a client may get a few more
 * concurrent requests than the limit — the price of the bound, never a leak or a permanent block.
 */
final class ClientActivity {

    /** The most clients tracked at once (about 100 bytes each). */
    static final int MAX_CLIENTS = 100_000;

    private static final long MIN_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What {@link #begin} decided. */
    enum Verdict {
        /** Within both limits. */
        ALLOWED,
        /** Over {@code maxConcurrentRequests}: x.501. */
        TOO_MANY_CONCURRENT,
        /** Over {@code maxRequests} in the interval: x.502. */
        TOO_MANY_REQUESTS
    }

    /** One client's counters; mutated only inside the cache's compute for its key. */
    static final class Client {
        private int inFlight;
        private long windowStart;
        private long windowCount;
        private long idleNanos = MIN_IDLE_NANOS;

        /** @return requests counted in flight (for tests) */
        synchronized int inFlight() {
            return inFlight;
        }
    }

    /** A client under one set of limits. */
    record Key(InetAddress address, DynamicIpSecuritySection limits) {}

    /** The result of one {@link #begin}: the verdict and the entry to pass to {@link #end}, null when not counted. */
    record Admission(Verdict verdict, Key key, Client counted, boolean firstOverLimit) {}

    private final Cache<Key, Client> clients;
    private final Ticker ticker;

    /**
     * Creates the table.
     *
     * @param maxClients the bound on tracked clients
     * @param ticker     the clock, in nanoseconds (tests pass a fake one)
     */
    ClientActivity(int maxClients, Ticker ticker) {
        this.ticker = ticker;
        this.clients = Caffeine.newBuilder()
                .maximumSize(maxClients)
                .ticker(ticker)
                .executor(Runnable::run)
                .expireAfter(new Expiry<Key, Client>() {
                    @Override
                    public long expireAfterCreate(Key key, Client client, long now) {
                        return idle(client);
                    }

                    @Override
                    public long expireAfterUpdate(Key key, Client client, long now, long current) {
                        return idle(client);
                    }

                    @Override
                    public long expireAfterRead(Key key, Client client, long now, long current) {
                        return current;
                    }
                })
                .build();
    }

    private static long idle(Client client) {
        return client.inFlight > 0 ? Long.MAX_VALUE : client.idleNanos;
    }

    /**
     * Counts a request of a client at its start and decides whether it is over a limit.
     *
     * @param address the client
     * @param section the limits of the request's URL
     * @return the verdict, and the entry to release at the end when concurrency is counted
     */
    Admission begin(InetAddress address, DynamicIpSecuritySection section) {
        long now = ticker.read();
        boolean countConcurrent = section.denyByConcurrentRequests();
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(section.requestIntervalInMilliseconds());
        boolean[] first = new boolean[1];
        Verdict[] decided = new Verdict[1];
        Key key = new Key(address, section);
        Client client = clients.asMap().compute(key, (k, c) -> {
            Client entry = c == null ? new Client() : c;
            synchronized (entry) {
                Verdict verdict = Verdict.ALLOWED;
                if (countConcurrent) {
                    entry.inFlight++;
                    if (entry.inFlight > section.maxConcurrentRequests()) {
                        verdict = Verdict.TOO_MANY_CONCURRENT;
                        first[0] = entry.inFlight == section.maxConcurrentRequests() + 1;
                    }
                }
                if (section.denyByRequestRate()) {
                    if (c == null || now - entry.windowStart >= intervalNanos) {
                        entry.windowStart = now;
                        entry.windowCount = 0;
                    }
                    entry.windowCount++;
                    if (verdict == Verdict.ALLOWED && entry.windowCount > section.maxRequests()) {
                        verdict = Verdict.TOO_MANY_REQUESTS;
                        first[0] = entry.windowCount == section.maxRequests() + 1;
                    }
                    entry.idleNanos = Math.max(MIN_IDLE_NANOS, intervalNanos);
                }
                decided[0] = verdict;
                return entry;
            }
        });
        return new Admission(decided[0], key, countConcurrent ? client : null, first[0]);
    }

    /**
     * Releases a request counted by {@link #begin} (END_REQUEST). An entry that was evicted in the
     * meantime is decremented harmlessly: it is no longer in the table.
     *
     * @param key     the key {@link #begin} returned
     * @param counted the entry {@link #begin} returned
     */
    void end(Key key, Client counted) {
        Client current = clients.asMap().computeIfPresent(key, (k, c) -> {
            if (c == counted) {
                synchronized (c) {
                    c.inFlight--;
                }
            }
            return c;
        });
        if (current != counted) {
            synchronized (counted) {
                counted.inFlight--;
            }
        }
    }

    /**
     * Returns the requests in flight counted for a client.
     *
     * @param address the client
     * @param limits  the limits it was counted under
     * @return the count, 0 when the client is not tracked
     */
    int inFlight(InetAddress address, DynamicIpSecuritySection limits) {
        Client c = clients.getIfPresent(new Key(address, limits));
        return c == null ? 0 : c.inFlight();
    }

    /**
     * Returns how many clients are tracked (after pending maintenance).
     *
     * @return the estimated size
     */
    long trackedClients() {
        clients.cleanUp();
        return clients.estimatedSize();
    }
}
