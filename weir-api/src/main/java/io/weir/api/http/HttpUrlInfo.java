package io.weir.api.http;

/**
 * Server state cached per URL; mirrors IIS's {@code IHttpUrlInfo}. Thread-safe.
 */
public interface HttpUrlInfo {

    /**
     * Tells whether the URL is hit often: at least twice within 10 seconds, IIS's defaults of
     * {@code serverRuntime@frequentHitThreshold} and {@code frequentHitTimePeriod}; output caches
     * use it. Mirrors {@code IsFrequentlyHit}. Weir counts the requests that asked for the URL's
     * {@link HttpContext#urlInfo()}, not every request for the URL.
     *
     * @return true when the URL counts as frequently hit
     */
    boolean isFrequentlyHit();

    /**
     * Returns the per-URL store; mirrors {@code IHttpUrlInfo::GetModuleContextContainer}. What
     * modules store is cleaned up when the URL's entry leaves the cache.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();
}
