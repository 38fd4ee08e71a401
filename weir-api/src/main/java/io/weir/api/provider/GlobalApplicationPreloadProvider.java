package io.weir.api.provider;

import io.weir.api.http.HttpApplication;

/**
 * The provider of GL_APPLICATION_PRELOAD; mirrors IIS's {@code IGlobalApplicationPreloadProvider}.
 */
public interface GlobalApplicationPreloadProvider extends HttpApplicationProvider {

    /**
     * Runs a warm-up request through the application's pipeline. Mirrors {@code CreateContext}
     * followed by {@code ExecuteRequest}.
     *
     * @param url the absolute URL path to request
     */
    void executeRequest(String url);

    /**
     * Tells whether the preload follows a recycle rather than a first start. Mirrors
     * {@code IsProcessRecycled}.
     *
     * @return true after a recycle
     */
    boolean isProcessRecycled();

    /**
     * Returns the application being preloaded.
     *
     * @return the application
     */
    @Override
    HttpApplication application();
}
