package io.weir.modules.cgi;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of CgiModule; mirrors the {@code RegisterModule} export of IIS's
 * {@code cgi.dll}. Called once at start-up on the main thread: registers EXECUTE_REQUEST_HANDLER,
 * declared blocking, with one module instance per request.
 */
public final class CgiModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public CgiModuleRegistration() {}

    /**
     * Registers the module's factory for EXECUTE_REQUEST_HANDLER, blocking.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new CgiModule(),
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
        info.setBlocking(EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER));
    }
}
