package io.weir.core.internal.context;

import io.weir.api.GlobalNotification;
import io.weir.api.HttpServer;
import io.weir.api.ModuleAllocator;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.CloneFlag;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.ExecuteFlag;
import io.weir.api.http.HttpApplication;
import io.weir.api.http.HttpConnection;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpSite;
import io.weir.api.http.HttpUrlInfo;
import io.weir.api.http.HttpUser;
import io.weir.api.http.NamedContextContainer;
import io.weir.api.http.NextNotification;
import io.weir.api.http.ScriptMapInfo;
import io.weir.api.provider.AuthenticationProvider;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.provider.MapHandlerProvider;
import io.weir.api.trace.HttpTraceContext;
import io.weir.api.websocket.WebSocketContext;
import io.weir.config.EffectiveConfig;
import io.weir.core.internal.handler.HandlerTable;
import io.weir.core.internal.site.ServedApplication;
import io.weir.core.internal.site.ServedSite;
import io.weir.core.internal.stored.ContextContainer;
import io.weir.core.internal.stored.NamedContainer;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.HeaderStore;
import io.weir.core.spi.RequestBody;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One request (top-level or child) as modules see it; mirrors {@code IHttpContext}. It is also the
 * provider for the plain, authentication and map-handler notifications, and the request's module
 * allocator, so that a request costs few objects.
 *
 * <p>Confined to the request's event loop, except {@link #indicateCompletion} and
 * {@link #postCompletion}, which hop onto it.
 */
public final class RequestContext implements HttpContext, AuthenticationProvider, MapHandlerProvider, ModuleAllocator {

    private final ServingGeneration engine;
    /** {@link System#nanoTime()} when the request's context was made. */
    private final long startNanos = System.nanoTime();

    final Exchange exchange;
    final ServedSite site;
    ServedApplication application;
    final RequestImpl request;
    final ResponseImpl response;
    final RequestContext parent;
    final int depth;
    PipelineControl pipeline;

    final ResolvedUrl resolved;
    final HandlerSelection handler = new HandlerSelection();
    private boolean finishedBeforeBegin;
    HttpUser user;
    private ContextContainer container;
    private NamedContainer named;
    private RequestMemory memory;
    private ServerVariables serverVariables;
    private DisabledNotifications disabled;
    String errorModule;
    String errorNotification;
    private RequestTraceContext trace;

    private RequestContext(
            ServingGeneration engine,
            Exchange exchange,
            ServedSite site,
            ServedApplication application,
            RequestContext parent,
            String method,
            String rawUrl,
            String path,
            String query,
            HeaderStore headers,
            RequestBody body) {
        this.engine = engine;
        this.exchange = exchange;
        this.site = site;
        this.application = application;
        this.parent = parent;
        this.depth = parent == null ? 0 : parent.depth + 1;
        this.request = new RequestImpl(this, exchange, method, rawUrl, path, query, headers, body);
        this.response = parent == null
                ? new ResponseImpl(this, exchange, engine.server().serverSoftware())
                : parent.response;
        this.resolved = new ResolvedUrl(this, engine);
    }

    /** Creates a top-level request (without a pipeline yet) for a routed site, normalized path and query. */
    public static RequestContext create(
            ServingGeneration engine, Exchange exchange, ServedSite site, String path, String query) {
        RequestContext c = new RequestContext(
                engine,
                exchange,
                site,
                site.applicationFor(path),
                null,
                exchange.method(),
                exchange.rawUri(),
                path,
                query,
                exchange.requestHeaders(),
                exchange.requestBody());
        if (exchange.method().equals("HEAD")) {
            c.response.suppressEntity();
        }
        return c;
    }

    /** Builds the pipeline for the request's current URL and runs it until it ends or parks. */
    public void run() {
        RequestStart.run(this, engine, resolved);
    }

    /** @return the transport's exchange (a child request shares its parent's) */
    public Exchange exchange() {
        return exchange;
    }

    /** @return the request's event loop (callable from any thread) */
    public Executor eventLoop() {
        return exchange.eventLoop();
    }

    /** @return the pipeline, or null before {@link #run()} */
    public PipelineControl pipeline() {
        return pipeline;
    }

    /** Marks the request as answered in GL_PRE_BEGIN_REQUEST: only the final send and the end stages run. */
    public void finishBeforeBegin() {
        finishedBeforeBegin = true;
    }

    /** @return true when a global module ended the request in GL_PRE_BEGIN_REQUEST */
    public boolean finishedBeforeBegin() {
        return finishedBeforeBegin;
    }

    boolean mayChangeUrl() {
        return pipeline == null || pipeline.position().equals("BEGIN_REQUEST");
    }

    void urlChanged() {
        resolved.changed(pipeline != null);
        application = site.applicationFor(request.urlPath());
    }

    /**
     * @return after BEGIN_REQUEST, the configuration of the URL a module set there, which the pipeline
     *         maps again; null when the URL did not change since the last call
     * @throws ConfigException when the configuration governing the new URL is invalid (500.19)
     */
    public EffectiveConfig configForRewrittenUrl() {
        return resolved.configIfChangedSincePlan();
    }

    /** @return the application the request's current URL belongs to */
    public ServedApplication servedApplication() {
        return application;
    }

    /** Forgets the notifications modules disabled, whose slots belong to a plan being replaced. */
    public void forgetDisabledNotifications() {
        disabled = null;
    }

    /** @return the request's handler mapping state (MAP_REQUEST_HANDLER and EXECUTE_REQUEST_HANDLER) */
    public HandlerSelection handler() {
        return handler;
    }

    /** Chooses the handler mapping for the current URL, verb and disk; called at MAP_REQUEST_HANDLER. */
    public void mapHandler(HandlerTable handlers) {
        resolved.useScriptPart(handler.map(handlers, request.urlPath(), request.method(), resolved::fileInfoOf));
    }

    @Override
    public String pathInfo() {
        return handler.pathInfo();
    }

    @Override
    public void setScriptMap(ScriptMapInfo map) {
        handler.replace(map);
    }

    @Override
    public Optional<ScriptMapInfo> scriptMap() {
        return Optional.ofNullable(handler.scriptMap());
    }

    @Override
    public void setRequestHandled() {
        handler.setHandled();
    }

    /** Turns the response into a failure's error (500.19 for a configuration error, else 500.0), or drops the connection when the headers are out. */
    public void failResponse(Throwable error) {
        RequestErrors.failResponse(response, error);
    }

    /** Records which module ("IIS Web Core" for the engine) and notification set an error status, for the error page. */
    public void recordError(String module, RequestNotification notification, boolean isPost) {
        errorModule = module;
        errorNotification = (isPost ? "POST_" : "") + notification;
    }

    RequestContext runningChild;
    boolean inheritsUser = true;
    Set<ExecuteFlag> executeFlags = Set.of();
    Runnable onChildEnded;

    /** The final send, by the top-level request only (a child's output stays in its parent's); true while a module holds it or a flush. */
    public boolean finalSend() {
        return parent == null && (response.heldFlush != null || response.finalSend());
    }

    /** Called by the pipeline when the request has ended. */
    public void ended() {
        if (container != null) {
            container.cleanup();
        }
        if (named != null) {
            named.cleanup();
        }
        if (memory != null) {
            memory.release();
        }
        if (parent == null) {
            engine.requestEnded(this);
        } else if (onChildEnded != null) {
            Runnable r = onChildEnded;
            onChildEnded = null;
            r.run();
        }
    }

    /** @return "VERB /path (site)" for logs */
    public String describe() {
        return request.method() + " " + request.urlPath() + " (" + site.siteName() + ", request "
                + ServerVariables.get(this, null, RequestId.VARIABLE).orElse("") + ")";
    }

    @Override
    public HttpRequest request() {
        return request;
    }

    @Override
    public HttpResponse response() {
        return response;
    }

    @Override
    public HttpSite site() {
        return site;
    }

    @Override
    public HttpApplication application() {
        return application;
    }

    @Override
    public HttpConnection connection() {
        return ConnectionState.of(exchange);
    }

    @Override
    public HttpServer server() {
        return engine.server();
    }

    @Override
    public Optional<HttpUser> user() {
        if (user != null || parent == null || !inheritsUser) {
            return Optional.ofNullable(user);
        }
        return parent.user();
    }

    @Override
    public void setUser(HttpUser newUser) {
        this.user = newUser;
    }

    /** @return {@link System#nanoTime()} when this request's context was made, for its latency */
    public long startNanos() {
        return startNanos;
    }

    @Override
    public Optional<WebSocketContext> acceptWebSocket() {
        return WebSocketAcceptance.accept(this);
    }

    @Override
    public <T> T config(ConfigSectionType<T> type) {
        return engine.bind(resolved.config(), type);
    }

    @Override
    public Path physicalPath() {
        return resolved.physicalPath();
    }

    @Override
    public Path mapPath(String url) {
        String normalized = url.equals(request.urlPath()) ? url : UrlPath.normalize(url);
        if (normalized == null) {
            throw new IllegalArgumentException("URL cannot be mapped: " + url);
        }
        return MapPathEvent.raise(
                pipeline, response, normalized, site.applicationFor(normalized).mapPath(normalized));
    }

    @Override
    public Optional<HttpFileInfo> fileInfo() {
        return resolved.fileInfo();
    }

    @Override
    public boolean responseHeadersSent() {
        return response.headersSent();
    }

    @Override
    public void disableNotifications(Set<RequestNotification> notifications, Set<RequestNotification> posts) {
        disabled = DisabledNotifications.disable(disabled, pipeline, notifications, posts);
    }

    /** @return true when the module in {@code slot} turned the notification (or its post-notification) off */
    public boolean isNotificationDisabled(int slot, RequestNotification notification, boolean isPost) {
        return disabled != null && disabled.isDisabled(slot, notification, isPost);
    }

    @Override
    public Optional<String> serverVariable(String name) {
        return ServerVariables.get(this, serverVariables, name);
    }

    @Override
    public void setServerVariable(String name, String value) {
        if (serverVariables == null) {
            serverVariables = new ServerVariables();
        }
        serverVariables.set(name, value);
    }

    /** A child request of this one, not yet run, with what it cloned of this one. */
    RequestContext newChild(
            String target, String path, String query, String method, HeaderStore headers, RequestBody body) {
        return new RequestContext(
                engine, exchange, site, site.applicationFor(path), this, method, target, path, query, headers, body);
    }

    @Override
    public HttpModuleContextContainer moduleContextContainer() {
        if (container == null) {
            container = new ContextContainer();
        }
        return container;
    }

    @Override
    public NamedContextContainer namedContextContainer() {
        if (named == null) {
            named = new NamedContainer();
        }
        return named;
    }

    @Override
    public HttpUrlInfo urlInfo() {
        return engine.urlInfo(site, request.urlPath());
    }

    @Override
    public io.weir.api.http.HttpMetadataInfo metadata() {
        return engine.metadata(site, request.urlPath());
    }

    @Override
    public Optional<NextNotification> nextNotification(RequestNotificationStatus status) {
        return Optional.ofNullable(
                pipeline == null ? null : pipeline.notifications().nextNotification(status));
    }

    @Override
    public boolean isLastNotification(RequestNotificationStatus status) {
        return pipeline != null && pipeline.notifications().isLastNotification(status);
    }

    /** A child shares its parent's; without a GL_TRACE_EVENT module, a disabled context (no allocation). */
    @Override
    public HttpTraceContext traceContext() {
        if (parent != null) {
            return parent.traceContext();
        }
        if (trace == null) {
            trace = RequestTraceContext.create(this, engine.globalModules(GlobalNotification.TRACE_EVENT));
        }
        return trace == null ? DisabledTraceContext.INSTANCE : trace;
    }

    /**
     * @return the request's trace context when some module subscribed to it, else null (the
     *         pipeline's one check per module call)
     */
    public RequestTraceContext activeTrace() {
        RequestTraceContext t = parent == null ? trace : parent.activeTrace();
        return t != null && t.isEnabled() ? t : null;
    }

    @Override
    public Optional<HttpContext> parentContext() {
        return Optional.ofNullable(parent);
    }

    @Override
    public boolean executeRequest(String url, Set<ExecuteFlag> flags) {
        return ChildRequests.execute(this, url, flags, ChildRequests.BASICS_AND_HEADERS, user().orElse(null), true);
    }

    @Override
    public boolean executeRequest(String url, Set<ExecuteFlag> flags, HttpUser childUser) {
        return ChildRequests.execute(this, url, flags, ChildRequests.BASICS_AND_HEADERS, childUser, false);
    }

    @Override
    public boolean executeRequest(String url, Set<ExecuteFlag> flags, Set<CloneFlag> clone, HttpUser childUser) {
        return ChildRequests.execute(this, url, flags, clone, childUser, false);
    }

    /** The flags a child request was executed with ({@code GetExecuteFlags}); empty for a top-level request. */
    @Override
    public Set<ExecuteFlag> executeFlags() {
        return executeFlags;
    }

    /** @return true when AUTHENTICATE_REQUEST is skipped: a child request given a user (IIS: non-NULL pHttpUser) */
    public boolean skipsAuthentication() {
        return parent != null && user != null;
    }

    @Override
    public boolean notifyCustomNotification(CustomNotificationProvider provider) {
        Objects.requireNonNull(provider, "provider");
        if (pipeline == null) {
            throw new IllegalStateException("custom notifications are raised from the request's notification methods");
        }
        return pipeline.notifications().customNotification(provider);
    }

    @Override
    public void indicateCompletion(RequestNotificationStatus status) {
        Objects.requireNonNull(status, "status");
        exchange.eventLoop().execute(() -> HeldFlush.deliver(this, status, null));
    }

    @Override
    public void postCompletion(long completionBytes) {
        CompletionInfo info = new CompletionInfo(completionBytes, Optional.empty());
        exchange.eventLoop().execute(() -> HeldFlush.deliver(this, null, info));
    }

    @Override
    public void setErrorStatus(Throwable error) {
        RequestErrors.recordErrorStatus(response, error);
    }

    @Override
    public ByteBuffer allocateMemory(int bytes) {
        if (memory == null) {
            memory = new RequestMemory();
        }
        return memory.allocate(bytes);
    }
}
