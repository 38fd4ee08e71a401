package io.weir.it.reload;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;
import java.util.Set;

/** The module {@link HotInstallUnderLoadIT} installs and removes: header {@code X-Hot: installed} in BEGIN_REQUEST. */
public final class HotHeaderModuleRegistration implements ModuleRegistration {

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        HttpModule module = new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                context.response().setHeader("X-Hot", "installed", true);
                return RequestNotificationStatus.CONTINUE;
            }
        };
        info.setRequestNotifications(allocator -> module, EnumSet.of(RequestNotification.BEGIN_REQUEST), Set.of());
    }
}
