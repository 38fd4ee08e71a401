package io.weir.core.pipeline;

import io.weir.api.config.ConfigException;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.provider.MapPathProvider;
import io.weir.api.provider.ReadEntityProvider;
import io.weir.api.provider.SendResponseProvider;
import io.weir.core.context.RequestContext;
import io.weir.core.context.RequestTraceContext;
import io.weir.core.handler.HandlerTable;
import io.weir.core.module.RegisteredModule;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.weir.api.RequestNotification.END_REQUEST;
import static io.weir.api.RequestNotification.EXECUTE_REQUEST_HANDLER;
import static io.weir.api.RequestNotification.LOG_REQUEST;
import static io.weir.api.RequestNotification.MAP_REQUEST_HANDLER;
import static io.weir.api.RequestNotification.UPDATE_REQUEST_CACHE;

/**
 * The request state machine: the one place that decides what runs next for a request and the only
 * class that calls module notification methods.
 *
 * <pre>
 *   STAGES      BEGIN_REQUEST … UPDATE_REQUEST_CACHE, each event list then its post list
 *      │  (FINISH_REQUEST, an exception, or a handler-mapping error jumps straight down)
 *   FINAL_SEND  the buffered response goes out, SEND_RESPONSE runs (reverse order)
 *   END_STAGES  LOG_REQUEST, post, END_REQUEST, post — always run (iis-native-api.md §2.2)
 *   DONE        every module instance disposed, the exchange completed
 * </pre>
 *
 * The cursor is (phase, stage, post, index). A module returning PENDING parks the cursor on its
 * slot; {@link #resume} or {@link #complete} (called on the event loop by the context's completion
 * methods) re-enters {@link #run()} where it stopped, as nginx re-enters its phase loop.
 *
 * <p>Status policy: CONTINUE moves to the next module; FINISH_REQUEST abandons the current list and
 * every later stage and goes to FINAL_SEND; in LOG_REQUEST and END_REQUEST FINISH_REQUEST counts as
 * CONTINUE, so that the end stages are never cut short (ASP.NET does the same). An exception gives
 * the request a 500 (500.19 for a configuration error), is logged with the module and the
 * notification, and counts as FINISH_REQUEST; it never affects another request.
 */
