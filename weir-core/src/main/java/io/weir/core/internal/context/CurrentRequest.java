package io.weir.core.internal.context;

import io.weir.api.http.HttpApplication;

/**
 * Which request's pipeline is running on the current thread, kept only while some global module of
 * the generation registered GL_THREAD_CLEANUP (whose provider names the application a blocking task
 * worked for), so that requests pay nothing otherwise.
 */
public final class CurrentRequest {

    private static final ThreadLocal<RequestContext> CURRENT = new ThreadLocal<>();

    private CurrentRequest() {}

    /**
     * Records a request as running on this thread; called by the pipeline around its walk.
     *
     * @param context the request
     * @return the request previously recorded, for {@link #exit}
     */
    public static RequestContext enter(RequestContext context) {
        RequestContext previous = CURRENT.get();
        CURRENT.set(context);
        return previous;
    }

    /** @param previous what {@link #enter} returned */
    public static void exit(RequestContext previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** @return the application of the request whose pipeline runs on this thread, or null */
    public static HttpApplication application() {
        RequestContext c = CURRENT.get();
        return c == null ? null : c.application();
    }
}
