package io.weir.it.requestmodel;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleAllocator;
import io.weir.api.ModuleId;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.ExecuteFlag;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import io.weir.core.internal.context.RequestMemory;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

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
        if (path.startsWith("/parent")) {
            String query = c.request().queryString();
            String child = param(query, "child");
            Set<ExecuteFlag> flags = EnumSet.noneOf(ExecuteFlag.class);
            for (String f : param(query, "flags").split(",")) {
                if (!f.isEmpty()) {
                    flags.add(ExecuteFlag.valueOf(f));
                }
            }
            c.response().writeEntityChunks(DataChunk.ofUtf8("<"));
            boolean pending = path.startsWith("/parent-own-user")
                    ? c.executeRequest(child, flags, null)
                    : c.executeRequest(child, flags);
            if (pending) {
                mode = "parent";
                return RequestNotificationStatus.PENDING;
            }
            c.response().writeEntityChunks(DataChunk.ofUtf8(">"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        if (path.startsWith("/flush2")) {
            c.response().setHeader("Content-Type", "text/plain", true);
            c.response().writeEntityChunks(DataChunk.ofUtf8("a"));
            c.response().flush(true);
            c.response().writeEntityChunks(DataChunk.ofUtf8("bb"));
            c.response().flush(true);
            c.response().writeEntityChunks(DataChunk.ofUtf8("ccc"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        if (path.startsWith("/flush-final")) {
            c.response().setHeader("Content-Type", "text/plain", true);
            c.response().writeEntityChunks(DataChunk.ofUtf8("abc"));
            c.response().flush(false);
            return RequestNotificationStatus.CONTINUE;
        }
        if (path.startsWith("/mappath")) {
            return text(c, String.valueOf(c.mapPath(param(c.request().queryString(), "url"))));
        }
        if (path.startsWith("/allocate")) {
            ByteBuffer b = allocator.allocateMemory(1000);
            ByteBuffer big = allocator.allocateMemory(100_000);
            return text(
                    c,
                    "capacity=" + b.capacity() + "," + big.capacity() + " outstanding="
                            + RequestMemory.outstandingBytes());
        }
        if (path.startsWith("/contexts")) {
            StringBuilder out = new StringBuilder();
            store(c.moduleContextContainer(), "request", out);
            store(c.connection().moduleContextContainer(), "connection", out);
            store(c.site().moduleContextContainer(), "site", out);
            store(c.application().moduleContextContainer(), "application", out);
            store(c.server().moduleContextContainer(), "server", out);
            try {
                c.moduleContextContainer().setModuleContext(() -> {}, id);
                out.append("second set accepted");
            } catch (IllegalStateException e) {
                out.append("second set refused");
            }
            return text(c, out.toString());
        }
        if (path.startsWith("/teapot")) {
            c.response().setStatus(new HttpStatus(418, 0, "I'm a teapot"));
            c.response().setHeader("X-Child", "yes", true);
            c.response().writeEntityChunks(DataChunk.ofUtf8("tea"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        if (path.startsWith("/slow")) {
            mode = "slow";
            c.server().blockingExecutor().execute(() -> c.postCompletion(3));
            return RequestNotificationStatus.PENDING;
        }
        if (path.startsWith("/whoami")) {
            c.response()
                    .writeEntityChunks(DataChunk.ofUtf8(
                            "user=" + c.user().map(u -> u.userName()).orElse("none") + " flags=" + c.executeFlags()));
            return RequestNotificationStatus.FINISH_REQUEST;
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
        SERVED.add(path + "?" + c.request().queryString() + " from "
                + c.request().header("User-Agent").orElse(""));
        return text(c, "handler " + path);
    }

    /** Paths the default branch served, with the query and User-Agent. */
    static final List<String> SERVED = new CopyOnWriteArrayList<>();

    private boolean blocking;

    private String mode = "";
    private final ModuleAllocator allocator;
    static volatile ModuleId id;
    /** Levels whose stored context was cleaned up, in order. */
    static final List<String> CLEANED = new CopyOnWriteArrayList<>();

    TestHandler(ModuleAllocator allocator) {
        this.allocator = allocator;
    }

    private static void store(HttpModuleContextContainer container, String level, StringBuilder out) {
        if (container.moduleContext(id).isPresent()) {
            out.append(level).append(" kept;");
            return;
        }
        container.setModuleContext(() -> CLEANED.add(level), id);
        out.append(level).append(" stored;");
    }

    private static String param(String query, String name) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext c,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo info) {
        if (mode.equals("parent")) {
            c.response().writeEntityChunks(DataChunk.ofUtf8(">(resumed)"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        if (mode.equals("slow")) {
            c.response().writeEntityChunks(DataChunk.ofUtf8("slow"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        if (ping != null) {
            return text(c, "seen=" + ping.seen + " resumed in " + notification + " with " + info.completionBytes());
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /** Registers the handler for EXECUTE_REQUEST_HANDLER. */
    public static final class Registration implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            id = info.id();
            info.setRequestNotifications(
                    TestHandler::new,
                    EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                    EnumSet.noneOf(RequestNotification.class));
        }
    }
}
