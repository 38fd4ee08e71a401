package io.weir.modules.proxy;

import io.weir.api.HttpModuleFactory;
import io.weir.api.HttpServer;
import io.weir.api.ModuleAllocator;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The entry of the reverse proxy ({@value ProxyModule#MODULE_NAME}), named by {@code type=} in the
 * default applicationHost.config; mirrors the {@code RegisterModule} export of ARR's
 * {@code requestRouter.dll}.
 *
 * <p>Called once at start-up. Registers for MAP_REQUEST_HANDLER (to take over requests that URL
 * Rewrite sent to an absolute URL) and EXECUTE_REQUEST_HANDLER (to proxy them); a new
 * {@link ProxyModule} serves each request. The live state of the web farms
 * ({@link ServerFarms}) lives as long as the registration and is stored in the server's module
 * context container under this module's id, for tools that list the farms.
 */
public final class ProxyModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader and {@code type=} need a public no-argument constructor. */
    public ProxyModuleRegistration() {}

    /**
     * Registers the module's factory.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server, whose outbound connector the module uses
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        ServerFarms farms = new ServerFarms(server);
        server.moduleContextContainer().setModuleContext(farms, info.id());
        info.setRequestNotifications(
                new HttpModuleFactory() {
                    @Override
                    public ProxyModule createModule(ModuleAllocator allocator) {
                        return new ProxyModule(farms);
                    }

                    @Override
                    public void terminate() {
                        farms.stop();
                    }
                },
                EnumSet.of(RequestNotification.MAP_REQUEST_HANDLER, RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
        // proxy enabled="false" (the default): MAP_REQUEST_HANDLER takes over nothing, so the module is
        // left out of the plan; a handler mapping that names it still runs it in EXECUTE_REQUEST_HANDLER.
        info.setIdleWhen(ProxySection.SECTION, section -> !section.enabled());
    }
}
