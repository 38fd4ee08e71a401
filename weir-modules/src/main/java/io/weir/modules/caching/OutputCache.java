package io.weir.modules.caching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.weir.api.HttpServer;
import io.weir.api.http.StoredContext;
import io.weir.api.provider.CacheOperation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The output cache of HttpCacheModule (IIS's user-mode output cache): responses by key, bounded by
 * {@code maxCacheSize}, least recently used dropped first. Kept in the server's module context
 * container, where {@code weir list cache} finds it. Every insertion and removal raises
 * GL_CACHE_OPERATION. Thread-safe.
 */
public final class OutputCache implements StoredContext {

    private static final long DEFAULT_BYTES = 64L * 1024 * 1024;
    private static final int ENTRY_OVERHEAD_BYTES = 512;

    private final HttpServer server;
    private final Cache<String, CachedResponse> entries;
    private final Map<String, LongAdder> hitsByKey = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private volatile long maxCacheSizeMb = -1;

    /** One entry as {@code weir list cache} shows it. */
    public record Listing(String key, long bytes, long hits, String until) {}

    OutputCache(HttpServer server) {
        this.server = server;
        this.entries = Caffeine.newBuilder()
                .maximumWeight(DEFAULT_BYTES)
                .weigher((String k, CachedResponse r) ->
                        ENTRY_OVERHEAD_BYTES + r.body().remaining())
                .executor(Runnable::run)
                .removalListener((String k, CachedResponse r, RemovalCause cause) -> {
                    if (k != null && cause != RemovalCause.REPLACED) {
                        hitsByKey.remove(k);
                        server.notifyCacheOperation(CacheOperation.DELETE, k, r);
                    }
                })
                .build();
    }

    /** Applies {@code maxCacheSize} (MB; 0 for Weir's 64 MB) when it changed. */
    void limit(long megabytes) {
        if (megabytes != maxCacheSizeMb) {
            maxCacheSizeMb = megabytes;
            long bytes = megabytes == 0 ? DEFAULT_BYTES : megabytes * 1024 * 1024;
            entries.policy().eviction().ifPresent(e -> e.setMaximum(bytes));
        }
    }

    CachedResponse get(String key) {
        CachedResponse r = entries.getIfPresent(key);
        if (r == null) {
            misses.increment();
        }
        return r;
    }

    void hit(String key) {
        hits.increment();
        hitsByKey.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    void put(String key, CachedResponse response) {
        entries.put(key, response);
        server.notifyCacheOperation(CacheOperation.ADD, key, response);
    }

    void remove(String key) {
        entries.invalidate(key);
    }

    /** Drops the entries that depend on a changed file or folder. */
    void invalidate(Path changed) {
        Path p = changed.toAbsolutePath().normalize();
        entries.asMap().entrySet().removeIf(e -> {
            Path d = e.getValue().dependency();
            return d != null && d.startsWith(p);
        });
    }

    /** Drops expired entries and performs pending maintenance (GL_CACHE_CLEANUP). */
    void cleanUp() {
        long now = System.nanoTime();
        entries.asMap().entrySet().removeIf(e -> {
            long at = e.getValue().expiresAtNanos();
            return at != Long.MAX_VALUE && now - at >= 0;
        });
        entries.cleanUp();
    }

    /** @return the entries, for {@code weir list cache} */
    public List<Listing> list() {
        long now = System.nanoTime();
        return entries.asMap().entrySet().stream()
                .map(e -> new Listing(
                        e.getKey(),
                        e.getValue().body().remaining(),
                        hitsByKey.getOrDefault(e.getKey(), new LongAdder()).sum(),
                        e.getValue().expiresAtNanos() == Long.MAX_VALUE
                                ? "change"
                                : Long.toString(Math.max(0, (e.getValue().expiresAtNanos() - now) / 1_000_000_000L))))
                .toList();
    }

    /** @return requests answered from the output cache since start */
    public long hits() {
        return hits.sum();
    }

    /** @return lookups that found nothing since start */
    public long misses() {
        return misses.sum();
    }

    /** @return the bytes of the bodies held */
    public long bytes() {
        long total = 0;
        for (CachedResponse r : entries.asMap().values()) {
            total += r.body().remaining();
        }
        return total;
    }

    /** @return the entries held */
    public long size() {
        return entries.asMap().size();
    }

    @Override
    public void cleanupStoredContext() {
        entries.invalidateAll();
    }
}
