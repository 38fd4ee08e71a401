package io.weir.it.requestmodel;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.MapPathProvider;
import java.nio.file.Path;
import java.util.EnumSet;

/** MAP_PATH: maps {@code /alias/*} to the folder in {@link #TARGET}. */
final class AliasMapper implements HttpModule {

    /** The folder /alias/ maps to. */
    static volatile Path target;

    @Override
    public RequestNotificationStatus onMapPath(HttpContext context, MapPathProvider provider) {
        if (provider.url().startsWith("/alias/") && target != null) {
            provider.setPhysicalPath(target.resolve(provider.url().substring("/alias/".length())));
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /** Registers MAP_PATH. */
    public static final class Registration implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            info.setRequestNotifications(
                    allocator -> new AliasMapper(),
                    EnumSet.of(RequestNotification.MAP_PATH),
                    EnumSet.noneOf(RequestNotification.class));
        }
    }
}
