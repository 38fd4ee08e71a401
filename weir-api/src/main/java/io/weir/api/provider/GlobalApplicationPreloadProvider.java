package io.weir.api.provider;

import io.weir.api.http.HttpApplication;

/**
 * The provider of GL_APPLICATION_PRELOAD; mirrors IIS's {@code IGlobalApplicationPreloadProvider}.
 *
 * <p>Weir raises it when the engine starts, after APPLICATION_START, for every application whose
 * {@code <application preloadEnabled="true">} (IIS's attribute, default false; also settable in
 * {@code applicationDefaults}), and for such applications that a configuration reload adds (then
 * {@link #isProcessRecycled()} is true). It runs on the thread that starts or reloads the engine,
 * never on an event loop.
 */
public interface GlobalApplicationPreloadProvider extends HttpApplicationProvider {

    /**
     * Runs a warm-up request through the application's pipeline and waits for its response (at most
     * 30 seconds). Mirrors {@code CreateContext} followed by {@code ExecuteRequest}. The request is
     * a GET with the {@code Host} of the site's first binding (or {@code localhost}), from the
     * loopback address, with no entity; it goes through GL_PRE_BEGIN_REQUEST and the whole pipeline
     * like a client's. Its body is discarded.
     *
     * @param url the absolute URL path to request, optionally with a query string
     * @return the response's status code, or 0 when it did not complete in time or was aborted
     * @throws IllegalArgumentException if {@code url} is not an absolute path
     */
    int executeRequest(String url);

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
