package io.weir.modules.staticfile;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of StaticFileModule, named by {@code type=} in the default
 * applicationHost.config; mirrors the {@code RegisterModule} export of IIS's {@code static.dll}.
 *
 * <p>Called once at start-up on the main thread. Registers for
 * {@link RequestNotification#EXECUTE_REQUEST_HANDLER} only, at the default priority; the shared,
 * stateless {@link StaticFileModule} instance serves every request.
 */
public final class StaticFileModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public StaticFileModuleRegistration() {}

    /**
     * Registers the module's factory for EXECUTE_REQUEST_HANDLER.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> StaticFileModule.INSTANCE,
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
    }
}
