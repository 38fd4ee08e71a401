package io.weir.examples.requestcounter;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;

/**
 * Shows the global counter's value in the response header {@value #HEADER_NAME}. A global module
 * cannot add to a response without ending the request, so the counter's request-level half does it
 * in BEGIN_REQUEST. Stateless apart from the shared counter, so one instance serves every request.
 *
 * <p>A response that carries a per-request value must not be answered from the kernel-style cache,
 * which serves later requests before any module runs (and before the global half counts them), so
 * the module disables it for every response it marks, as an IIS module does with
 * {@code IHttpCachePolicy::DisableKernelCache}.
 */
public final class RequestCounterModule implements HttpModule {

    /** The name of the response header that carries the count. */
    public static final String HEADER_NAME = "X-Request-Count";

    private final RequestCounterGlobalModule counter;

    /**
     * Creates the module over a counter.
     *
     * @param counter the global half whose count is shown
     */
    public RequestCounterModule(RequestCounterGlobalModule counter) {
        this.counter = counter;
    }

    /**
     * Sets the header to the current count, keeps the response out of the kernel-style cache, and
     * continues.
     *
     * @param context  the request
     * @param provider unused
     * @return {@link RequestNotificationStatus#CONTINUE}, always
     */
    @Override
    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
        context.response().setHeader(HEADER_NAME, Long.toString(counter.count()), true);
        context.response().cachePolicy().disableKernelCache();
        return RequestNotificationStatus.CONTINUE;
    }
}
