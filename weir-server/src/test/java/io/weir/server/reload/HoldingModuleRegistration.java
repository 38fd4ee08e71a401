package io.weir.server.reload;

import io.weir.api.HttpModule;
import io.weir.api.HttpModuleFactory;
import io.weir.api.HttpServer;
import io.weir.api.ModuleAllocator;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds requests for {@code /hold} PENDING in BEGIN_REQUEST until the test releases them with
 * {@link #release}; the answer then names the module ({@code held by HoldingModule}).
 */
public final class HoldingModuleRegistration implements ModuleRegistration {

    /** The requests held, in arrival order. */
    public static final BlockingQueue<HttpContext> HELD = new LinkedBlockingQueue<>();
    /** Set when the factory is terminated. */
    public static final AtomicBoolean TERMINATED = new AtomicBoolean();
    /** Whether a request was still held when the factory was terminated. */
    public static final AtomicBoolean TERMINATED_WHILE_HOLDING = new AtomicBoolean();

    private static final AtomicBoolean HOLDING = new AtomicBoolean();

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        HttpModule module = new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                if (!context.request().urlPath().equals("/hold")) {
                    return RequestNotificationStatus.CONTINUE;
                }
                HOLDING.set(true);
                HELD.add(context);
                return RequestNotificationStatus.PENDING;
            }
        };
        info.setRequestNotifications(
                new HttpModuleFactory() {
                    @Override
                    public HttpModule createModule(ModuleAllocator allocator) {
                        return module;
                    }

                    @Override
                    public void terminate() {
                        TERMINATED_WHILE_HOLDING.set(HOLDING.get());
                        TERMINATED.set(true);
                    }
                },
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                Set.of());
    }

    /**
     * Answers a held request from any thread and lets it finish.
     *
     * @param context a request from {@link #HELD}
     */
    public static void release(HttpContext context) {
        context.response().setStatus(HttpStatus.OK);
        context.response().setHeader("Content-Type", "text/plain", true);
        context.response().writeEntityChunks(DataChunk.ofUtf8("held by HoldingModule\n"));
        HOLDING.set(false);
        context.indicateCompletion(RequestNotificationStatus.FINISH_REQUEST);
    }

    /** Resets the static state between tests. */
    public static void reset() {
        HELD.clear();
        TERMINATED.set(false);
        TERMINATED_WHILE_HOLDING.set(false);
        HOLDING.set(false);
    }
}
