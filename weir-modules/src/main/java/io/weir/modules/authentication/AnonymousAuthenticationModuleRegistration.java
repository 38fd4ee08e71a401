package io.weir.modules.authentication;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of AnonymousAuthenticationModule, named by {@code type=} in the default
 * applicationHost.config; mirrors the {@code RegisterModule} export of IIS's {@code authanon.dll}.
 *
 * <p>Called once at start-up on the main thread. Registers for
 * {@link RequestNotification#AUTHENTICATE_REQUEST} at {@link Priority#LAST}; the shared, stateless
 * {@link AnonymousAuthenticationModule} instance serves every request.
 */
public final class AnonymousAuthenticationModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public AnonymousAuthenticationModuleRegistration() {}

    /**
     * Registers the module's factory for AUTHENTICATE_REQUEST, last in the stage.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        EnumSet<RequestNotification> notifications = EnumSet.of(RequestNotification.AUTHENTICATE_REQUEST);
        info.setRequestNotifications(
                allocator -> AnonymousAuthenticationModule.INSTANCE,
                notifications,
                EnumSet.noneOf(RequestNotification.class));
        info.setPriorityForRequestNotification(notifications, Priority.LAST);
    }
}
