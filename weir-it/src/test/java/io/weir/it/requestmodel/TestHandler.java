package io.weir.it.requestmodel;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;

/**
 * The handler module of the request-model tests (EXECUTE_REQUEST_HANDLER); what it does depends on
 * the request path's first segment.
 */
final class TestHandler implements HttpModule {

    private Ping ping;

    private static RequestNotificationStatus text(HttpContext c, String body) {
        c.response().setHeader("Content-Type", "text/plain", true);
        c.response().writeEntityChunks(DataChunk.ofUtf8(body));
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
        String path = c.request().urlPath();
        if (path.startsWith("/custom")) {
            c.notifyCustomNotification(new Ping("some.other.Type"));
            ping = new Ping(Ping.TYPE);
            if (c.notifyCustomNotification(ping)) {
                return RequestNotificationStatus.PENDING;
            }
            return text(c, "seen=" + ping.seen);
        }
        if (path.startsWith("/global-custom")) {
            Ping global = new Ping(Ping.TYPE);
            return text(c, c.server().notifyCustomNotification(global) + " seen=" + global.seen);
        }
        if (path.startsWith("/unhealthy")) {
            c.server().reportUnhealthy("the test says so");
            return text(c, "reported");
        }
        if (path.startsWith("/blocking")) {
            c.server().blockingExecutor().execute(() -> c.indicateCompletion(RequestNotificationStatus.CONTINUE));
            blocking = true;
            return RequestNotificationStatus.PENDING;
        }
        if (blocking) {
            return RequestNotificationStatus.CONTINUE;
        }
        SERVED.add(path + "?" + c.request().queryString() + " from " + c.request().header("User-Agent").orElse(""));
        return text(c, "handler " + path);
    }

    /** Paths the default branch served, with the query and User-Agent. */
    static final java.util.List<String> SERVED = new java.util.concurrent.CopyOnWriteArrayList<>();
    private boolean blocking;

    @Override
    public RequestNotificationStatus onAsyncCompletion(HttpContext c, RequestNotification notification,
            boolean postNotification, HttpEventProvider provider, CompletionInfo info) {
        if (ping != null) {
            return text(c, "seen=" + ping.seen + " resumed in " + notification + " with " + info.completionBytes());
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /** Registers the handler for EXECUTE_REQUEST_HANDLER. */
    public static final class Registration implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            info.setRequestNotifications(allocator -> new TestHandler(),
                    EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER), EnumSet.noneOf(RequestNotification.class));
        }
    }
}
