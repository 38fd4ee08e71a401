package io.weir.api.http;

/**
 * Server state cached per URL; mirrors IIS's {@code IHttpUrlInfo}. Thread-safe.
 */
public interface HttpUrlInfo {

    /**
     * Tells whether the URL is hit often (by default twice within 10 seconds, as IIS's
     * {@code serverRuntime@frequentHitThreshold}); output caches use it.
     *
     * @return true when the URL counts as frequently hit
     */
    boolean isFrequentlyHit();

    /**
     * Returns the per-URL store.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();
}
