package io.weir.modules.proxy;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.http.RequireAccess;
import io.weir.api.http.ResourceType;
import io.weir.api.http.ScriptMapInfo;
import io.weir.api.outbound.OutboundAddress;
import io.weir.api.outbound.OutboundConnector;
import io.weir.api.outbound.OutboundFailure;
import io.weir.api.outbound.OutboundHttpExchange;
import io.weir.api.outbound.OutboundHttpListener;
import io.weir.api.outbound.OutboundHttpRequest;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.MapHandlerProvider;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The reverse proxy of one request (IIS's Application Request Routing, {@code requestRouter.dll}):
 * it forwards the request to a backend (or to a server of a web farm) through the server's
 * outbound connector and streams the response back, on the request's own event loop.
 *
 * <p><b>Which requests.</b> A request whose server variable {@value #PROXY_URL_VARIABLE} holds an
 * absolute {@code http://} or {@code https://} URL (the latter reached over TLS) when {@code system.webServer/proxy@enabled} is true (URL Rewrite
 * sets it for a Rewrite action to an absolute URL, as ARR takes over such a rewrite): this module
 * then makes itself the handler in MAP_REQUEST_HANDLER. Without URL Rewrite, a handler mapping
 * whose {@code modules} is {@value #MODULE_NAME} and whose {@code scriptProcessor} is a base URL
 * proxies the requests it maps to that base URL plus the request's path and query. A URL whose
 * host is the name of a {@code webFarm} goes to a server of that farm.
 *
 * <p><b>What the backend gets.</b> The client's method, path, query and headers, less the
 * hop-by-hop ones (RFC 9110 section 7.6.1: {@code Connection} and the fields it names,
 * {@code Keep-Alive}, {@code Proxy-Connection}, {@code TE}, {@code Transfer-Encoding},
 * {@code Upgrade}, {@code Trailer}) and {@code Expect} (Weir answers {@code 100 Continue} to the
 * client itself); {@code Host} is the target's unless {@code preserveHostHeader}; ARR's
 * {@code X-Forwarded-For} (under {@code xForwardedForHeaderName}, the client's address appended to
 * any value already there, with its port when {@code includePortInXForwardedFor}),
 * {@code X-Original-URL} (the URL as the client sent it) and {@code X-ARR-LOG-ID} (under
 * {@code logGuidName}); and, as most applications behind a proxy expect (ARR leaves these to
 * rewrite rules), {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}. The entity is streamed
 * with back-pressure, with a {@code Content-Length} when the client sent one, else chunked.
 *
 * <p><b>What the client gets.</b> The backend's status and headers (hop-by-hop ones removed; a
 * {@code Location} or {@code Content-Location} naming the backend rewritten to the client's host
 * when {@code reverseRewriteHostInResponseHeaders}); the entity is buffered up to
 * {@code responseBufferLimit} (and then sent with a {@code Content-Length}), streamed beyond it
 * with back-pressure: reading from the backend stops while the client is slow. Backend error
 * statuses pass through custom errors under {@code existingResponse="Auto"}, as with ARR. When
 * the backend cannot be reached, times out, closes early or sends a malformed response, the
 * client gets 502.3; when no server of a farm is available, 502.4 (ARR's substatuses), shown by
 * the custom-error module. Once the response has started, a failure drops the client's connection.
 *
 * <p><b>Farms.</b> A server is chosen by the farm's algorithm among those enabled and healthy (see
 * {@link ServerFarm}); with {@code affinity useCookie} the client is sent back to the server named
 * by its cookie. An idempotent request without an entity that failed to connect, or whose pooled
 * connection closed before any of the response arrived, is retried on another server. To a single
 * backend, such a request is sent again (up to three times) when the pooled connection it was
 * given had been closed by the backend.
 *
 * <p><b>WebSocket.</b> A GET with {@code Upgrade: websocket} is passed through by a
 * {@link WebSocketTunnel}. <b>Fixed routes.</b> With a {@link ProxyRoute}, the target is the
 * route's base URL plus the request URL, the settings are the route's, and farms are not consulted.
 */
final class ProxyModule implements HttpModule {

    /** The module's name in {@code <globalModules>} and {@code <modules>}, as in IIS. */
    static final String MODULE_NAME = "ApplicationRequestRouting";
    /** The server variable that URL Rewrite sets to the absolute URL to proxy to. */
    static final String PROXY_URL_VARIABLE = "WEIR_PROXY_URL";

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");
    private static final int READ_SIZE = 64 * 1024;
    /** How often a request to a single backend is sent again after a pooled connection turned out closed. */
    private static final int MAX_STALE_RETRIES = 3;

    static final HttpStatus BAD_GATEWAY_FORWARDER = new HttpStatus(502, 3, "Bad Gateway");
    static final HttpStatus BAD_GATEWAY_NO_SERVER = new HttpStatus(502, 4, "Bad Gateway");

    private final ServerFarms farms;
    private final ProxyRoute route;

    private HttpContext ctx;
    private ProxySection section;
    private OutboundConnector connector;
    private ProxyTarget target;
    private ServerFarm farm;
    private FarmServer server;
    private final Set<FarmServer> tried = new HashSet<>();
    private List<Map.Entry<String, String>> forwardHeaders;
    private long contentLength;
    private boolean idempotent;
    private Attempt attempt;
    private int staleRetries;
    private WebSocketTunnel tunnel;

    private boolean inNotification;
    private boolean completionOutstanding;
    private boolean resumePosted;
    private ByteBuffer pendingRead;
    private boolean uploadDone;
    private boolean finished;
    private RequestNotificationStatus finalStatus = RequestNotificationStatus.CONTINUE;

    ProxyModule(ServerFarms farms) {
        this(farms, null);
    }

    /**
     * @param farms the web farms' live state; null with a route
     * @param route the fixed backend of a module that forwards through this one, or null to read
     *              the target from the request ({@value #PROXY_URL_VARIABLE} or the handler mapping)
     */
    ProxyModule(ServerFarms farms, ProxyRoute route) {
        this.farms = farms;
        this.route = route;
    }

    // --- MAP_REQUEST_HANDLER: take over a request that URL Rewrite sent to an absolute URL ---------

    @Override
    public RequestNotificationStatus onMapRequestHandler(HttpContext context, MapHandlerProvider provider) {
        Optional<String> url = context.serverVariable(PROXY_URL_VARIABLE).filter(u -> !u.isEmpty());
        if (url.isPresent() && context.config(ProxySection.SECTION).enabled()) {
            provider.setScriptMap(new ProxyScriptMap(url.get()));
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /** The handler mapping this module installs for a proxied request. */
    private record ProxyScriptMap(String scriptProcessor) implements ScriptMapInfo {
        @Override
        public String name() {
            return "ARR_proxy";
        }

        @Override
        public String path() {
            return "*";
        }

        @Override
        public List<String> allowedVerbs() {
            return List.of("*");
        }

        @Override
        public List<String> modules() {
            return List.of(MODULE_NAME);
        }

        @Override
        public ResourceType resourceType() {
            return ResourceType.UNSPECIFIED;
        }

        @Override
        public RequireAccess requiredAccess() {
            return RequireAccess.NONE;
        }

        @Override
        public boolean allowPathInfo() {
            return false;
        }

        @Override
        public long responseBufferLimit() {
            return 4_194_304L;
        }
    }

    // --- EXECUTE_REQUEST_HANDLER -------------------------------------------------------------------

    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        ctx = context;
        section = route != null ? route.settings() : context.config(ProxySection.SECTION);
        HttpResponse response = context.response();
        if (route == null && !section.enabled()) {
            response.setStatus(HttpStatus.NO_HANDLER);
            response.setErrorDescription("system.webServer/proxy is not enabled for this URL");
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        String url = route != null
                ? stripSlash(route.baseUrl()) + context.request().rawUrl()
                : context.serverVariable(PROXY_URL_VARIABLE)
                        .filter(u -> !u.isEmpty())
                        .orElseGet(() -> {
                            String base = context.scriptMap()
                                    .map(ScriptMapInfo::scriptProcessor)
                                    .orElse("");
                            if (base.endsWith("/")) {
                                base = base.substring(0, base.length() - 1);
                            }
                            return base.isEmpty()
                                    ? ""
                                    : base + context.request().rawUrl();
                        });
        Optional<ProxyTarget> parsed = ProxyTarget.parse(url);
        Optional<OutboundConnector> outbound = context.server().outboundConnector();
        if (parsed.isEmpty() || outbound.isEmpty()) {
            response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR);
            response.setErrorDescription(
                    parsed.isEmpty()
                            ? "the proxy target '" + url + "' is not an absolute http:// or https:// URL"
                            : "this server offers no outbound connector");
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        target = parsed.get();
        connector = outbound.get();
        if (farms != null) {
            Optional<WebFarmsSection.Farm> farmConfig =
                    context.config(WebFarmsSection.SECTION).farm(target.host());
            farm = farmConfig.map(farms::farm).orElse(null);
        }
        if (WebSocketTunnel.isUpgrade(context)) {
            return tunnel(context);
        }
        HttpRequest request = context.request();
        idempotent = IDEMPOTENT.contains(request.method());
        contentLength = requestContentLength(request);
        forwardHeaders = forwardHeaders(context);
        context.setRequestHandled();
        uploadDone = contentLength == 0;
        inNotification = true;
        try {
            send();
            if (!uploadDone && !finished) {
                pump();
            }
        } finally {
            inNotification = false;
        }
        return finished ? finalStatus : RequestNotificationStatus.PENDING;
    }

    /** Passes a WebSocket upgrade through to the backend (or a server of the farm). */
    private RequestNotificationStatus tunnel(HttpContext context) {
        forwardHeaders = forwardHeaders(context);
        OutboundAddress address;
        FarmServer chosen = null;
        if (farm != null) {
            chosen = chooseServer();
            if (chosen == null) {
                context.response().setStatus(BAD_GATEWAY_NO_SERVER);
                context.response().setErrorDescription("no server of the web farm '" + farm.name() + "' is available");
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            chosen.started();
            address = backend(chosen.address(), target.secure() ? chosen.httpsPort() : chosen.httpPort());
        } else {
            address = backend(target.host(), target.portOrDefault());
        }
        long start = System.nanoTime();
        FarmServer used = chosen;
        tunnel = new WebSocketTunnel(
                context,
                connector,
                address,
                target.target(),
                forwardHeaders,
                section.timeout(),
                (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1, section.maxResponseHeaderSize()) * 1024L),
                () -> {
                    if (used != null) {
                        used.ended((System.nanoTime() - start) / 1000, false);
                    }
                });
        return tunnel.start();
    }

    /** The backend's address: over TLS for an {@code https://} target. */
    private OutboundAddress backend(String host, int port) {
        return target.secure() ? new OutboundAddress.Tls(host, port) : new OutboundAddress.Tcp(host, port);
    }

    private static String stripSlash(String base) {
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static long requestContentLength(HttpRequest request) {
        long remaining = request.remainingEntityBytes();
        if (remaining < 0) {
            return -1;
        }
        Optional<String> length = request.header("Content-Length");
        if (length.isPresent()) {
            try {
                return Long.parseLong(length.get().strip());
            } catch (NumberFormatException e) {
                return remaining;
            }
        }
        return remaining;
    }

    private List<Map.Entry<String, String>> forwardHeaders(HttpContext context) {
        HttpRequest request = context.request();
        Set<String> named = HopByHopFields.connectionOptions(request.headers("Connection"));
        String xffName =
                section.xForwardedForHeaderName().isEmpty() ? "X-Forwarded-For" : section.xForwardedForHeaderName();
        List<Map.Entry<String, String>> out = new ArrayList<>();
        String clientHost = request.header("Host").orElse("");
        out.add(Map.entry(
                "Host", section.preserveHostHeader() && !clientHost.isEmpty() ? clientHost : target.authority()));
        String previousXff = null;
        if (route != null && !route.extraHeaders().isEmpty()) {
            named = new HashSet<>(named);
            for (Map.Entry<String, String> extra : route.extraHeaders()) {
                named.add(extra.getKey().toLowerCase(Locale.ROOT));
            }
        }
        String logGuidName = section.logGuidName();
        for (String name : request.headerNames()) {
            if (HopByHopFields.inRequest(name)
                    || HopByHopFields.named(named, name)
                    || name.startsWith(":")
                    || WebSocketTunnel.ownHeader(name)) {
                continue;
            }
            if (name.equalsIgnoreCase(xffName)) {
                previousXff = String.join(", ", request.headers(name));
                continue;
            }
            if (name.equalsIgnoreCase("x-original-url")
                    || name.equalsIgnoreCase(logGuidName)
                    || name.equalsIgnoreCase("x-forwarded-proto")
                    || name.equalsIgnoreCase("x-forwarded-host")) {
                continue;
            }
            for (String value : request.headers(name)) {
                out.add(Map.entry(name, value));
            }
        }
        InetSocketAddress remote = request.remoteAddress();
        String ip = remote.getAddress() == null
                ? remote.getHostString()
                : remote.getAddress().getHostAddress();
        int zone = ip.indexOf('%');
        if (zone >= 0) {
            ip = ip.substring(0, zone);
        }
        String client = section.includePortInXForwardedFor()
                ? (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + remote.getPort()
                : ip;
        out.add(Map.entry(
                xffName, previousXff == null || previousXff.isBlank() ? client : previousXff + ", " + client));
        out.add(Map.entry("X-Forwarded-Proto", context.connection().isSecure() ? "https" : "http"));
        if (!clientHost.isEmpty()) {
            out.add(Map.entry("X-Forwarded-Host", clientHost));
        }
        out.add(Map.entry("X-Original-URL", request.rawUrl()));
        if (!section.logGuidName().isEmpty()) {
            out.add(Map.entry(logGuidName, logGuid()));
        }
        if (route != null) {
            out.addAll(route.extraHeaders());
        }
        return out;
    }

    /**
     * A fresh GUID for {@code logGuidName}: random (version 4 layout) from the thread's generator,
     * since it only correlates the proxy's and the backend's logs (no secret: {@link UUID#randomUUID}
     * would draw on the shared, slower SecureRandom for every request).
     */
    private static String logGuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }

    // --- one attempt at a backend ---------------------------------------------------------------------

    private void send() {
        OutboundAddress address;
        if (farm != null) {
            server = chooseServer();
            if (server == null) {
                fail(BAD_GATEWAY_NO_SERVER, "no server of the web farm '" + farm.name() + "' is available", null);
                return;
            }
            tried.add(server);
            address = backend(server.address(), target.secure() ? server.httpsPort() : server.httpPort());
            server.started();
        } else {
            address = backend(target.host(), target.portOrDefault());
        }
        boolean http10 =
                switch (section.httpVersion()) {
                    case HTTP10 -> true;
                    case HTTP11 -> false;
                    case PASS_THROUGH -> ctx.request().httpVersion().equals("HTTP/1.0");
                };
        long length = contentLength;
        if (http10 && length < 0) {
            http10 = false;
        }
        Duration timeout = section.timeout();
        OutboundHttpRequest out = new OutboundHttpRequest(
                ctx.request().method(),
                target.target(),
                forwardHeaders,
                length,
                http10,
                section.keepAlive(),
                timeout.isZero() ? Duration.ofSeconds(30) : timeout,
                timeout,
                (int) Math.min(Integer.MAX_VALUE / 2, Math.max(1, section.maxResponseHeaderSize()) * 1024L));
        attempt = new Attempt(System.nanoTime(), server);
        attempt.exchange = connector.exchange(address, out, attempt);
        if (contentLength == 0) {
            attempt.exchange.endBody(List.of());
        }
    }

    private FarmServer chooseServer() {
        WebFarmsSection.Affinity affinity = farm.config().affinity();
        if (affinity.useCookie() && tried.isEmpty()) {
            String cookie = cookie(ctx.request(), affinity.cookieName());
            if (cookie != null) {
                FarmServer s = farm.byAffinity(cookie);
                if (s != null) {
                    return s;
                }
            }
        }
        return farm.choose(hashKey(), tried);
    }

    private String hashKey() {
        WebFarmsSection.LoadBalancing lb = farm.config().loadBalancing();
        if (!lb.hashServerVariable().isEmpty()) {
            return ctx.serverVariable(lb.hashServerVariable()).orElse("");
        }
        if (!lb.queryStringNames().isEmpty()) {
            StringBuilder key = new StringBuilder();
            for (String name : lb.queryStringNames().split(",")) {
                key.append(queryParameter(ctx.request().queryString(), name.strip()))
                        .append('&');
            }
            return key.toString();
        }
        return ctx.request().urlPath();
    }

    private static String queryParameter(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equalsIgnoreCase(name)) {
                return eq < 0 ? "" : pair.substring(eq + 1);
            }
        }
        return "";
    }

    private static String cookie(HttpRequest request, String name) {
        for (String header : request.headers("Cookie")) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
                    return part.substring(eq + 1).strip();
                }
            }
        }
        return null;
    }

    /** Receives one backend exchange's events; events of an abandoned attempt are ignored. */
    private final class Attempt implements OutboundHttpListener {
        private final long startNanos;
        private final FarmServer attemptServer;
        private OutboundHttpExchange exchange;
        private boolean headReceived;
        private boolean streaming;
        private boolean over;
        private boolean waitingWritable;

        Attempt(long startNanos, FarmServer attemptServer) {
            this.startNanos = startNanos;
            this.attemptServer = attemptServer;
        }

        private boolean current() {
            return attempt == this && !finished && !over;
        }

        @Override
        public void onResponseHead(int status, String reason, List<Map.Entry<String, String>> headers) {
            if (!current()) {
                return;
            }
            headReceived = true;
            HttpResponse response = ctx.response();
            response.clear();
            response.setStatus(
                    new HttpStatus(status, 0, reason == null || reason.isEmpty() ? "Status" : reason), null, true);
            List<String> connection = List.of();
            for (Map.Entry<String, String> h : headers) {
                if (h.getKey().equalsIgnoreCase("Connection")) {
                    connection = connection.isEmpty() ? new ArrayList<>() : connection;
                    connection.add(h.getValue());
                }
            }
            Set<String> connectionNamed = HopByHopFields.connectionOptions(connection);
            for (int i = 0; i < headers.size(); i++) {
                Map.Entry<String, String> h = headers.get(i);
                String name = h.getKey();
                if (HopByHopFields.inResponse(name) || HopByHopFields.named(connectionNamed, name)) {
                    continue;
                }
                String value = h.getValue();
                if (section.reverseRewriteHostInResponseHeaders()
                        && (name.equalsIgnoreCase("location") || name.equalsIgnoreCase("content-location"))) {
                    value = reverseRewrite(value);
                }
                try {
                    response.setHeader(name, value, firstOfName(headers, i));
                } catch (IllegalArgumentException e) {
                    failed(new OutboundFailure(
                            OutboundFailure.Kind.PROTOCOL,
                            "invalid response header from the backend: " + e.getMessage(),
                            e,
                            false,
                            true));
                    return;
                }
            }
            if (farm != null
                    && attemptServer != null
                    && farm.config().affinity().useCookie()) {
                String name = farm.config().affinity().cookieName();
                if (!attemptServer.address().equalsIgnoreCase(String.valueOf(cookie(ctx.request(), name)))) {
                    response.setHeader(
                            "Set-Cookie", name + "=" + attemptServer.address() + "; Path=/; HttpOnly", false);
                }
            }
        }

        @Override
        public void onResponseBody(ByteBuffer bytes) {
            if (!current()) {
                return;
            }
            HttpResponse response = ctx.response();
            response.writeEntityChunks(new DataChunk.Memory(bytes));
            if (!streaming && response.bufferedEntityLength() <= section.responseBufferLimit()) {
                return;
            }
            streaming = true;
            response.flush(true);
            if (!response.isClientWritable() && !waitingWritable) {
                waitingWritable = true;
                exchange.suspendResponse();
                response.onClientWritable(() -> {
                    waitingWritable = false;
                    if (current()) {
                        exchange.resumeResponse();
                    }
                });
            }
        }

        @Override
        public void onResponseEnd(List<Map.Entry<String, String>> trailers) {
            if (!current()) {
                return;
            }
            over = true;
            if (attemptServer != null) {
                attemptServer.ended((System.nanoTime() - startNanos) / 1000, false);
            }
            if (!uploadDone) {
                // the backend answered before the request entity was sent: the rest of it is not read
                ctx.response().setNeedDisconnect();
            }
            complete(RequestNotificationStatus.CONTINUE);
        }

        @Override
        public void onFailure(OutboundFailure failure) {
            if (!current()) {
                return;
            }
            failed(failure);
        }

        private void failed(OutboundFailure failure) {
            over = true;
            exchange.abort();
            if (attemptServer != null) {
                attemptServer.ended((System.nanoTime() - startNanos) / 1000, true);
                if (failure.kind() == OutboundFailure.Kind.CONNECT) {
                    farms.connectFailed(farm, attemptServer);
                }
            }
            if (!headReceived
                    && idempotent
                    && contentLength == 0
                    && failure.retryableIfIdempotent()
                    && (farm != null || (failure.reusedConnection() && ++staleRetries <= MAX_STALE_RETRIES))) {
                send();
                return;
            }
            if (streaming) {
                ctx.response().resetConnection();
                complete(RequestNotificationStatus.FINISH_REQUEST);
                return;
            }
            fail(BAD_GATEWAY_FORWARDER, failure.message(), failure.cause());
        }

        @Override
        public void onWritable() {
            if (current() && !uploadDone && !completionOutstanding && !inNotification) {
                resumePosted = true;
                completionOutstanding = true;
                ctx.postCompletion(0);
            }
        }
    }

    /** Whether no header before {@code index} has that header's name (the first replaces, the others add). */
    private static boolean firstOfName(List<Map.Entry<String, String>> headers, int index) {
        String name = headers.get(index).getKey();
        for (int i = 0; i < index; i++) {
            if (headers.get(i).getKey().equalsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }

    private String reverseRewrite(String value) {
        String clientHost = ctx.request().header("Host").orElse("");
        if (clientHost.isEmpty()) {
            return value;
        }
        String scheme = ctx.connection().isSecure() ? "https://" : "http://";
        List<String> backendAuthorities = new ArrayList<>();
        backendAuthorities.add(target.authority());
        if (server != null) {
            int port = target.secure() ? server.httpsPort() : server.httpPort();
            backendAuthorities.add(server.address() + ":" + port);
            if (port == (target.secure() ? 443 : 80)) {
                backendAuthorities.add(server.address());
            }
        }
        for (String authority : backendAuthorities) {
            String prefix = target.schemePrefix() + authority;
            if (value.regionMatches(true, 0, prefix, 0, prefix.length())
                    && (value.length() == prefix.length() || "/?#".indexOf(value.charAt(prefix.length())) >= 0)) {
                return scheme + clientHost + value.substring(prefix.length());
            }
        }
        return value;
    }

    /** Answers with an error status (before the response started). */
    private void fail(HttpStatus status, String description, Throwable cause) {
        HttpResponse response = ctx.response();
        if (response.headersSent()) {
            response.resetConnection();
            complete(RequestNotificationStatus.FINISH_REQUEST);
            return;
        }
        response.clear();
        response.setStatus(status, cause);
        response.setErrorDescription(description);
        if (!uploadDone) {
            response.setNeedDisconnect();
        }
        complete(RequestNotificationStatus.CONTINUE);
    }

    /** Ends the handler's work: the pipeline resumes now, or when the outstanding completion arrives. */
    private void complete(RequestNotificationStatus status) {
        if (finished) {
            return;
        }
        finished = true;
        finalStatus = status;
        if (!inNotification && !completionOutstanding) {
            ctx.indicateCompletion(status);
        }
    }

    // --- the request entity, streamed to the backend ---------------------------------------------------

    /** Reads what the client has sent and writes it to the backend until it must wait; in a notification only. */
    private void pump() {
        HttpRequest request = ctx.request();
        while (!finished && !uploadDone) {
            ByteBuffer buffer = ByteBuffer.allocate(READ_SIZE);
            int n;
            try {
                n = request.readEntityBody(buffer, true);
            } catch (RuntimeException e) {
                clientBodyFailed(e);
                return;
            }
            if (n == HttpRequest.READ_PENDING) {
                pendingRead = buffer;
                completionOutstanding = true;
                return;
            }
            if (!deliver(buffer, n)) {
                return;
            }
        }
    }

    /** @return true to keep reading */
    private boolean deliver(ByteBuffer buffer, long n) {
        Attempt a = attempt;
        if (n < 0) {
            uploadDone = true;
            if (a != null && !a.over) {
                a.exchange.endBody(List.of());
            }
            return false;
        }
        if (n == 0) {
            return true;
        }
        buffer.flip();
        if (a == null || a.over) {
            return true;
        }
        return a.exchange.writeBody(buffer);
    }

    private void clientBodyFailed(Throwable e) {
        uploadDone = true;
        if (attempt != null) {
            attempt.over = true;
            attempt.exchange.abort();
            if (attempt.attemptServer != null) {
                attempt.attemptServer.ended((System.nanoTime() - attempt.startNanos) / 1000, true);
            }
        }
        HttpResponse response = ctx.response();
        response.setNeedDisconnect();
        if (response.statusCode() < 400 && !response.headersSent()) {
            response.setStatus(HttpStatus.BAD_REQUEST, e);
        }
        complete(RequestNotificationStatus.CONTINUE);
    }

    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        if (tunnel != null) {
            return tunnel.onAsyncCompletion();
        }
        completionOutstanding = false;
        inNotification = true;
        try {
            if (resumePosted) {
                resumePosted = false;
            } else {
                ByteBuffer buffer = pendingRead;
                pendingRead = null;
                if (completionInfo.error().isPresent()) {
                    if (!finished) {
                        clientBodyFailed(completionInfo.error().get());
                    }
                } else if (!finished && buffer != null) {
                    if (!deliver(buffer, completionInfo.completionBytes())) {
                        return finished ? finalStatus : RequestNotificationStatus.PENDING;
                    }
                }
            }
            if (!finished) {
                pump();
            }
        } finally {
            inNotification = false;
        }
        return finished && !completionOutstanding ? finalStatus : RequestNotificationStatus.PENDING;
    }

    @Override
    public void dispose() {
        if (tunnel != null) {
            tunnel.abandon();
        }
        Attempt a = attempt;
        if (a != null && !a.over && a.exchange != null) {
            a.over = true;
            a.exchange.abort();
            if (a.attemptServer != null) {
                a.attemptServer.ended((System.nanoTime() - a.startNanos) / 1000, true);
            }
        }
    }
}
