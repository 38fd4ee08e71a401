package io.weir.modules.protocolsupport;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.SendResponseProvider;
import java.util.Locale;
import java.util.Set;

/**
 * Custom and redirect response headers, the keep-alive switch, and the TRACE and OPTIONS verbs, from
 * {@code system.webServer/httpProtocol}; mirrors IIS's ProtocolSupportModule ({@code protsup.dll}).
 * Stateless: one shared instance serves every request.
 *
 * <p><b>SEND_RESPONSE</b> (registered at priority FIRST, which for SEND_RESPONSE runs it after the
 * other modules, so headers survive a module that replaces an error response), when the headers
 * are about to go out: every {@code customHeaders} entry is added to the response — also to error
 * pages, redirects and responses of other modules, as IIS does — and, for a redirect (301, 302,
 * 303, 307, 308), every {@code redirectHeaders} entry. Entries are added, not replaced: a header a
 * handler already set is sent twice, as IIS sends it. {@code allowKeepAlive="false"} makes the
 * response close the connection ({@code Connection: close}).
 *
 * <p><b>EXECUTE_REQUEST_HANDLER</b>, when a handler mapping names this module (IIS's stock
 * {@code TRACEVerbHandler} and {@code OPTIONSVerbHandler}):
 * <ul>
 * <li>OPTIONS: 200 with IIS's {@code Allow} and {@code Public} headers
 *     ({@code OPTIONS, TRACE, GET, HEAD, POST}) and no body;</li>
 * <li>TRACE: 200 {@code message/http} echoing the request line and headers (RFC 9110 section 9.3.8),
 *     leaving out {@code Authorization}, {@code Proxy-Authorization} and {@code Cookie}, which the RFC
 *     says the recipient SHOULD exclude;</li>
 * <li>any other verb mapped here: 405.</li>
 * </ul>
 * Weir's embedded default configuration maps neither verb to this module (TRACE and OPTIONS reach
 * the static file handler, which refuses them with 405), so TRACE is off unless configured.
 */
public final class ProtocolSupportModule implements HttpModule {

    static final ProtocolSupportModule INSTANCE = new ProtocolSupportModule();

    /** The verbs IIS's OPTIONS answer lists. */
    static final String ALLOWED_VERBS = "OPTIONS, TRACE, GET, HEAD, POST";

    private static final Set<String> NOT_ECHOED = Set.of("authorization", "proxy-authorization", "cookie");

    private ProtocolSupportModule() {}

    /**
     * Adds the configured headers and applies {@code allowKeepAlive} when the headers go out.
     *
     * @param context  the request
     * @param provider the send
     * @return CONTINUE
     */
    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        if (!provider.headersBeingSent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpProtocolSection section = context.config(HttpProtocolSection.SECTION);
        if (section.changesNothing()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpResponse response = context.response();
        for (HttpProtocolSection.Header header : section.customHeaders()) {
            response.setHeader(header.name(), header.value(), false);
        }
        if (!section.redirectHeaders().isEmpty() && isRedirect(response.statusCode())) {
            for (HttpProtocolSection.Header header : section.redirectHeaders()) {
                response.setHeader(header.name(), header.value(), false);
            }
        }
        if (!section.allowKeepAlive()) {
            response.setNeedDisconnect();
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Answers OPTIONS and TRACE when a handler mapping names this module.
     *
     * @param context  the request
     * @param provider unused
     * @return FINISH_REQUEST
     */
    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        HttpRequest request = context.request();
        HttpResponse response = context.response();
        switch (request.method()) {
            case "OPTIONS" -> {
                response.setStatus(HttpStatus.OK);
                response.setHeader("Allow", ALLOWED_VERBS, true);
                response.setHeader("Public", ALLOWED_VERBS, true);
            }
            case "TRACE" -> {
                StringBuilder echo = new StringBuilder(256)
                        .append("TRACE ")
                        .append(request.rawUrl())
                        .append(' ')
                        .append(request.httpVersion())
                        .append("\r\n");
                for (String name : request.headerNames()) {
                    if (NOT_ECHOED.contains(name.toLowerCase(Locale.ROOT))) {
                        continue;
                    }
                    for (String value : request.headers(name)) {
                        echo.append(name).append(": ").append(value).append("\r\n");
                    }
                }
                response.setStatus(HttpStatus.OK);
                response.setHeader("Content-Type", "message/http", true);
                response.writeEntityChunks(DataChunk.ofUtf8(echo.toString()));
            }
            default -> {
                response.setStatus(HttpStatus.METHOD_NOT_ALLOWED);
                response.setHeader("Allow", ALLOWED_VERBS, true);
                response.setErrorDescription("ProtocolSupportModule answers only OPTIONS and TRACE.");
            }
        }
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    private static boolean isRedirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }
}
