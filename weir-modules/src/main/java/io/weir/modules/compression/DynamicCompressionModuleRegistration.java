package io.weir.modules.compression;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of DynamicCompressionModule; mirrors the {@code RegisterModule} export
 * of IIS's {@code compdyn.dll}. Called once at start-up on the main thread: registers one shared
 * module for SEND_RESPONSE.
 */
public final class DynamicCompressionModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public DynamicCompressionModuleRegistration() {}

    /**
     * Registers the module's factory.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        ContentCoding.preload();
        DynamicCompressionModule module = new DynamicCompressionModule(info.id());
        info.setRequestNotifications(
                allocator -> module,
                EnumSet.of(RequestNotification.SEND_RESPONSE),
                EnumSet.noneOf(RequestNotification.class));
    }
}
