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
import io.weir.api.provider.AuthenticationProvider;
import io.weir.api.provider.HttpEventProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test modules for the request model: one declared blocking, one that hogs the event loop, one
 * that records. Each records "Name:EVENT@thread-kind" per request (keyed by the X-Test-Id header)
 * and acts on request headers naming it:
 * <ul>
 *   <li>{@code X-Sleep: Name:millis} — Thread.sleep in BEGIN_REQUEST (on whatever thread it runs);</li>
 *   <li>{@code X-Spin: Name:millis} — compute without pause for that long in BEGIN_REQUEST;</li>
 *   <li>{@code X-Finish: Name} — write "finished by Name" and return FINISH_REQUEST in BEGIN_REQUEST;</li>
 *   <li>{@code X-Throw: Name} — throw in BEGIN_REQUEST;</li>
 *   <li>{@code X-Early: Name} — call indicateCompletion(CONTINUE) first, then return PENDING;</li>
 *   <li>{@code X-Post: Name} — call postCompletion(7), then return PENDING (onAsyncCompletion continues);</li>
 *   <li>{@code X-Pending: Name:millis} — return PENDING; another thread calls indicateCompletion(CONTINUE)
 *       after that many milliseconds.</li>
 * </ul>
 */
public final class BlockingModules {

    private static final Map<String, List<String>> EVENTS = new ConcurrentHashMap<>();
    private static final Set<RequestNotification> NOTIFICATIONS = EnumSet.of(
            RequestNotification.BEGIN_REQUEST,
            RequestNotification.AUTHENTICATE_REQUEST,
            RequestNotification.EXECUTE_REQUEST_HANDLER,
            RequestNotification.END_REQUEST);

    private BlockingModules() {}

    /** @param id an X-Test-Id @return a copy of the events recorded for it */
    static List<String> events(String id) {
        List<String> list = EVENTS.getOrDefault(id, List.of());
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    static void record(HttpContext c, String event) {
        String id = c.request().header("X-Test-Id").orElse("none");
        String kind = Thread.currentThread().isVirtual() ? "virtual" : "platform";
        EVENTS.computeIfAbsent(id, k -> Collections.synchronizedList(new ArrayList<>()))
                .add(event + "@" + kind);
    }

    /** The module; behaviour driven by the headers listed on {@link BlockingModules}. */
    static final class Module implements HttpModule {
        private final String name;
        private HttpContext context;

        Module(String name) {
            this.name = name;
        }

        private boolean asked(HttpContext c, String header) {
            return c.request().header(header).filter(name::equals).isPresent();
        }

        @Override
        public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
            context = c;
            record(c, name + ":BEGIN_REQUEST");
            String sleep = c.request().header("X-Sleep").orElse("");
            if (sleep.startsWith(name + ":")) {
                try {
                    Thread.sleep(Long.parseLong(sleep.substring(name.length() + 1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String spin = c.request().header("X-Spin").orElse("");
            if (spin.startsWith(name + ":")) {
                long until = System.nanoTime() + 1_000_000L * Long.parseLong(spin.substring(name.length() + 1));
                long x = 0;
                while (System.nanoTime() < until) {
                    x += Long.numberOfTrailingZeros(x + System.nanoTime());
                }
                c.response().setHeader("X-Spun", Long.toString(x), true);
            }
            if (asked(c, "X-Throw")) {
                throw new IllegalStateException("test module " + name + " throws as asked");
            }
            if (asked(c, "X-Finish")) {
                c.response().setHeader("Content-Type", "text/plain", true);
                c.response().writeEntityChunks(DataChunk.ofUtf8("finished by " + name));
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            if (asked(c, "X-Early")) {
                c.indicateCompletion(RequestNotificationStatus.CONTINUE);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return RequestNotificationStatus.PENDING;
            }
            String pending = c.request().header("X-Pending").orElse("");
            if (pending.startsWith(name + ":")) {
                long millis = Long.parseLong(pending.substring(name.length() + 1));
                Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(millis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    c.indicateCompletion(RequestNotificationStatus.CONTINUE);
                });
                return RequestNotificationStatus.PENDING;
            }
            if (asked(c, "X-Post")) {
                c.postCompletion(7);
                return RequestNotificationStatus.PENDING;
            }
            return RequestNotificationStatus.CONTINUE;
        }

        @Override
        public RequestNotificationStatus onAuthenticateRequest(HttpContext c, AuthenticationProvider p) {
            record(c, name + ":AUTHENTICATE_REQUEST");
            return RequestNotificationStatus.CONTINUE;
        }

        @Override
        public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
            record(c, name + ":EXECUTE_REQUEST_HANDLER");
            c.response().setHeader("Content-Type", "text/plain", true);
            c.response().writeEntityChunks(DataChunk.ofUtf8("handled by " + name));
            return RequestNotificationStatus.CONTINUE;
        }

        @Override
        public RequestNotificationStatus onEndRequest(HttpContext c, HttpEventProvider p) {
            record(c, name + ":END_REQUEST");
            return RequestNotificationStatus.CONTINUE;
        }

        @Override
        public RequestNotificationStatus onAsyncCompletion(
                HttpContext c,
                RequestNotification notification,
                boolean isPost,
                HttpEventProvider p,
                CompletionInfo info) {
            record(c, name + ":COMPLETION(" + notification + "," + info.completionBytes() + ")");
            return RequestNotificationStatus.CONTINUE;
        }

        @Override
        public void dispose() {
            if (context != null) {
                record(context, name + ":DISPOSE");
            }
        }
    }

    private static void register(ModuleRegistrationInfo info, boolean blocking) {
        String name = info.name();
        info.setRequestNotifications(a -> new Module(name), NOTIFICATIONS, Set.of());
        if (blocking) {
            info.setBlocking(EnumSet.of(RequestNotification.BEGIN_REQUEST, RequestNotification.END_REQUEST));
        }
    }

    /** Declares BEGIN_REQUEST and END_REQUEST blocking. */
    public static final class Blocking implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            BlockingModules.register(info, true);
        }
    }

    /** Declares nothing blocking: what it does runs on the event loop. */
    public static final class NonBlocking implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            BlockingModules.register(info, false);
        }
    }
}
