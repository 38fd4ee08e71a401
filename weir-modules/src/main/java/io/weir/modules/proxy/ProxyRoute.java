package io.weir.modules.proxy;

import io.weir.api.HttpModule;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A fixed backend for the reverse proxy, for a module that decides itself where its requests go
 * (the ASP.NET Core Module forwards to the process it started). The module creates, per request,
 * the proxy's handler with {@link #handler()} and calls its {@code onExecuteRequestHandler},
 * {@code onAsyncCompletion} and {@code dispose} from its own: every request is then forwarded as
 * the reverse proxy forwards it (streaming with back-pressure both ways, 502.3 when the backend
 * fails, times out or answers malformed), without {@code system.webServer/proxy} having to be
 * enabled and without web farms.
 *
 * @param baseUrl      the backend's absolute {@code http://host:port} URL; the request's path and
 *                     query are appended
 * @param settings     the forwarding settings (timeout, Host, forwarded headers, buffering); its
 *                     {@code enabled} is not consulted
 * @param extraHeaders headers added to every forwarded request; a header of the same name sent by
 *                     the client is not passed on
 */
public record ProxyRoute(String baseUrl, ProxySection settings, List<Map.Entry<String, String>> extraHeaders) {

    /**
     * Copies the header list.
     *
     * @param baseUrl      the backend's base URL
     * @param settings     the forwarding settings
     * @param extraHeaders headers added to every forwarded request
     */
    public ProxyRoute {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(settings, "settings");
        extraHeaders = List.copyOf(extraHeaders);
    }

    /**
     * Creates the proxy's handler for one request to this route; the caller forwards the
     * EXECUTE_REQUEST_HANDLER notification, its completions and {@code dispose} to it, on the
     * request's event loop.
     *
     * @return a new handler, used for one request only
     */
    public HttpModule handler() {
        return new ProxyModule(null, this);
    }
}
