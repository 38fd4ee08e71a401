package io.weir.modules.urlauthorization;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of UrlAuthorizationModule, named by {@code type=} in the default
 * applicationHost.config; mirrors the {@code RegisterModule} export of IIS's {@code urlauthz.dll}.
 *
 * <p>Called once at start-up on the main thread. Registers for
 * {@link RequestNotification#AUTHORIZE_REQUEST} at the default priority; the shared, stateless
 * {@link UrlAuthorizationModule} instance serves every request.
 */
public final class UrlAuthorizationModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public UrlAuthorizationModuleRegistration() {}

    /**
     * Registers the module's factory for AUTHORIZE_REQUEST.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> UrlAuthorizationModule.INSTANCE,
                EnumSet.of(RequestNotification.AUTHORIZE_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
    }
}
