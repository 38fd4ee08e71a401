package io.weir.modules.authentication;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of BasicAuthenticationModule, named by {@code type=} in the default
 * applicationHost.config; mirrors the {@code RegisterModule} export of IIS's {@code authbas.dll}.
 *
 * <p>Called once at start-up on the main thread. Registers for
 * {@link RequestNotification#AUTHENTICATE_REQUEST} (credentials) and
 * {@link RequestNotification#SEND_RESPONSE} (the challenge on 401 responses) at the default priority;
 * one shared {@link BasicAuthenticationModule} instance, which holds the user stores, serves every
 * request.
 */
public final class BasicAuthenticationModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public BasicAuthenticationModuleRegistration() {}

    /**
     * Registers the module's factory.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        BasicAuthenticationModule module = new BasicAuthenticationModule(info.id());
        info.setRequestNotifications(
                allocator -> module,
                EnumSet.of(RequestNotification.AUTHENTICATE_REQUEST, RequestNotification.SEND_RESPONSE),
                EnumSet.noneOf(RequestNotification.class));
        // Disabled, it neither authenticates nor adds a challenge to a 401: left out of the plan.
        info.setIdleWhen(BasicAuthenticationSection.SECTION, section -> !section.enabled());
    }
}
