package io.weir.modules.httpredirect;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The entry of HttpRedirectionModule, named by {@code type=} in the default
 * applicationHost.config; mirrors the {@code RegisterModule} export of IIS's {@code redirect.dll}.
 *
 * <p>Called once at start-up. Registers for {@link RequestNotification#MAP_REQUEST_HANDLER} at the
 * default priority; the shared, stateless {@link HttpRedirectionModule} serves every request.
 */
public final class HttpRedirectionModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader and {@code type=} need a public no-argument constructor. */
    public HttpRedirectionModuleRegistration() {}

    /**
     * Registers the module's factory for MAP_REQUEST_HANDLER.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> HttpRedirectionModule.INSTANCE,
                EnumSet.of(RequestNotification.MAP_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
        // httpRedirect enabled="false" (the default): no redirect, left out of the plan.
        info.setIdleWhen(HttpRedirectSection.SECTION, section -> !section.enabled());
    }
}
