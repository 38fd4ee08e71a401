package io.weir.server.reload;

import io.weir.api.HttpModule;
import io.weir.api.HttpModuleFactory;
import io.weir.api.HttpServer;
import io.weir.api.ModuleAllocator;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** The module the reload tests install and remove: header {@code X-Hot: installed} in BEGIN_REQUEST. */
public final class HeaderModuleRegistration implements ModuleRegistration {

    /** How many times a registration ran. */
    public static final AtomicInteger REGISTERED = new AtomicInteger();
    /** How many factories were terminated. */
    public static final AtomicInteger TERMINATED = new AtomicInteger();

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        REGISTERED.incrementAndGet();
        HttpModule module = new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                context.response().setHeader("X-Hot", "installed", true);
                return RequestNotificationStatus.CONTINUE;
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
                        TERMINATED.incrementAndGet();
                    }
                },
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                Set.of());
    }
}
