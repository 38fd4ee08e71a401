package io.weir.core.internal.context;

import io.weir.api.GlobalNotificationStatus;
import io.weir.api.ModuleId;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.api.http.ScriptMapInfo;
import io.weir.api.provider.GlobalTraceEventProvider;
import io.weir.api.trace.HttpTraceContext;
import io.weir.api.trace.TraceConfiguration;
import io.weir.api.trace.TraceEvent;
import io.weir.api.trace.TraceVerbosity;
import io.weir.core.internal.module.RegisteredModule;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trace context of one request (and its child requests); mirrors {@code IHttpTraceContext}.
 * Created only when some global module registered GL_TRACE_EVENT; it raises nothing until a module
 * subscribes with {@link #setTraceConfiguration} (the failed-request tracing module does so in
 * GL_PRE_BEGIN_REQUEST for the requests a rule could match). Until then the pipeline's only cost is
 * one null check per module call.
 *
 * <p>Events are delivered synchronously, on the thread that raises them, to the GL_TRACE_EVENT
 * global modules in priority order (HANDLED stops the rest), and only when at least one
 * subscription matches. The engine's events and their items follow IIS's FREB names:
 * GENERAL_REQUEST_START (SiteId, SiteName, RequestURL, RequestVerb, RemoteAddress),
 * NOTIFICATION_START (Notification, fIsPostNotification, ModuleCount; Weir's own, for every
 * notification the request enters, post-notifications only when some module registered them),
 * HANDLER_CHANGED (NewHandlerName, NewHandlerModules), NOTIFY_MODULE_START (ModuleName,
 * Notification, fIsPostNotification), NOTIFY_MODULE_END (the same plus NotificationStatus,
 * HttpStatus, ElapsedMs), NOTIFY_MODULE_COMPLETION (ModuleName, Notification, NotificationStatus,
 * CompletionBytes), MODULE_SET_RESPONSE_ERROR_STATUS (ModuleName, Notification, HttpStatus,
 * HttpSubStatus, HttpReason, ErrorDescription), MODULE_FAILED (Weir's: ModuleName, Notification,
 * Exception; verbosity ERROR) and GENERAL_REQUEST_END (HttpStatus, HttpSubStatus,
 * BytesSent, TimeTakenMs). Thread-safe for subscriptions; events of one request are raised one at
 * a time (the request is never run by two threads at once).
 */
public final class RequestTraceContext implements HttpTraceContext {

    private static final Logger LOG = LoggerFactory.getLogger(RequestTraceContext.class);

