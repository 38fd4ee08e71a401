package io.weir.modules.caching;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.weir.api.HttpServer;
import io.weir.api.ModuleId;
import io.weir.api.http.StoredContext;
import io.weir.modules.compression.ServerRuntimeSection;
import java.time.Duration;

/**
 * What HttpCacheModule's instances share: the output cache (kept in the server's module context
 * container under the module's id, where {@code weir list cache} finds it) and the hit counts that
 * tell when a URL is frequently hit. Thread-safe.
 */
final class HttpCacheShared {

    /** Hits of one URL within the current window. */
    private static final class Window {
        long startNanos;
        long hits;

        synchronized boolean hit(long now, long threshold, long periodNanos) {
            if (hits == 0 || now - startNanos > periodNanos) {
                startNanos = now;
                hits = 0;
            }
            hits++;
            return hits >= threshold;
        }
    }

    private final HttpServer server;
    private final ModuleId id;
    private final Cache<String, Window> windows = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterAccess(Duration.ofMinutes(2))
            .build();

    HttpCacheShared(HttpServer server, ModuleId id) {
        this.server = server;
        this.id = id;
    }

    /** @return the output cache, created on first use */
    OutputCache outputCache() {
        StoredContext stored = server.moduleContextContainer().moduleContext(id).orElse(null);
        if (stored instanceof OutputCache cache) {
            return cache;
        }
        synchronized (this) {
            stored = server.moduleContextContainer().moduleContext(id).orElse(null);
            if (stored instanceof OutputCache cache) {
                return cache;
            }
            OutputCache cache = new OutputCache(server);
            server.moduleContextContainer().setModuleContext(cache, id);
            return cache;
        }
    }

    /** @return the output cache when one was created */
    OutputCache outputCacheIfCreated() {
        return server.moduleContextContainer().moduleContext(id).orElse(null) instanceof OutputCache c ? c : null;
    }

    /**
     * Counts a hit of a URL and tells whether it is frequently hit now.
     *
     * @param url     the URL's key
     * @param runtime the serverRuntime section
     * @return true once {@code frequentHitThreshold} hits came within {@code frequentHitTimePeriod}
     */
    boolean frequentlyHit(String url, ServerRuntimeSection runtime) {
        if (runtime.frequentHitThreshold() <= 1) {
            return true;
        }
        return windows.get(url, k -> new Window())
                .hit(
                        System.nanoTime(),
                        runtime.frequentHitThreshold(),
                        runtime.frequentHitTimePeriod().toNanos());
    }
}
