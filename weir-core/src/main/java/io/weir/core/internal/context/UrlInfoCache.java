package io.weir.core.internal.context;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.weir.api.http.HttpMetadataInfo;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.http.HttpUrlInfo;
import io.weir.core.internal.site.ServedSite;
import io.weir.core.internal.stored.ContextContainer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's per-URL entries ({@code IHttpContext::GetUrlInfo}): one {@link HttpUrlInfo} per
 * site and URL path, with a module context container and the hit count behind
 * {@code IsFrequentlyHit}, and its configuration metadata ({@code GetMetadata}). At most {@value #MAX_ENTRIES} entries; one that no request asked for in
 * two minutes is dropped, and so is everything when the server stops; a dropped entry's stored
 * contexts are cleaned up (on the thread that caused the removal). Thread-safe.
 */
public final class UrlInfoCache {

    /** The largest number of URLs kept. */
    static final int MAX_ENTRIES = 10_000;

    /** IIS's {@code serverRuntime@frequentHitTimePeriod} default: two hits within it make a URL frequent. */
    private static final long FREQUENT_HIT_PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Key(long siteId, String urlPath) {}

    /** A URL's configuration metadata ({@code IMetadataInfo}), made on first use. */
    private record Metadata(String metaPath, Path vrPath, ContextContainer container) implements HttpMetadataInfo {
        @Override
        public HttpModuleContextContainer moduleContextContainer() {
            return container;
        }
    }

    /** One URL's entry. */
    private static final class Entry implements HttpUrlInfo {
        private final ContextContainer container = new ContextContainer();
        private volatile Metadata metadata;
        /** {@link System#nanoTime()} of the hit before the latest, or 0. */
        private final AtomicLong previousHit = new AtomicLong();

        private final AtomicLong latestHit = new AtomicLong();

        void hit(long now) {
            previousHit.set(latestHit.getAndSet(now));
        }

        @Override
        public boolean isFrequentlyHit() {
            long before = previousHit.get();
            return before != 0 && latestHit.get() - before <= FREQUENT_HIT_PERIOD_NANOS;
        }

        @Override
        public HttpModuleContextContainer moduleContextContainer() {
            return container;
        }
    }

    private final Cache<Key, Entry> entries = Caffeine.newBuilder()
            .maximumSize(MAX_ENTRIES)
            .expireAfterAccess(Duration.ofMinutes(2))
            .executor(Runnable::run)
            .removalListener((Key key, Entry value, RemovalCause cause) -> {
                if (value != null) {
                    value.container.cleanup();
                    Metadata m = value.metadata;
                    if (m != null) {
                        m.container().cleanup();
                    }
                }
            })
            .build();

    /**
     * Returns a URL's entry, counting the call as a hit.
     *
     * @param siteId  the site's id
     * @param urlPath the normalized URL path
     * @return the entry, created on first use
     */
    public HttpUrlInfo lookup(long siteId, String urlPath) {
        Entry e = entries.get(new Key(siteId, urlPath), k -> new Entry());
        e.hit(System.nanoTime());
        return e;
    }

    /**
     * Returns a URL's configuration metadata ({@code GetMetadata}), kept with its entry; not a hit.
     *
     * @param site    the site
     * @param urlPath the normalized URL path
     * @return the metadata, made on first use
     */
    public HttpMetadataInfo metadata(ServedSite site, String urlPath) {
        Entry e = entries.get(new Key(site.siteId(), urlPath), k -> new Entry());
        Metadata m = e.metadata;
        if (m == null) {
            synchronized (e) {
                m = e.metadata;
                if (m == null) {
                    String below = urlPath.endsWith("/") ? urlPath.substring(0, urlPath.length() - 1) : urlPath;
                    m = new Metadata(
                            "MACHINE/WEBROOT/APPHOST/" + site.siteName() + below,
                            site.applicationFor(urlPath).contentRoot(urlPath),
                            new ContextContainer());
                    e.metadata = m;
                }
            }
        }
        return m;
    }

    /** Drops every entry, cleaning up what modules stored (the server stops). */
    public void clear() {
        entries.invalidateAll();
    }
}
