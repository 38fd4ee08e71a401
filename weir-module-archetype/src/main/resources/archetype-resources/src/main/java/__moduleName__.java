package ${package};

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.SendResponseProvider;

/**
 * The per-request module: in BEGIN_REQUEST it remembers the URL path, in SEND_RESPONSE it adds
 * {@value #HEADER}{@code : <path>} to the response (every response, errors included). Its own
 * configuration section ({@link ${moduleName}Section}) may rename the header or turn it off for a
 * URL. One instance per request, so the field needs no locking; both methods run on the request's
 * event-loop thread and must not block.
 */
public final class ${moduleName} implements HttpModule {

    /** The response header this module adds unless its section names another. */
    public static final String HEADER = "X-${moduleName}";

    private String path = "";

    /** Creates the module; {@link ${moduleName}Factory} does this once per request. */
    public ${moduleName}() {
    }

    /**
     * Remembers the request's URL path.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE: the pipeline goes on
     */
    @Override
    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
        path = context.request().urlPath();
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Adds the header when the response headers are about to be sent (SEND_RESPONSE may run more than
     * once for a flushed response; only the first send carries the headers), as the URL's
     * {@code system.webServer/${moduleName}} section says.
     *
     * @param context  the request
     * @param provider tells whether the headers are being sent
     * @return CONTINUE: the other SEND_RESPONSE modules run too
     */
    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        if (provider.headersBeingSent()) {
            ${moduleName}Section section = context.config(${moduleName}Section.SECTION);
            if (section.enabled()) {
                context.response().setHeader(section.headerName(), path, true);
            }
        }
        return RequestNotificationStatus.CONTINUE;
    }
}
