package io.weir.api.cache;

/**
 * Told of each request the {@link KernelResponseCache} answered, so that a module that must account
 * for every request (the access log, as http.sys logs its cache hits) can; called on the event loop
 * that answered, after the response was handed to the connection. Must not block.
 */
@FunctionalInterface
public interface KernelCacheHitListener {

    /**
     * Hears of one hit.
     *
     * @param hit the request and the response it got
     */
    void onKernelCacheHit(KernelCacheHit hit);
}