    private record Subscription(ModuleId module, List<TraceConfiguration> configurations) {
        boolean matches(TraceEvent event) {
            for (TraceConfiguration c : configurations) {
                if (c.matches(event)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final RequestContext context;
    private final RegisteredModule[] consumers;
    private final long startNanos = System.nanoTime();
    private volatile Subscription[] subscriptions = new Subscription[0];

    /**
     * @return a trace context for a top-level request, or null when no global module consumes
     *         trace events (the request then gets the disabled context and nothing is allocated)
     */
    static RequestTraceContext create(RequestContext context, RegisteredModule[] consumers) {
        return consumers.length == 0 ? null : new RequestTraceContext(context, consumers);
    }

    private RequestTraceContext(RequestContext context, RegisteredModule[] consumers) {
        this.context = context;
        this.consumers = consumers;
    }

    @Override
    public boolean isEnabled() {
        return subscriptions.length > 0;
    }

    @Override
    public synchronized void setTraceConfiguration(ModuleId module, List<TraceConfiguration> configurations) {
        Objects.requireNonNull(module, "module");
        List<TraceConfiguration> copy = List.copyOf(configurations);
        ArrayList<Subscription> next = new ArrayList<>();
        for (Subscription s : subscriptions) {
            if (!s.module().equals(module)) {
                next.add(s);
            }
        }
        if (!copy.isEmpty()) {
            next.add(new Subscription(module, copy));
        }
        subscriptions = next.toArray(new Subscription[0]);
    }

    @Override
    public void raiseTraceEvent(TraceEvent event) {
        Subscription[] subs = subscriptions;
        boolean wanted = false;
        for (Subscription s : subs) {
            if (s.matches(event)) {
                wanted = true;
                break;
            }
        }
        if (!wanted) {
            return;
        }
        GlobalTraceEventProvider provider = new GlobalTraceEventProvider() {
            @Override
            public TraceEvent traceEvent() {
                return event;
            }

            @Override
            public boolean checkSubscription(ModuleId moduleId) {
                for (Subscription s : subs) {
                    if (s.module().equals(moduleId)) {
                        return s.matches(event);
                    }
                }
                return false;
            }

            @Override
            public Optional<HttpContext> currentHttpContext() {
                return Optional.of(context);
            }
        };
        for (RegisteredModule m : consumers) {
            try {
                if (m.globalModule().onGlobalTraceEvent(provider) == GlobalNotificationStatus.HANDLED) {
                    return;
                }
            } catch (RuntimeException | LinkageError e) {
                RequestLog.error(
                        LOG,
                        context,
                        "global module '{}' threw in TRACE_EVENT for {}",
                        m.name(),
                        context.describe(),
                        e);
            }
        }
    }

    @Override
    public void quickTrace(String message, String detail, TraceVerbosity verbosity) {
        if (isEnabled()) {
            raise(
                    TraceEvent.AREA_MODULE,
                    "MODULE_QUICK_TRACE",
                    verbosity,
                    "Data1",
                    message,
                    "Data2",
                    detail == null ? "" : detail);
        }
    }

    private void raise(String area, String name, TraceVerbosity verbosity, String... items) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < items.length; i += 2) {
            map.put(items[i], items[i + 1]);
        }
        raiseTraceEvent(new TraceEvent(
                TraceEvent.WWW_SERVER, area, name, verbosity, Instant.now(), Collections.unmodifiableMap(map)));
    }

    private static String label(RequestNotification n, boolean post) {
        return (post ? "POST_" : "") + n.name();
    }

    private static String status(RequestNotificationStatus s) {
        return switch (s) {
            case CONTINUE -> "NOTIFICATION_CONTINUE";
            case PENDING -> "NOTIFICATION_PENDING";
            case FINISH_REQUEST -> "NOTIFICATION_FINISH_REQUEST";
        };
    }

    private String httpStatus() {
        HttpStatus s = context.response().status();
        return s.code() + "." + s.subStatus();
    }

    // ---------------------------------------------------------------------------------------------
    // The engine's events (called by the pipeline)
    // ---------------------------------------------------------------------------------------------

    /** GENERAL_REQUEST_START. */
    public void requestStart() {
        InetSocketAddress remote = context.request().remoteAddress();
        raise(
                TraceEvent.AREA_GENERAL,
                "GENERAL_REQUEST_START",
                TraceVerbosity.INFO,
                "SiteId",
                Long.toString(context.site().siteId()),
                "SiteName",
                context.site().siteName(),
                "RequestURL",
                context.request().rawUrl(),
                "RequestVerb",
                context.request().method(),
                "RemoteAddress",
                remote == null || remote.getAddress() == null
                        ? ""
                        : remote.getAddress().getHostAddress());
    }

    /**
     * HANDLER_CHANGED, after the core chose the handler mapping (or found none).
     *
     * @param mapping the mapping, or null
     */
    public void handlerChanged(ScriptMapInfo mapping) {
        raise(
                TraceEvent.AREA_GENERAL,
                "HANDLER_CHANGED",
                TraceVerbosity.INFO,
                "NewHandlerName",
                mapping == null ? "" : mapping.name(),
                "NewHandlerModules",
                mapping == null ? "" : String.join(",", mapping.modules()));
    }

    /**
     * NOTIFICATION_START (Weir's event; IIS's FREB shows a notification only through the modules it
     * reaches): the request enters a notification, with how many modules get it, so that a trace
     * lists every notification the request went through, including those no module handles.
     *
     * @param n       the notification
     * @param post    whether it is the post-notification
     * @param modules how many modules get it
     */
    public void notificationStart(RequestNotification n, boolean post, int modules) {
        raise(
                TraceEvent.AREA_REQUEST_NOTIFICATIONS,
                "NOTIFICATION_START",
                TraceVerbosity.VERBOSE,
                "Notification",
                label(n, false),
                "fIsPostNotification",
                Boolean.toString(post),
                "ModuleCount",
                Integer.toString(modules));
    }

    /**
     * NOTIFY_MODULE_START.
     *
     * @param module the module's name
     * @param n      the notification
     * @param post   whether it is the post-notification
     * @return the start time, for {@link #moduleEnd}
     */
    public long moduleStart(String module, RequestNotification n, boolean post) {
        raise(
                TraceEvent.AREA_REQUEST_NOTIFICATIONS,
                "NOTIFY_MODULE_START",
                TraceVerbosity.VERBOSE,
                "ModuleName",
                module,
                "Notification",
                label(n, false),
                "fIsPostNotification",
                Boolean.toString(post));
        return System.nanoTime();
    }

    /**
     * NOTIFY_MODULE_END.
     *
     * @param module  the module's name
     * @param n       the notification
     * @param post    whether it is the post-notification
     * @param result  what the module returned (FINISH_REQUEST for a module that threw)
     * @param started the value {@link #moduleStart} returned
     */
    public void moduleEnd(
            String module, RequestNotification n, boolean post, RequestNotificationStatus result, long started) {
        raise(
                TraceEvent.AREA_REQUEST_NOTIFICATIONS,
                "NOTIFY_MODULE_END",
                TraceVerbosity.VERBOSE,
                "ModuleName",
                module,
                "Notification",
                label(n, false),
                "fIsPostNotification",
                Boolean.toString(post),
                "NotificationStatus",
                status(result),
                "HttpStatus",
                httpStatus(),
                "ElapsedMs",
                millis(System.nanoTime() - started));
    }

    /**
     * NOTIFY_MODULE_COMPLETION: a parked notification resumed.
     *
     * @param module the module's name
     * @param n      the notification
     * @param post   whether it is the post-notification
     * @param result the status it resumed with
     * @param bytes  the completion's bytes ({@code postCompletion}), or -1 for {@code indicateCompletion}
     */
    public void moduleCompletion(
            String module, RequestNotification n, boolean post, RequestNotificationStatus result, long bytes) {
        raise(
                TraceEvent.AREA_REQUEST_NOTIFICATIONS,
                "NOTIFY_MODULE_COMPLETION",
                TraceVerbosity.VERBOSE,
                "ModuleName",
                module,
                "Notification",
                label(n, post),
                "NotificationStatus",
                status(result),
                "CompletionBytes",
                bytes < 0 ? "" : Long.toString(bytes));
    }

    /**
     * MODULE_SET_RESPONSE_ERROR_STATUS (verbosity WARNING, as IIS).
     *
     * @param module       the module, or "IIS Web Core"
     * @param notification the notification label, e.g. "MAP_REQUEST_HANDLER"
     */
    public void errorStatus(String module, String notification) {
        HttpStatus s = context.response().status();
        raise(
                TraceEvent.AREA_MODULE,
                "MODULE_SET_RESPONSE_ERROR_STATUS",
                TraceVerbosity.WARNING,
                "ModuleName",
                module,
                "Notification",
                notification,
                "HttpStatus",
                Integer.toString(s.code()),
                "HttpReason",
                s.reason(),
                "HttpSubStatus",
                Integer.toString(s.subStatus()),
                "ErrorDescription",
                context.response().statusError().map(Throwable::toString).orElse(""));
    }

    /**
     * MODULE_FAILED (Weir's event, verbosity ERROR): a module's notification threw, which gives the
     * request a 500 (or drops the connection when the headers are out).
     *
     * @param module       the module
     * @param notification the notification label
     * @param error        what it threw
     */
    public void moduleFailed(String module, String notification, Throwable error) {
        raise(
                TraceEvent.AREA_MODULE,
                "MODULE_FAILED",
                TraceVerbosity.ERROR,
                "ModuleName",
                module,
                "Notification",
                notification,
                "Exception",
                String.valueOf(error));
    }

    /** GENERAL_REQUEST_END, after END_REQUEST's post-notification, before the modules are disposed. */
    public void requestEnd() {
        HttpStatus s = context.response().status();
        raise(
                TraceEvent.AREA_GENERAL,
                "GENERAL_REQUEST_END",
                TraceVerbosity.INFO,
                "HttpStatus",
                Integer.toString(s.code()),
                "HttpSubStatus",
                Integer.toString(s.subStatus()),
                "BytesSent",
                Long.toString(context.response().bytesSent()),
                "TimeTakenMs",
                millis(System.nanoTime() - startNanos));
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1_000_000.0);
    }
}
