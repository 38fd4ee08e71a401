package io.weir.bench;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;

/**
 * A module that does nothing: it registers for BEGIN_REQUEST and returns CONTINUE, with a new
 * instance per request like any request module. {@link NotificationBenchmark} adds many of them to
 * measure what one notification costs.
 */
public final class ContinueModuleRegistration implements ModuleRegistration {

    /** Creates the registration; the engine does this for {@code type=}. */
    public ContinueModuleRegistration() {}

    /**
     * Registers for BEGIN_REQUEST.
     *
     * @param serverVersion unused
     * @param info          where to register
     * @param server        unused
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new Continue(),
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
    }

    private static final class Continue implements HttpModule {
        @Override
        public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
            return RequestNotificationStatus.CONTINUE;
        }
    }
}
