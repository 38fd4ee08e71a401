package io.weir.modules.aspnetcore;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpModule;
import io.weir.api.HttpModuleFactory;
import io.weir.api.HttpServer;
import io.weir.api.ModuleAllocator;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.provider.HttpApplicationProvider;
import java.util.EnumSet;

/**
 * The entry of the ASP.NET Core Module ({@value AspNetCoreModule#MODULE_NAME}), named by
 * {@code type=} in applicationHost.config; mirrors the {@code RegisterModule} export of
 * {@code aspnetcorev2.dll}.
 *
 * <p>Called once at start-up. Registers EXECUTE_REQUEST_HANDLER (a new {@link AspNetCoreModule}
 * per request, on the request's event loop; it costs nothing where no handler mapping names it)
 * and GL_APPLICATION_STOP (the application's process is stopped: SIGTERM, then SIGKILL after
 * {@code shutdownTimeLimit}). Terminating the module stops every process it started and waits for
 * them to exit.
 */
public final class AspNetCoreModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader and {@code type=} need a public no-argument constructor. */
    public AspNetCoreModuleRegistration() {}

    /**
     * Registers the module's factory and its global module.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server, whose blocking executor starts the processes
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        AspNetCoreApplications applications = new AspNetCoreApplications(server.blockingExecutor());
        info.setRequestNotifications(
                new HttpModuleFactory() {
                    @Override
                    public HttpModule createModule(ModuleAllocator allocator) {
                        return new AspNetCoreModule(applications);
                    }

                    @Override
                    public void terminate() {
                        applications.close();
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
        info.setGlobalNotifications(
                new GlobalModule() {
                    @Override
                    public GlobalNotificationStatus onGlobalApplicationStop(HttpApplicationProvider provider) {
                        applications.stop(provider.application().applicationId());
                        return GlobalNotificationStatus.CONTINUE;
                    }

                    @Override
                    public void terminate() {
                        applications.close();
                    }
                },
                EnumSet.of(GlobalNotification.APPLICATION_STOP));
    }
}
