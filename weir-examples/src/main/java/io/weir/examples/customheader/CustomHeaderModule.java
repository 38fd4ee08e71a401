package io.weir.examples.customheader;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;

/**
 * Adds {@value #HEADER_NAME}{@code : }{@value #HEADER_VALUE} to every response whose request reaches
 * ACQUIRE_REQUEST_STATE, then lets the pipeline go on to the handler.
 *
 * <p>ACQUIRE_REQUEST_STATE runs after the handler has been chosen and before it executes, so the
 * header is set before the static-file handler (or any other) writes the entity, and survives into
 * the response. A request finished earlier (for example by the Hello World module in
 * BEGIN_REQUEST) never gets here and so carries no header.
 *
 * <p>Stateless and therefore shared by all requests.
 */
public final class CustomHeaderModule implements HttpModule {

    /** The name of the header this module adds. */
    public static final String HEADER_NAME = "X-Weir-Example";

    /** The value of the header this module adds: the notification it was added in. */
    public static final String HEADER_VALUE = "acquire-request-state";

    /** Creates the module. */
    public CustomHeaderModule() {}

    /**
     * Adds the header and continues.
     *
     * @param context  the request
     * @param provider unused
     * @return {@link RequestNotificationStatus#CONTINUE}, always
     */
    @Override
    public RequestNotificationStatus onAcquireRequestState(HttpContext context, HttpEventProvider provider) {
        context.response().setHeader(HEADER_NAME, HEADER_VALUE, false);
        return RequestNotificationStatus.CONTINUE;
    }
}
