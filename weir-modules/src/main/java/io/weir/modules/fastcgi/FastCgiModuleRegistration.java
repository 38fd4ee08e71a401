package io.weir.modules.fastcgi;

import io.weir.api.HttpModule;
import io.weir.api.HttpModuleFactory;
import io.weir.api.HttpServer;
import io.weir.api.ModuleAllocator;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of FastCgiModule; mirrors the {@code RegisterModule} export of IIS's
 * {@code iisfcgi.dll}. Called once at start-up on the main thread: registers EXECUTE_REQUEST_HANDLER (not
 * declared blocking: the module runs a request without an entity to an external server on the
 * event loop, and hands everything else to a virtual thread itself), with a factory that creates
 * one module per request over the server-wide process pools; the factory's {@code terminate()}
 * stops every process the pools started.
 */
public final class FastCgiModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public FastCgiModuleRegistration() {}

    /**
     * Registers the module's factory for EXECUTE_REQUEST_HANDLER.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        FastCgiPools pools = new FastCgiPools();
        info.setRequestNotifications(
                new HttpModuleFactory() {
                    @Override
                    public HttpModule createModule(ModuleAllocator allocator) {
                        return new FastCgiModule(pools);
                    }

                    @Override
                    public void terminate() {
                        pools.close();
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
    }
}
