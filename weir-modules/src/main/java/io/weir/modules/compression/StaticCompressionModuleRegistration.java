package io.weir.modules.compression;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of StaticCompressionModule; mirrors the {@code RegisterModule} export of
 * IIS's {@code compstat.dll}. Called once at start-up on the main thread: registers one shared
 * module for PRE_EXECUTE_REQUEST_HANDLER (conditional-request tags) and SEND_RESPONSE (the compressed body).
 */
public final class StaticCompressionModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public StaticCompressionModuleRegistration() {}

    /**
     * Registers the module's factory.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server, whose blocking executor makes the compressed copies
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        ContentCoding.preload();
        StaticCompressionModule module = new StaticCompressionModule(info.id(), server.blockingExecutor());
        info.setRequestNotifications(
                allocator -> module,
                EnumSet.of(RequestNotification.PRE_EXECUTE_REQUEST_HANDLER, RequestNotification.SEND_RESPONSE),
                EnumSet.noneOf(RequestNotification.class));
    }
}
