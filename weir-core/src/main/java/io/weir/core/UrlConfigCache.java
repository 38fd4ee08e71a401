package io.weir.core;

import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.core.internal.site.ServedSite;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The effective configuration of each URL a generation has served, so that a request for a URL seen
 * before costs two hash lookups instead of a walk of the configuration tree (which, for a URL under a
 * {@code <location>} deeper than any folder, merges the levels again on every call).
 *
 * <p>Consistent with {@link ApplicationHostConfig#effectiveConfig}: an entry holds exactly the
 * instance that call returned, and {@link #clear()} is called whenever the configuration drops
 * anything it had cached (a changed web.config, a folder that appeared or went away), since
 * that is the only way its answer for a URL can change. A lookup that raced with a clear stores its
 * answer in the map it started with, which the clear has already replaced, so a stale answer is
 * never kept. A configuration carrying an error (500.19) is not kept. At most {@value #MAX_URLS}
 * URLs per site are kept; when a site reaches that many (a client walking random URLs), its map
 * starts again empty.
 *
 * <p>Thread-safe; called on event loops, never blocks once the URL's folders have been read.
 */
final class UrlConfigCache {

    /** The URLs kept per site before its map starts again. */
    static final int MAX_URLS = 8192;

    private final ApplicationHostConfig config;
    private volatile ConcurrentHashMap<ServedSite, ConcurrentHashMap<String, EffectiveConfig>> sites =
            new ConcurrentHashMap<>();

    /** @param config the generation's configuration */
    UrlConfigCache(ApplicationHostConfig config) {
        this.config = config;
    }

    /**
     * Returns the effective configuration of a URL of a site.
     *
     * @param site    the site
     * @param urlPath the absolute, decoded URL path
     * @return what {@link ApplicationHostConfig#effectiveConfig} returns for it
     */
    EffectiveConfig effectiveConfig(ServedSite site, String urlPath) {
        ConcurrentHashMap<ServedSite, ConcurrentHashMap<String, EffectiveConfig>> current = sites;
        ConcurrentHashMap<String, EffectiveConfig> urls = current.get(site);
        if (urls != null) {
            EffectiveConfig cached = urls.get(urlPath);
            if (cached != null) {
                return cached;
            }
        }
        EffectiveConfig effective = config.effectiveConfig(site.siteName(), urlPath);
        if (effective.error().isEmpty()) {
            if (urls == null) {
                urls = current.computeIfAbsent(site, s -> new ConcurrentHashMap<>());
            }
            if (urls.size() >= MAX_URLS) {
                urls.clear();
            }
            urls.put(urlPath, effective);
        }
        return effective;
    }

    /**
     * @param site a site
     * @return how many URLs of the site are kept now
     */
    int size(ServedSite site) {
        ConcurrentHashMap<String, EffectiveConfig> urls = sites.get(site);
        return urls == null ? 0 : urls.size();
    }

    /** Forgets every URL; the next request of each asks the configuration again. */
    void clear() {
        sites = new ConcurrentHashMap<>();
    }
}