public final class RequestPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(RequestPipeline.class);
    private static final RequestNotification[] STAGES = {
        RequestNotification.BEGIN_REQUEST, RequestNotification.AUTHENTICATE_REQUEST,
        RequestNotification.AUTHORIZE_REQUEST, RequestNotification.RESOLVE_REQUEST_CACHE,
        MAP_REQUEST_HANDLER, RequestNotification.ACQUIRE_REQUEST_STATE,
        RequestNotification.PRE_EXECUTE_REQUEST_HANDLER, EXECUTE_REQUEST_HANDLER,
        RequestNotification.RELEASE_REQUEST_STATE, UPDATE_REQUEST_CACHE, LOG_REQUEST, END_REQUEST};

    private enum Phase { STAGES, FINAL_SEND, END_STAGES, DONE }

    private static final int[] NONE = new int[0];

    private final RequestContext context;
    private PipelinePlan plan;
    private HttpModule[] instances;
    private final PipelineObserver observer;
    private final boolean trackCurrent;

    private Phase phase = Phase.STAGES;
    private int stage;
    private boolean post;
    private int index;
    private int[] slots;
    private boolean parked;
    private int pendingSlot = -1;
    /** True while a blocking notification runs on the blocking executor. */
    private boolean offloaded;
    /** A completion that arrived while the module that will return PENDING still runs offloaded. */
    private RequestNotificationStatus earlyStatus;
    private CompletionInfo earlyInfo;
    private final java.util.concurrent.atomic.AtomicLong overruns;
    private EventLoopWatchdog.Probe probe;
    /** The intrusive list of requests in flight on this request's thread ({@link ExecutingRequests}). */
    ExecutingRequests.ThreadList liveList;
    RequestPipeline livePrev;
    RequestPipeline liveNext;
    private long startedNanos;
    /** The trace of the offloaded call, when it was traced, and its start time. */
    private RequestTraceContext offloadTrace;
    private long offloadStarted;

    /**
     * @param context the request
     * @param plan    the compiled plan of the request's configuration
     */
    public RequestPipeline(RequestContext context, PipelinePlan plan) {
        this.context = context;
        this.plan = plan;
        this.instances = new HttpModule[plan.modules().length];
        this.slots = plan.slots(STAGES[0]);
        this.observer = context.observer();
        this.overruns = context.eventLoopOverrunCounter();
        this.trackCurrent = context.tracksCurrentRequest();
    }

    /** Starts the request at BEGIN_REQUEST, or at the final send when it was finished before that. */
    public void start() {
        if (context.parentContext().isEmpty()) {
            probe = EventLoopWatchdog.probe();
            startedNanos = EventLoopWatchdog.coarseNanos();
            ExecutingRequests.started(this, context.eventLoop());
        }
        if (context.finishedBeforeBegin()) {
            phase = Phase.FINAL_SEND;
        }
        RequestTraceContext t = context.activeTrace();
        if (t != null && context.parentContext().isEmpty()) {
            t.requestStart();
        }
        if (t != null && phase == Phase.STAGES) {
            t.notificationStart(STAGES[0], false, slots.length);
        }
        run();
    }

    /** @return true once the request has run to its end (instances disposed) */
    public boolean isDone() {
        return phase == Phase.DONE;
    }

    /** @return true while a module's PENDING is outstanding */
    public boolean isParked() {
        return parked;
    }

    /** @return the slot of the module whose notification method is running, or -1 */
    public int currentSlot() {
        return (phase == Phase.STAGES || phase == Phase.END_STAGES) && index < slots.length ? slots[index] : -1;
    }

    /**
     * @return the name of the module whose notification method is running, or null when none is
     *         (the engine's own work, or a non-deterministic notification)
     */
    public String currentModuleName() {
        int slot = currentSlot();
        return slot < 0 ? null : plan.modules()[slot].name();
    }

    /** @return the number of module slots of the plan */
    public int slotCount() {
        return instances.length;
    }

    /** @return the notification the cursor is on, for diagnostics */
    public String position() {
        return switch (phase) {
            case STAGES, END_STAGES -> (post ? "POST_" : "") + STAGES[stage];
            case FINAL_SEND -> "SEND_RESPONSE";
            case DONE -> "DONE";
        };
    }

    // ---------------------------------------------------------------------------------------------
    // The walk
    // ---------------------------------------------------------------------------------------------

    private void run() {
        probe = EventLoopWatchdog.probe();
        if (!trackCurrent) {
            walk();
            return;
        }
        RequestContext previous = context.enterThread();
        try {
            walk();
        } finally {
            context.exitThread(previous);
        }
    }

    private void walk() {
        while (true) {
            switch (phase) {
                case DONE -> {
                    return;
                }
                case FINAL_SEND -> {
                    RequestTraceContext t = context.activeTrace();
                    if (t != null && !hasSendResponseModules() && context.parentContext().isEmpty()) {
                        t.notificationStart(RequestNotification.SEND_RESPONSE, false, 0);
                    }
                    try {
                        context.finalSend();
                    } catch (RuntimeException e) {
                        // The end stages and dispose must still run, or the request never ends
                        // (its generation would never drain).
                        LOG.error("the final send of {} failed; going on with the end stages", context.describe(), e);
                    }
                    enterEndStages();
                    continue;
                }
                default -> {
                }
            }
            while (index < slots.length) {
                int slot = slots[index];
                if (skip(slot)) {
                    index++;
                    continue;
                }
                if (plan.isBlocking(slot, STAGES[stage])) {
                    offload(slot, null);
                    return;
                }
                RequestNotificationStatus status = invoke(slot);
                if (status == RequestNotificationStatus.PENDING) {
                    parked = true;
                    pendingSlot = slot;
                    return;
                }
                index++;
                if (status == RequestNotificationStatus.FINISH_REQUEST && phase == Phase.STAGES) {
                    phase = Phase.FINAL_SEND;
                    break;
                }
            }
            if (phase == Phase.FINAL_SEND) {
                continue;
            }
            if (phase == Phase.STAGES && STAGES[stage] == MAP_REQUEST_HANDLER && !post && !checkHandler()) {
                phase = Phase.FINAL_SEND;
                continue;
            }
            advance();
        }
    }

    private void advance() {
        if (!post) {
            post = true;
        } else {
            post = false;
            stage++;
            if (phase == Phase.STAGES && STAGES[stage - 1] == RequestNotification.BEGIN_REQUEST && !remap()) {
                phase = Phase.FINAL_SEND;
                return;
            }
        }
        if (phase == Phase.STAGES && stage > UPDATE_REQUEST_CACHE.ordinal()) {
            phase = Phase.FINAL_SEND;
            return;
        }
        if (phase == Phase.END_STAGES && stage > END_REQUEST.ordinal()) {
            finish();
            return;
        }
        beginList();
    }

    /**
     * After BEGIN_REQUEST, when a module rewrote the URL: goes on with the plan of the new URL's
     * configuration (modules, handler mappings), as IIS maps a rewritten request again. A module
     * present in both plans keeps its per-request instance; one absent from the new plan is
     * disposed now.
     *
     * @return false when the new URL's configuration is invalid (the response is a 500.19)
     */
    private boolean remap() {
        PipelinePlan next;
        try {
            next = context.planForRewrittenUrl();
        } catch (ConfigException e) {
            context.failResponse(e);
            context.recordError("IIS Web Core", RequestNotification.BEGIN_REQUEST, true);
            return false;
        }
        if (next == null || next == plan) {
            return true;
        }
        HttpModule[] moved = new HttpModule[next.modules().length];
        for (int i = 0; i < moved.length; i++) {
            String name = next.modules()[i].name();
            for (int j = 0; j < instances.length; j++) {
                if (instances[j] != null && plan.modules()[j].name().equals(name)) {
                    moved[i] = instances[j];
                    instances[j] = null;
                    break;
                }
            }
        }
        disposeInstances();
        context.forgetDisabledNotifications();
        plan = next;
        instances = moved;
        return true;
    }

    private void enterEndStages() {
        phase = Phase.END_STAGES;
        stage = LOG_REQUEST.ordinal();
        post = false;
        beginList();
    }

    private void beginList() {
        index = 0;
        RequestNotification n = STAGES[stage];
        if (post) {
            slots = plan.postSlots(n);
        } else if (n == EXECUTE_REQUEST_HANDLER) {
            slots = context.scriptMap().map(plan::executeSlots).orElse(new int[0]);
        } else {
            if (n == MAP_REQUEST_HANDLER) {
                context.mapHandler(plan.handlers());
                RequestTraceContext t = context.activeTrace();
                if (t != null) {
                    t.handlerChanged(context.scriptMap().orElse(null));
                }
            }
            slots = n == RequestNotification.AUTHENTICATE_REQUEST && context.skipsAuthentication()
                    ? NONE : plan.slots(n);
        }
        RequestTraceContext t = context.activeTrace();
        if (t != null && (!post || slots.length > 0)) {
            t.notificationStart(n, post, slots.length);
        }
    }

    private boolean skip(int slot) {
        if (context.isNotificationDisabled(slot, STAGES[stage], post)) {
            return true;
        }
        return !post && STAGES[stage] == EXECUTE_REQUEST_HANDLER && context.isRequestHandled();
    }

    /**
     * After the MAP_REQUEST_HANDLER modules: the core's own checks, which IIS's detailed errors
     * attribute to "IIS Web Core" in MapRequestHandler (iis-native-api.md §5.1; config reference
     * §2.3): no mapping → 404.4; a path match refused on its verb → 405.0; a mapping whose
     * resourceType is not satisfied → 404.0; a mapping naming a module that is not enabled → 500.21.
     *
     * @return true to go on, false to jump to the final send
     */
    private boolean checkHandler() {
        HandlerTable.Match match = context.handlerMatch();
        HttpStatus error = null;
        String description = null;
        if (context.scriptMapOverridden()) {
            return checkModules();
        }
        if (match instanceof HandlerTable.Match.NoHandler) {
            error = HttpStatus.NO_HANDLER;
            description = "No handler mapping matches " + context.request().urlPath();
        } else if (match instanceof HandlerTable.Match.VerbRefused) {
            error = HttpStatus.METHOD_NOT_ALLOWED;
            description = "No handler mapping accepts the verb " + context.request().method();
        } else if (match instanceof HandlerTable.Match.Found found && found.resourceMissing()) {
            error = HttpStatus.NOT_FOUND;
            description = "The handler mapping '" + found.mapping().name() + "' needs "
                    + switch (found.mapping().resourceType()) {
                        case FILE -> "a file";
                        case DIRECTORY -> "a folder";
                        default -> "a file or a folder";
                    }
                    + " at " + context.physicalPath() + ", and there is none";
        }
        if (error != null) {
            context.response().clear();
            context.response().setStatus(error);
            context.response().setErrorDescription(description);
            context.recordError("IIS Web Core", MAP_REQUEST_HANDLER, false);
            traceCoreError();
            return false;
        }
        return checkModules();
    }

    private boolean checkModules() {
        List<String> missing = context.scriptMap().map(plan::missingModules).orElse(List.of());
        if (missing.isEmpty()) {
            return true;
        }
        context.response().clear();
        context.response().setStatus(HttpStatus.MODULE_NOT_RECOGNIZED);
        context.response().setErrorDescription("Handler '" + context.scriptMap().get().name()
                + "' has a bad module '" + missing.get(0) + "' in its module list");
        context.recordError("IIS Web Core", MAP_REQUEST_HANDLER, false);
        traceCoreError();
        return false;
    }

    private void traceCoreError() {
        RequestTraceContext t = context.activeTrace();
        if (t != null) {
            t.errorStatus("IIS Web Core", MAP_REQUEST_HANDLER.name());
        }
    }

    private String moduleName(int slot) {
        return plan.modules()[slot].name();
    }

    private void finish() {
        phase = Phase.DONE;
        ExecutingRequests.ended(this);
        RequestTraceContext t = context.activeTrace();
        if (t != null && context.parentContext().isEmpty()) {
            t.requestEnd();
        }
        disposeInstances();
        context.ended();
    }

    private void disposeInstances() {
        for (int i = 0; i < instances.length; i++) {
            HttpModule m = instances[i];
            if (m != null) {
                instances[i] = null;
                try {
                    m.dispose();
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("module '{}' threw from dispose() for {}", plan.modules()[i].name(),
                            context.describe(), e);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Resumption after PENDING (called on the request's event loop)
    // ---------------------------------------------------------------------------------------------

    /**
     * Resumes a parked request with the given status as the parked notification's result, without
     * calling the module again ({@code IndicateCompletion}).
     *
     * @param status the result: CONTINUE or FINISH_REQUEST (PENDING keeps it parked)
     */
    public void resume(RequestNotificationStatus status) {
        if (offloaded && earlyStatus == null && earlyInfo == null) {
            earlyStatus = status;
            return;
        }
        if (!parked) {
            LOG.error("indicateCompletion for {} while it was not waiting for a completion; ignored",
                    context.describe());
            return;
        }
        if (status == RequestNotificationStatus.PENDING) {
            return;
        }
        if (observer != null) {
            observe(pendingSlot, phase == Phase.FINAL_SEND ? RequestNotification.SEND_RESPONSE : STAGES[stage], post,
                    PipelineObserver.Kind.INDICATED_COMPLETION, status, null);
        }
        RequestTraceContext t = context.activeTrace();
        if (t != null) {
            t.moduleCompletion(moduleName(pendingSlot), STAGES[stage], post, status, -1);
        }
        parked = false;
        pendingSlot = -1;
        afterResume(status);
    }

    /**
     * Resumes a parked request by calling the pending module's {@code onAsyncCompletion}
     * ({@code PostCompletion}); its result is the parked notification's result.
     *
     * @param info the completion's bytes and error
     */
    public void complete(CompletionInfo info) {
        if (offloaded && earlyStatus == null && earlyInfo == null) {
            earlyInfo = info;
            return;
        }
        if (!parked) {
            LOG.error("postCompletion for {} while it was not waiting for a completion; ignored",
                    context.describe());
            return;
        }
        int slot = pendingSlot;
        if (phase != Phase.FINAL_SEND && plan.isBlocking(slot, STAGES[stage])) {
            parked = false;
            pendingSlot = -1;
            offload(slot, info);
            return;
        }
        RequestNotificationStatus status;
        Throwable error = null;
        EventLoopWatchdog.Probe p = EventLoopWatchdog.probe();
        p.enter(this, slot, STAGES[stage], post);
        try {
            status = instance(slot).onAsyncCompletion(context, phase == Phase.FINAL_SEND
                    ? RequestNotification.SEND_RESPONSE : STAGES[stage], post, context, info);
            if (status == null) {
                throw new IllegalStateException("onAsyncCompletion returned null");
            }
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            status = fail(slot, STAGES[stage], post, e);
            error = e;
        } finally {
            p.exit();
        }
        if (phase == Phase.END_STAGES && status == RequestNotificationStatus.FINISH_REQUEST) {
            status = RequestNotificationStatus.CONTINUE;
        }
        if (observer != null) {
            observe(slot, phase == Phase.FINAL_SEND ? RequestNotification.SEND_RESPONSE : STAGES[stage], post,
                    PipelineObserver.Kind.ASYNC_COMPLETION, status, error);
        }
        RequestTraceContext t = context.activeTrace();
        if (t != null) {
            t.moduleCompletion(moduleName(slot), STAGES[stage], post, status, info.completionBytes());
        }
        if (status == RequestNotificationStatus.PENDING) {
            return;
        }
        parked = false;
        pendingSlot = -1;
        afterResume(status);
    }

    // ---------------------------------------------------------------------------------------------
    // Blocking notifications (ModuleRegistrationInfo.setBlocking)
    // ---------------------------------------------------------------------------------------------

    /**
     * Runs the module's notification method (or, with {@code completion}, its onAsyncCompletion)
     * on the blocking executor and comes back to the event loop with its result. Nothing else
     * touches the request meanwhile: the cursor stays on the slot, as when parked.
     */
    private void offload(int slot, CompletionInfo completion) {
        offloaded = true;
        RequestNotification n = STAGES[stage];
        boolean isPost = post;
        offloadTrace = context.activeTrace();
        if (offloadTrace != null && completion == null) {
            offloadStarted = offloadTrace.moduleStart(moduleName(slot), n, isPost);
        }
        long completionBytes = completion == null ? Long.MIN_VALUE : completion.completionBytes();
        java.util.concurrent.Executor loop = context.eventLoop();
        Runnable task = () -> {
            RequestNotificationStatus status = null;
            Throwable error = null;
            try {
                HttpModule m = instance(slot);
                status = completion != null ? m.onAsyncCompletion(context, n, isPost, context, completion)
                        : isPost ? callPost(m, n) : call(m, n);
                if (status == null) {
                    throw new IllegalStateException("returned null instead of a RequestNotificationStatus");
                }
            } catch (Throwable t) {
                error = t;
            }
            RequestNotificationStatus result = status;
            Throwable failure = error;
            try {
                loop.execute(() -> afterOffload(slot, n, isPost, result, failure, completionBytes));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.error("the event loop of {} is gone; the request is abandoned", context.describe(), e);
            }
        };
        try {
            context.server().blockingExecutor().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            afterOffload(slot, n, isPost, null, e, completionBytes);
        }
    }

    private void afterOffload(int slot, RequestNotification n, boolean isPost, RequestNotificationStatus result,
            Throwable error, long completionBytes) {
        offloaded = false;
        RequestNotificationStatus status = error != null ? fail(slot, n, isPost, error) : result;
        RequestTraceContext t = offloadTrace;
        offloadTrace = null;
        if (t != null && completionBytes == Long.MIN_VALUE) {
            t.moduleEnd(moduleName(slot), n, isPost, status, offloadStarted);
        } else if (t != null) {
            t.moduleCompletion(moduleName(slot), n, isPost, status, completionBytes);
        }
        if (phase == Phase.END_STAGES && status == RequestNotificationStatus.FINISH_REQUEST) {
            status = RequestNotificationStatus.CONTINUE;
        }
        RequestNotificationStatus early = earlyStatus;
        CompletionInfo earlyCompletion = earlyInfo;
        earlyStatus = null;
        earlyInfo = null;
        if (status == RequestNotificationStatus.PENDING) {
            parked = true;
            pendingSlot = slot;
            if (early != null) {
                resume(early);
            } else if (earlyCompletion != null) {
                complete(earlyCompletion);
            }
            return;
        }
        if (early != null || earlyCompletion != null) {
            LOG.error("module '{}' completed {} without returning PENDING; the completion is ignored",
                    plan.modules()[slot].name(), context.describe());
        }
        afterResume(status);
    }

    private void afterResume(RequestNotificationStatus status) {
        index++;
        if (status == RequestNotificationStatus.FINISH_REQUEST && phase == Phase.STAGES) {
            phase = Phase.FINAL_SEND;
        }
        run();
    }

    // ---------------------------------------------------------------------------------------------
    // Calling modules
    // ---------------------------------------------------------------------------------------------

    private HttpModule instance(int slot) {
        HttpModule m = instances[slot];
        if (m == null) {
            RegisteredModule module = plan.modules()[slot];
            m = module.factory().createModule(context);
            if (m == null) {
                throw new IllegalStateException("the factory of module '" + module.name() + "' returned null");
            }
            instances[slot] = m;
        }
        return m;
    }

    private RequestNotificationStatus invoke(int slot) {
        RequestNotification n = STAGES[stage];
        RequestNotificationStatus status;
        Throwable error = null;
        EventLoopWatchdog.Probe p = probe;
        RequestTraceContext t = context.activeTrace();
        long started = t == null ? 0 : t.moduleStart(moduleName(slot), n, post);
        p.enter(this, slot, n, post);
        try {
            HttpModule m = instance(slot);
            status = post ? callPost(m, n) : call(m, n);
            if (status == null) {
                throw new IllegalStateException("returned null instead of a RequestNotificationStatus");
            }
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            status = fail(slot, n, post, e);
            error = e;
        } finally {
            p.exit();
        }
        if (observer != null) {
            observe(slot, n, post, PipelineObserver.Kind.CALL, status, error);
        }
        if (t != null) {
            t.moduleEnd(moduleName(slot), n, post, status, started);
        }
        if (phase == Phase.END_STAGES && status == RequestNotificationStatus.FINISH_REQUEST) {
            return RequestNotificationStatus.CONTINUE;
        }
        return status;
    }

    private RequestNotificationStatus call(HttpModule m, RequestNotification n) {
        RequestContext c = context;
        return switch (n) {
            case BEGIN_REQUEST -> m.onBeginRequest(c, c);
            case AUTHENTICATE_REQUEST -> m.onAuthenticateRequest(c, c);
            case AUTHORIZE_REQUEST -> m.onAuthorizeRequest(c, c);
            case RESOLVE_REQUEST_CACHE -> m.onResolveRequestCache(c, c);
            case MAP_REQUEST_HANDLER -> m.onMapRequestHandler(c, c);
            case ACQUIRE_REQUEST_STATE -> m.onAcquireRequestState(c, c);
            case PRE_EXECUTE_REQUEST_HANDLER -> m.onPreExecuteRequestHandler(c, c);
            case EXECUTE_REQUEST_HANDLER -> m.onExecuteRequestHandler(c, c);
            case RELEASE_REQUEST_STATE -> m.onReleaseRequestState(c, c);
            case UPDATE_REQUEST_CACHE -> m.onUpdateRequestCache(c, c);
            case LOG_REQUEST -> m.onLogRequest(c, c);
            case END_REQUEST -> m.onEndRequest(c, c);
            default -> throw new IllegalStateException("not a stage: " + n);
        };
    }

    private RequestNotificationStatus callPost(HttpModule m, RequestNotification n) {
        RequestContext c = context;
        return switch (n) {
            case BEGIN_REQUEST -> m.onPostBeginRequest(c, c);
            case AUTHENTICATE_REQUEST -> m.onPostAuthenticateRequest(c, c);
            case AUTHORIZE_REQUEST -> m.onPostAuthorizeRequest(c, c);
            case RESOLVE_REQUEST_CACHE -> m.onPostResolveRequestCache(c, c);
            case MAP_REQUEST_HANDLER -> m.onPostMapRequestHandler(c, c);
            case ACQUIRE_REQUEST_STATE -> m.onPostAcquireRequestState(c, c);
            case PRE_EXECUTE_REQUEST_HANDLER -> m.onPostPreExecuteRequestHandler(c, c);
            case EXECUTE_REQUEST_HANDLER -> m.onPostExecuteRequestHandler(c, c);
            case RELEASE_REQUEST_STATE -> m.onPostReleaseRequestState(c, c);
            case UPDATE_REQUEST_CACHE -> m.onPostUpdateRequestCache(c, c);
            case LOG_REQUEST -> m.onPostLogRequest(c, c);
            case END_REQUEST -> m.onPostEndRequest(c, c);
            default -> throw new IllegalStateException("not a stage: " + n);
        };
    }

    private RequestNotificationStatus fail(int slot, RequestNotification n, boolean isPost, Throwable error) {
        String module = plan.modules()[slot].name();
        LOG.error("module '{}' threw in {}{} for {}", module, isPost ? "POST_" : "", n, context.describe(), error);
        context.recordError(module, n, isPost);
        context.failResponse(error);
        RequestTraceContext t = context.activeTrace();
        if (t != null) {
            t.moduleFailed(module, (isPost ? "POST_" : "") + n, error);
        }
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    // ---------------------------------------------------------------------------------------------
    // Non-deterministic notifications, raised by the context and the response
    // ---------------------------------------------------------------------------------------------

    /**
     * Raises SEND_RESPONSE for one send: every subscriber in reverse priority order; FINISH_REQUEST
     * from one stops the rest for this send; an exception turns the response into a 500 when the
     * headers have not gone yet.
     *
     * @param provider the send's provider
     */
    public void sendResponse(SendResponseProvider provider) {
        int[] send = plan.slots(RequestNotification.SEND_RESPONSE);
        EventLoopWatchdog.Probe p = EventLoopWatchdog.probe();
        RequestTraceContext traced = context.activeTrace();
        if (traced != null) {
            traced.notificationStart(RequestNotification.SEND_RESPONSE, false, send.length);
        }
        for (int slot : send) {
            RequestNotificationStatus status;
            RequestTraceContext t = context.activeTrace();
            long started = t == null ? 0 : t.moduleStart(moduleName(slot), RequestNotification.SEND_RESPONSE, false);
            p.enter(this, slot, RequestNotification.SEND_RESPONSE, false);
            try {
                status = instance(slot).onSendResponse(context, provider);
            } catch (RuntimeException | LinkageError | StackOverflowError e) {
                if (observer != null) {
                    observe(slot, RequestNotification.SEND_RESPONSE, false, PipelineObserver.Kind.CALL,
                            RequestNotificationStatus.FINISH_REQUEST, e);
                }
                String module = plan.modules()[slot].name();
                LOG.error("module '{}' threw in SEND_RESPONSE for {}", module, context.describe(), e);
                context.recordError(module, RequestNotification.SEND_RESPONSE, false);
                if (provider.headersBeingSent()) {
                    context.failResponse(e);
                }
                if (t != null) {
                    t.moduleEnd(moduleName(slot), RequestNotification.SEND_RESPONSE, false,
                            RequestNotificationStatus.FINISH_REQUEST, started);
                }
                return;
            } finally {
                p.exit();
            }
            if (t != null) {
                t.moduleEnd(moduleName(slot), RequestNotification.SEND_RESPONSE, false, status, started);
            }
            if (observer != null) {
                observe(slot, RequestNotification.SEND_RESPONSE, false, PipelineObserver.Kind.CALL, status, null);
            }
            if (status == RequestNotificationStatus.FINISH_REQUEST) {
                return;
            }
            if (status == RequestNotificationStatus.PENDING) {
                LOG.error("module '{}' returned PENDING from SEND_RESPONSE for {}, which Weir does not support "
                        + "yet; treated as CONTINUE", plan.modules()[slot].name(), context.describe());
            }
        }
    }

    /**
     * Raises CUSTOM_NOTIFICATION ({@code NotifyCustomNotification}): each subscriber in priority
     * order; FINISH_REQUEST (handled) or PENDING from one stops the delivery to the rest; an
     * exception gives the request a 500 (or drops the connection when the headers have gone) and
     * stops the delivery. The request's cursor does not move: the module that raised the
     * notification decides what its own notification returns.
     *
     * @param provider the notification
     * @return true when a receiver returned PENDING (IIS's {@code pfCompletionExpected})
     */
    public boolean customNotification(CustomNotificationProvider provider) {
        if (phase == Phase.DONE) {
            throw new IllegalStateException("the request has ended");
        }
        for (int slot : plan.slots(RequestNotification.CUSTOM_NOTIFICATION)) {
            RequestNotificationStatus status;
            Throwable error = null;
            try {
                status = instance(slot).onCustomRequestNotification(context, provider);
                if (status == null) {
                    throw new IllegalStateException("returned null instead of a RequestNotificationStatus");
                }
            } catch (RuntimeException | LinkageError | StackOverflowError e) {
                String module = plan.modules()[slot].name();
                LOG.error("module '{}' threw in CUSTOM_NOTIFICATION '{}' for {}", module, provider.notificationType(),
                        context.describe(), e);
                context.recordError(module, RequestNotification.CUSTOM_NOTIFICATION, false);
                context.failResponse(e);
                status = RequestNotificationStatus.FINISH_REQUEST;
                error = e;
            }
            if (observer != null) {
                observe(slot, RequestNotification.CUSTOM_NOTIFICATION, false, PipelineObserver.Kind.CALL, status, error);
            }
            if (status == RequestNotificationStatus.PENDING) {
                return true;
            }
            if (status == RequestNotificationStatus.FINISH_REQUEST) {
                return false;
            }
        }
        return false;
    }

    /**
     * Raises READ_ENTITY after a read of the request entity.
     *
     * @param provider the chunk just read
     */
    public void readEntity(ReadEntityProvider provider) {
        for (int slot : plan.slots(RequestNotification.READ_ENTITY)) {
            runSimple(slot, RequestNotification.READ_ENTITY, m -> m.onReadEntity(context, provider));
        }
    }

    /**
     * Raises MAP_PATH for a URL-to-path mapping.
     *
     * @param provider the URL and path, overridable
     */
    public void mapPath(MapPathProvider provider) {
        for (int slot : plan.slots(RequestNotification.MAP_PATH)) {
            runSimple(slot, RequestNotification.MAP_PATH, m -> m.onMapPath(context, provider));
        }
    }

    /** @return true when some module subscribed to SEND_RESPONSE (the response skips the provider otherwise) */
    public boolean hasSendResponseModules() {
        return plan.slots(RequestNotification.SEND_RESPONSE).length > 0;
    }

    /** @return true when some module subscribed to MAP_PATH (the context skips the provider otherwise) */
    public boolean hasMapPathModules() {
        return plan.slots(RequestNotification.MAP_PATH).length > 0;
    }

    private void runSimple(int slot, RequestNotification n,
            java.util.function.Function<HttpModule, RequestNotificationStatus> call) {
        Throwable error = null;
        EventLoopWatchdog.Probe p = EventLoopWatchdog.probe();
        p.enter(this, slot, n, false);
        try {
            call.apply(instance(slot));
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            LOG.error("module '{}' threw in {} for {}", plan.modules()[slot].name(), n, context.describe(), e);
            error = e;
        } finally {
            p.exit();
        }
        if (observer != null) {
            observe(slot, n, false, PipelineObserver.Kind.CALL, RequestNotificationStatus.CONTINUE, error);
        }
    }

    private void observe(int slot, RequestNotification n, boolean isPost, PipelineObserver.Kind kind,
            RequestNotificationStatus status, Throwable error) {
        try {
            observer.notified(new PipelineObserver.Event(context.exchange(), context, plan.modules()[slot].name(), n,
                    isPost, kind, status, error));
        } catch (RuntimeException e) {
            LOG.error("the pipeline observer threw; ignored", e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // For the event-loop watchdog (called on its thread)
    // ---------------------------------------------------------------------------------------------

    /**
     * Unlinks a request the engine gives up on (it failed outside the pipeline's own error handling
     * and its connection was dropped); called on its event loop.
     */
    public void abandon() {
        ExecutingRequests.ended(this);
    }

    /** A snapshot of this request, read on its own thread. */
    ExecutingRequests.Snapshot snapshot(long now, String thread) {
        String state = parked ? "PENDING" : offloaded ? "BLOCKING" : "RUNNING";
        String module = currentModuleName();
        return new ExecutingRequests.Snapshot(context.request().method(), context.request().rawUrl(),
                context.site().siteName(), position(), module == null ? "" : module, state,
                Math.max(0, (now - startedNanos) / 1_000_000), thread);
    }

    /** A snapshot of this request while a module call holds its thread (read from another thread). */
    ExecutingRequests.Snapshot heldSnapshot(int slot, RequestNotification n, boolean isPost, long now, String thread) {
        return new ExecutingRequests.Snapshot(context.request().method(), context.request().rawUrl(),
                context.site().siteName(), (isPost ? "POST_" : "") + n, moduleName(slot), "HELD",
                Math.max(0, (now - startedNanos) / 1_000_000), thread);
    }

    /** @return the engine's overrun counter */
    java.util.concurrent.atomic.AtomicLong overrunCounter() {
        return overruns;
    }

    /**
     * Describes a call for the watchdog's log line; reads only fields that are safe to read from
     * another thread (the plan is immutable; the URL is a String reference).
     */
    String describeCall(int slot, RequestNotification n, boolean isPost) {
        return "module '" + plan.modules()[slot].name() + "' in " + (isPost ? "POST_" : "") + n + " for "
                + context.describe();
    }

}
