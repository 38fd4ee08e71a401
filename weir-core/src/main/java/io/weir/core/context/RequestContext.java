package io.weir.core.context;

import io.weir.api.HttpServer;
import io.weir.api.ModuleAllocator;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.EntityReadException;
import io.weir.api.http.ExecuteFlag;
import io.weir.api.http.HttpApplication;
import io.weir.api.http.HttpConnection;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpSite;
import io.weir.api.http.HttpStatus;
import io.weir.api.http.HttpUser;
import io.weir.api.http.ScriptMapInfo;
import io.weir.api.provider.AuthenticationProvider;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.provider.MapHandlerProvider;
import io.weir.api.provider.MapPathProvider;
import io.weir.api.provider.ReadEntityProvider;
import io.weir.api.provider.SendResponseProvider;
import io.weir.api.trace.HttpTraceContext;
import io.weir.config.EffectiveConfig;
import io.weir.core.handler.HandlerTable;
import io.weir.core.pipeline.PipelineObserver;
import io.weir.core.pipeline.PipelinePlan;
import io.weir.core.pipeline.RequestPipeline;
import io.weir.core.site.ServedApplication;
import io.weir.core.site.ServedSite;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.RequestBody;
import io.weir.core.spi.HeaderStore;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One request (top-level or child) as modules see it; mirrors {@code IHttpContext}. It is also the
 * provider for the plain, authentication and map-handler notifications, and the request's module
 * allocator, so that a request costs few objects.
 *
 * <p>Confined to the request's event loop, except {@link #indicateCompletion} and
 * {@link #postCompletion}, which hop onto it.
 */
public final class RequestContext implements HttpContext, AuthenticationProvider, MapHandlerProvider,
        ModuleAllocator {

    /** IIS's limit on nested child requests. */
    static final int MAX_CHILD_DEPTH = 10;


    private final EngineRuntime engine;
    private final Exchange exchange;
    private final ServedSite site;
    private ServedApplication application;
    private final RequestImpl request;
    private final ResponseImpl response;
    private final RequestContext parent;
    private final int depth;
    private RequestPipeline pipeline;

    private EffectiveConfig effectiveConfig;
    private Path physicalPath;
    private Optional<HttpFileInfo> fileInfo;
    private HandlerTable.Match handlerMatch;
    private ScriptMapInfo scriptMap;
    private boolean scriptMapOverridden;
    private boolean requestHandled;
    private boolean finishedBeforeBegin;
    private boolean beginStarted;
    private HttpUser user;
    private ContextContainer container;
    private RequestMemory memory;
    private Map<String, String> serverVariables;
    private int[] disabled;
    private String errorModule;
    private String errorNotification;
    private RequestTraceContext trace;

    private RequestContext(EngineRuntime engine, Exchange exchange, ServedSite site, ServedApplication application,
            RequestContext parent, String method, String rawUrl, String path, String query, HeaderStore headers,
            RequestBody body) {
        this.engine = engine;
        this.exchange = exchange;
        this.site = site;
        this.application = application;
        this.parent = parent;
        this.depth = parent == null ? 0 : parent.depth + 1;
        this.request = new RequestImpl(this, exchange, method, rawUrl, path, query, headers, body);
        this.response = parent == null ? new ResponseImpl(this, exchange, engine.server().serverSoftware())
                : parent.response;
    }

    /**
     * Creates a top-level request.
     *
     * @param engine   the engine
     * @param exchange the transport's exchange
     * @param site     the routed site
     * @param path     the normalized URL path
     * @param query    the query string
     * @return the context, without a pipeline yet
     */
    public static RequestContext create(EngineRuntime engine, Exchange exchange, ServedSite site, String path,
            String query) {
        RequestContext c = new RequestContext(engine, exchange, site, site.applicationFor(path), null,
                exchange.method(), exchange.rawUri(), path, query, exchange.requestHeaders(), exchange.requestBody());
        if (exchange.method().equals("HEAD")) {
            c.response.suppressEntity();
        }
        return c;
    }

    /**
     * Builds the pipeline for the request's current URL and runs it until it ends or parks.
     */
    public void run() {
        PipelinePlan plan;
        try {
            EffectiveConfig config = effectiveConfig();
            if (config.error().isPresent()) {
                // IIS's 500.19: a web.config governing this URL is invalid; only the end stages run
                failResponse(config.error().get());
                recordError("IIS Web Core", RequestNotification.BEGIN_REQUEST, false);
                finishedBeforeBegin = true;
            }
            plan = engine.plan(config, application);
        } catch (ConfigException e) {
            failResponse(e);
            recordError("IIS Web Core", RequestNotification.BEGIN_REQUEST, false);
            finishedBeforeBegin = true;
            plan = null;
        }
        if (plan == null) {
            response.finalSend();
            ended();
            return;
        }
        pipeline = new RequestPipeline(this, plan);
        beginStarted = true;
        pipeline.start();
    }

    /** @return the transport's exchange (a child request shares its parent's) */
    public Exchange exchange() {
        return exchange;
    }

    /** @return the engine's pipeline observer, or null when none is installed */
    public PipelineObserver observer() {
        return engine.observer();
    }

    /** @return the engine's counter of event-loop overruns, for the pipeline */
    public java.util.concurrent.atomic.AtomicLong eventLoopOverrunCounter() {
        return engine.eventLoopOverrunCounter();
    }

    /** @return the request's event loop (callable from any thread) */
    public java.util.concurrent.Executor eventLoop() {
        return exchange.eventLoop();
    }

    /** @return true when the pipeline must record which request runs on its thread ({@link CurrentRequest}) */
    public boolean tracksCurrentRequest() {
        return engine.tracksCurrentRequest();
    }

    /** @return the request previously recorded on this thread, for {@link #exitThread} */
    public RequestContext enterThread() {
        return CurrentRequest.enter(this);
    }

    /** @param previous what {@link #enterThread} returned */
    public void exitThread(RequestContext previous) {
        CurrentRequest.exit(previous);
    }

    /** @return the pipeline, or null before {@link #run()} */
    public RequestPipeline pipeline() {
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
        effectiveConfig = null;
        physicalPath = null;
        fileInfo = null;
        application = site.applicationFor(request.urlPath());
    }

    // ---------------------------------------------------------------------------------------------
    // Handler mapping (called by the pipeline at MAP_REQUEST_HANDLER)
    // ---------------------------------------------------------------------------------------------

    /**
     * Chooses the handler mapping for the current URL, verb and what exists on disk; modules of
     * MAP_REQUEST_HANDLER may then replace it with {@link #setScriptMap}.
     *
     * @param handlers the plan's handler table
     */
    public void mapHandler(HandlerTable handlers) {
        HandlerTable table = ignoredMapping == null ? handlers : handlers.without(ignoredMapping);
        handlerMatch = table.match(request.urlPath(), request.method(), fileInfo());
        scriptMap = handlerMatch instanceof HandlerTable.Match.Found f ? f.mapping() : null;
    }

    /** @return the outcome of {@link #mapHandler} */
    public HandlerTable.Match handlerMatch() {
        return handlerMatch;
    }

    /** @return true when a module replaced the mapping */
    public boolean scriptMapOverridden() {
        return scriptMapOverridden;
    }

    @Override
    public void setScriptMap(ScriptMapInfo map) {
        this.scriptMap = Objects.requireNonNull(map, "scriptMap");
        this.scriptMapOverridden = true;
    }

    @Override
    public Optional<ScriptMapInfo> scriptMap() {
        return Optional.ofNullable(scriptMap);
    }

    @Override
    public void setRequestHandled() {
        requestHandled = true;
    }

    /** @return true after {@link #setRequestHandled()} */
    public boolean isRequestHandled() {
        return requestHandled;
    }

    // ---------------------------------------------------------------------------------------------
    // Errors and the end of the request
    // ---------------------------------------------------------------------------------------------

    /**
     * Turns the response into the error for a failure: 500.19 for a configuration error, 500.0
     * otherwise; when the headers are already out, the connection is dropped instead.
     *
     * @param error the failure
     */
    public void failResponse(Throwable error) {
        if (response.headersSent()) {
            response.dropConnection();
            return;
        }
        if (error instanceof EntityReadException && response.statusCode() >= 400) {
            return; // a module let a failed entity read propagate: keep the limit's status (404.13, 413)
        }
        response.clear();
        if (error instanceof ConfigException ce) {
            response.setStatus(HttpStatus.CONFIGURATION_INVALID, error);
            response.setErrorDescription("The configuration is invalid: " + ce.getMessage());
        } else {
            response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR, error);
        }
    }

    /**
     * Records which module and notification set an error status, for the detailed error page.
     *
     * @param module       the module's name, or "IIS Web Core" for the engine
     * @param notification the notification
     * @param isPost       whether it was the post-notification
     */
    public void recordError(String module, RequestNotification notification, boolean isPost) {
        errorModule = module;
        errorNotification = (isPost ? "POST_" : "") + notification;
    }

    /**
     * Notes which module set an error status, as IIS's {@code GetStatus} reports the module and
     * notification that set it; called by the response when a status of 400 or more is set while a
     * module's notification method runs.
     */
    void statusSetByCurrentModule() {
        RequestContext root = this;
        while (root.parent != null) {
            root = root.parent;
        }
        RequestContext running = root.innermostRunning();
        if (running.pipeline != null) {
            String module = running.pipeline.currentModuleName();
            if (module != null) {
                root.errorModule = module;
                root.errorNotification = running.pipeline.position();
                RequestTraceContext t = root.activeTrace();
                if (t != null) {
                    t.errorStatus(module, root.errorNotification);
                }
            }
        }
    }

    private RequestContext runningChild;
    private boolean inheritsUser = true;
    private Set<ExecuteFlag> executeFlags = Set.of();
    private ScriptMapInfo ignoredMapping;
    private Runnable onChildEnded;

    private RequestContext innermostRunning() {
        RequestContext c = this;
        while (c.runningChild != null) {
            c = c.runningChild;
        }
        return c;
    }

    /** @return the module recorded as having set the error status, or null */
    String recordedErrorModule() {
        return errorModule;
    }

    /** @return the notification recorded with {@link #recordedErrorModule()}, or null */
    String recordedErrorNotification() {
        return errorModule == null ? null : errorNotification;
    }

    String errorModule() {
        return errorModule == null ? "Not yet determined" : errorModule;
    }

    String errorNotification() {
        return errorNotification == null ? (pipeline == null ? "" : pipeline.position()) : errorNotification;
    }

    /** The final send, done by the top-level request only; a child's output stays in its parent's response. */
    public void finalSend() {
        if (parent == null) {
            response.finalSend();
        }
    }

    /** Called by the pipeline when the request has ended. */
    public void ended() {
        if (container != null) {
            container.cleanup();
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
        return request.method() + " " + request.urlPath() + " (" + site.siteName() + ")";
    }

    boolean isLocalRequest() {
        InetSocketAddress remote = exchange.remoteAddress();
        return remote != null && remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
    }

    Path physicalPathIfMapped() {
        return physicalPath;
    }

    // ---------------------------------------------------------------------------------------------
    // HttpContext
    // ---------------------------------------------------------------------------------------------

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
        return connectionState();
    }

    private ConnectionState connectionState() {
        Object attachment = exchange.connectionAttachment();
        if (attachment instanceof ConnectionState state) {
            return state;
        }
        ConnectionState state = new ConnectionState(exchange);
        exchange.connectionAttachment(state);
        exchange.onConnectionClosed(state.container::cleanup);
        return state;
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

    private EffectiveConfig effectiveConfig() {
        EffectiveConfig c = effectiveConfig;
        if (c == null) {
            c = engine.effectiveConfig(site, request.urlPath());
            effectiveConfig = c;
        }
        return c;
    }

    @Override
    public <T> T config(ConfigSectionType<T> type) {
        return engine.bind(effectiveConfig(), type);
    }

    @Override
    public Path physicalPath() {
        Path p = physicalPath;
        if (p == null) {
            p = mapPath(request.urlPath());
            physicalPath = p;
        }
        return p;
    }

    @Override
    public Path mapPath(String url) {
        String normalized = url.equals(request.urlPath()) ? url : UrlPath.normalize(url);
        if (normalized == null) {
            throw new IllegalArgumentException("URL cannot be mapped: " + url);
        }
        Path mapped = site.applicationFor(normalized).mapPath(normalized);
        if (pipeline != null && pipeline.hasMapPathModules()) {
            MapPathEvent event = new MapPathEvent(normalized, mapped);
            pipeline.mapPath(event);
            mapped = event.path;
        }
        return mapped;
    }

    @Override
    public Optional<HttpFileInfo> fileInfo() {
        Optional<HttpFileInfo> f = fileInfo;
        if (f == null) {
            f = engine.server().fileInfo(physicalPath());
            fileInfo = f;
        }
        return f;
    }

    @Override
    public boolean responseHeadersSent() {
        return response.headersSent();
    }

    @Override
    public void disableNotifications(Set<RequestNotification> notifications, Set<RequestNotification> posts) {
        int slot = pipeline == null ? -1 : pipeline.currentSlot();
        if (slot < 0) {
            throw new IllegalStateException("disableNotifications must be called from a notification method");
        }
        if (disabled == null) {
            disabled = new int[pipeline.slotCount()];
        }
        for (RequestNotification n : notifications) {
            if (n.isDeterministic()) {
                disabled[slot] |= 1 << n.ordinal();
            }
        }
        for (RequestNotification n : posts) {
            if (n.isDeterministic()) {
                disabled[slot] |= 1 << (n.ordinal() + 16);
            }
        }
    }

    /**
     * @param slot         a module slot
     * @param notification a deterministic notification
     * @param isPost       whether its post-notification is meant
     * @return true when the module turned it off for this request
     */
    public boolean isNotificationDisabled(int slot, RequestNotification notification, boolean isPost) {
        return disabled != null && (disabled[slot] & (1 << (notification.ordinal() + (isPost ? 16 : 0)))) != 0;
    }

    @Override
    public Optional<String> serverVariable(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (serverVariables != null && serverVariables.containsKey(upper)) {
            return Optional.of(serverVariables.get(upper));
        }
        InetSocketAddress remote = request.remoteAddress();
        InetSocketAddress local = request.localAddress();
        String value = switch (upper) {
            case "URL", "SCRIPT_NAME", "PATH_INFO" -> rootRequest().urlPath();
            case "HTTP_URL", "UNENCODED_URL", "REQUEST_URI" -> request.rawUrl();
            case "QUERY_STRING" -> request.queryString();
            case "REQUEST_METHOD", "HTTP_METHOD" -> request.method();
            case "REMOTE_ADDR", "REMOTE_HOST" -> remote == null ? "" : remote.getAddress().getHostAddress();
            case "REMOTE_PORT" -> remote == null ? "" : Integer.toString(remote.getPort());
            case "LOCAL_ADDR" -> local == null ? "" : local.getAddress().getHostAddress();
            case "SERVER_PORT" -> local == null ? "" : Integer.toString(local.getPort());
            case "SERVER_NAME" -> request.header("Host").map(h -> h.replaceFirst(":\\d+$", ""))
                    .orElse(local == null ? "" : local.getHostString());
            case "SERVER_PROTOCOL", "HTTP_VERSION" -> request.httpVersion();
            case "SERVER_SOFTWARE" -> engine.server().serverSoftware();
            case "HTTPS" -> connection().isSecure() ? "on" : "off";
            case "SERVER_PORT_SECURE" -> connection().isSecure() ? "1" : "0";
            case "PATH_TRANSLATED", "SCRIPT_FILENAME", "REQUEST_FILENAME" -> physicalPath().toString();
            case "APPL_PHYSICAL_PATH" -> application.applicationPhysicalPath().toString();
            case "APPL_MD_PATH" -> application.applicationId();
            case "INSTANCE_ID" -> Long.toString(site.siteId());
            case "INSTANCE_NAME" -> site.siteName();
            case "AUTH_USER", "LOGON_USER", "REMOTE_USER" -> user().map(HttpUser::userName).orElse("");
            case "AUTH_TYPE" -> user().map(HttpUser::authenticationType).orElse("");
            case "CONTENT_LENGTH" -> request.header("Content-Length").orElse("0");
            case "CONTENT_TYPE" -> request.header("Content-Type").orElse("");
            default -> upper.startsWith("HTTP_")
                    ? request.header(upper.substring(5).replace('_', '-')).orElse(null)
                    : upper.startsWith("HTTPS_") || upper.startsWith("CERT_") || upper.startsWith("SSL_")
                            ? transportVariable(upper) : null;
        };
        return Optional.ofNullable(value);
    }

    private String transportVariable(String upper) {
        if (connection() instanceof ConnectionState state) {
            String value = state.exchange.transportVariable(upper);
            if (value != null) {
                return value;
            }
        }
        return upper.startsWith("CERT_") || upper.startsWith("HTTPS_") ? "" : null;
    }

    private RequestImpl rootRequest() {
        RequestContext c = this;
        while (c.parent != null) {
            c = c.parent;
        }
        return c.request;
    }

    @Override
    public void setServerVariable(String name, String value) {
        if (serverVariables == null) {
            serverVariables = new HashMap<>();
        }
        serverVariables.put(name.toUpperCase(Locale.ROOT), Objects.requireNonNull(value, "value"));
    }

    @Override
    public HttpModuleContextContainer moduleContextContainer() {
        ContextContainer c = container;
        if (c == null) {
            c = new ContextContainer();
            container = c;
        }
        return c;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A child request shares its parent's. When no global module registered GL_TRACE_EVENT in
     * the request's generation, this is a disabled context (nothing is allocated).
     */
    @Override
    public HttpTraceContext traceContext() {
        if (parent != null) {
            return parent.traceContext();
        }
        RequestTraceContext t = trace;
        if (t == null) {
            io.weir.core.module.RegisteredModule[] consumers =
                    engine.globalModules(io.weir.api.GlobalNotification.TRACE_EVENT);
            if (consumers.length == 0) {
                return DisabledTraceContext.INSTANCE;
            }
            t = new RequestTraceContext(this, consumers);
            trace = t;
        }
        return t;
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
        return executeChild(url, flags, user().orElse(null), true);
    }

    @Override
    public boolean executeRequest(String url, Set<ExecuteFlag> flags, HttpUser childUser) {
        return executeChild(url, flags, childUser, false);
    }

    private boolean executeChild(String url, Set<ExecuteFlag> flags, HttpUser childUser, boolean inherit) {
        Objects.requireNonNull(flags, "flags");
        if (depth + 1 > MAX_CHILD_DEPTH) {
            throw new IllegalStateException("child requests nest deeper than " + MAX_CHILD_DEPTH);
        }
        String target = flags.contains(ExecuteFlag.SAME_URL)
                ? request.urlPath() + (request.queryString().isEmpty() ? "" : "?" + request.queryString()) : url;
        String[] parts = UrlPath.split(target);
        String path = parts == null ? null : UrlPath.normalize(parts[0]);
        if (path == null || !target.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute URL path: " + target);
        }
        RequestContext child = new RequestContext(engine, exchange, site, site.applicationFor(path), this,
                request.method(), target, path, parts[1], exchange.requestHeaders(), null);
        child.user = childUser;
        child.inheritsUser = inherit;
        child.executeFlags = flags.isEmpty() ? Set.of() : Set.copyOf(flags);
        if (flags.contains(ExecuteFlag.IGNORE_CURRENT_INTERCEPTOR)) {
            child.ignoredMapping = scriptMap;
        }
        ResponseImpl.Head head = flags.contains(ExecuteFlag.NO_HEADERS) ? response.snapshotHead() : null;
        runningChild = child;
        try {
            child.run();
        } finally {
            runningChild = null;
        }
        if (child.pipeline == null || child.pipeline.isDone()) {
            afterChild(child, head);
            return false;
        }
        // The child went asynchronous: the caller returns PENDING; when the child ends, its
        // completion resumes the caller through onAsyncCompletion (IIS's ExecuteRequest completion).
        child.onChildEnded = () -> exchange.eventLoop().execute(() -> {
            afterChild(child, head);
            pipeline.complete(new CompletionInfo(0, Optional.empty()));
        });
        return true;
    }

    /** The parent's side of a child's end: NO_HEADERS, DISABLE_CUSTOM_ERROR and BUFFER_RESPONSE. */
    private void afterChild(RequestContext child, ResponseImpl.Head head) {
        Set<ExecuteFlag> flags = child.executeFlags;
        if (head != null) {
            response.restoreHead(head);
        } else if (flags.contains(ExecuteFlag.DISABLE_CUSTOM_ERROR) && response.statusCode() >= 400) {
            response.skipCustomErrors();
        }
        if (!flags.contains(ExecuteFlag.BUFFER_RESPONSE) && !response.inSendResponse() && !response.isReset()
                && parent == null) {
            response.flush(true);
        }
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
        return pipeline.customNotification(provider);
    }

    @Override
    public void indicateCompletion(RequestNotificationStatus status) {
        Objects.requireNonNull(status, "status");
        exchange.eventLoop().execute(() -> pipeline.resume(status));
    }

    @Override
    public void postCompletion(long completionBytes) {
        exchange.eventLoop().execute(() -> pipeline.complete(new CompletionInfo(completionBytes, Optional.empty())));
    }

    // ---------------------------------------------------------------------------------------------
    // Providers and allocator
    // ---------------------------------------------------------------------------------------------

    @Override
    public void setErrorStatus(Throwable error) {
        if (!response.headersSent() && response.statusError().isEmpty()) {
            response.setStatus(response.status(), error, response.trySkipCustomErrors());
        }
    }

    @Override
    public ByteBuffer allocateMemory(int bytes) {
        RequestMemory m = memory;
        if (m == null) {
            m = new RequestMemory();
            memory = m;
        }
        return m.allocate(bytes);
    }

    boolean hasSendResponseModules() {
        return pipeline != null && pipeline.hasSendResponseModules();
    }

    void raiseSendResponse(SendResponseProvider provider) {
        if (pipeline != null) {
            pipeline.sendResponse(provider);
        }
    }

    /** Raises READ_ENTITY for a completed read; null when there is no pipeline (yet). */
    ReadEntityEvent raiseReadEntity(ByteBuffer chunk, long received) {
        if (pipeline == null) {
            return null;
        }
        ReadEntityEvent event = new ReadEntityEvent(chunk, received);
        pipeline.readEntity(event);
        return event;
    }

    /** Resumes the module parked on an asynchronous entity read; on the event loop. */
    void completeEntityRead(CompletionInfo info) {
        pipeline.complete(info);
    }

    /**
     * The request entity failed (a limit, bad coding, the client gone): the rest of the body is not
     * read, so the connection closes after the response; a body over the transport's server-wide
     * cap gets 413 when no status error was set and nothing was sent.
     */
    void entityFailed(Throwable cause) {
        response.setNeedDisconnect();
        if (cause instanceof RequestBody.EntityTooLargeException && !response.headersSent()
                && response.statusCode() < 400) {
            response.setStatus(new HttpStatus(413, 0, "Request Entity Too Large"), cause, false);
        }
    }

    private static final class MapPathEvent implements MapPathProvider {
        private final String url;
        private Path path;

        MapPathEvent(String url, Path path) {
            this.url = url;
            this.path = path;
        }

        @Override
        public String url() {
            return url;
        }

        @Override
        public Path physicalPath() {
            return path;
        }

        @Override
        public void setPhysicalPath(Path newPath) {
            this.path = Objects.requireNonNull(newPath, "path");
        }

        @Override
        public void setErrorStatus(Throwable error) {
        }
    }

    /** READ_ENTITY's provider for one read. */
    static final class ReadEntityEvent implements ReadEntityProvider {
        private ByteBuffer entity;
        private final long received;
        private Throwable error;

        ReadEntityEvent(ByteBuffer entity, long received) {
            this.entity = entity;
            this.received = received;
        }

        Throwable error() {
            return error;
        }

        @Override
        public long entityBytesReceived() {
            return received;
        }

        @Override
        public ByteBuffer entity() {
            return entity;
        }

        @Override
        public void setEntity(ByteBuffer newEntity) {
            this.entity = Objects.requireNonNull(newEntity, "entity");
        }

        @Override
        public void setErrorStatus(Throwable error) {
            this.error = Objects.requireNonNull(error, "error");
        }
    }

    /** Per-connection state kept on the transport's connection; mirrors {@code IHttpConnection}. */
    private static final class ConnectionState implements HttpConnection {
        private final Exchange exchange;
        private final ContextContainer container = new ContextContainer();

        ConnectionState(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public boolean isConnected() {
            return exchange.isConnected();
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return exchange.remoteAddress();
        }

        @Override
        public InetSocketAddress localAddress() {
            return exchange.localAddress();
        }

        @Override
        public boolean isSecure() {
            return exchange.isSecure();
        }

        @Override
        public java.util.List<java.security.cert.X509Certificate> clientCertificates() {
            return exchange.clientCertificates();
        }

        @Override
        public HttpModuleContextContainer moduleContextContainer() {
            return container;
        }
    }
}
