package io.weir.modules.requestfiltering;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of RequestFilteringModule, named by {@code type=} in the default
 * applicationHost.config; mirrors the {@code RegisterModule} export of IIS's {@code modrqflt.dll}.
 *
 * <p>Called once at start-up on the main thread. Registers for
 * {@link RequestNotification#BEGIN_REQUEST} only, at the default priority (IIS rejects filtered
 * requests "very early"); the shared, stateless {@link RequestFilteringModule} instance serves every
 * request.
 */
public final class RequestFilteringModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public RequestFilteringModuleRegistration() {}

    /**
     * Registers the module's factory for BEGIN_REQUEST.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> RequestFilteringModule.INSTANCE,
                EnumSet.of(RequestNotification.BEGIN_REQUEST, RequestNotification.READ_ENTITY),
                EnumSet.noneOf(RequestNotification.class));
    }
}
