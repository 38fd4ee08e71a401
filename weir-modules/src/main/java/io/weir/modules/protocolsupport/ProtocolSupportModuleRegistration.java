package io.weir.modules.protocolsupport;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The entry of ProtocolSupportModule, named by {@code type=} in the default applicationHost.config;
 * mirrors the {@code RegisterModule} export of IIS's {@code protsup.dll}.
 *
 * <p>Called once at start-up. Registers for {@link RequestNotification#SEND_RESPONSE} at priority
 * FIRST (SEND_RESPONSE runs in reverse, so this module adds its headers after the others have
 * shaped the response) and for {@link RequestNotification#EXECUTE_REQUEST_HANDLER}, which runs only
 * where a handler mapping names the module (TRACE and OPTIONS).
 */
public final class ProtocolSupportModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader and {@code type=} need a public no-argument constructor. */
    public ProtocolSupportModuleRegistration() {}

    /**
     * Registers the module's factory.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> ProtocolSupportModule.INSTANCE,
                EnumSet.of(RequestNotification.SEND_RESPONSE, RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
        info.setPriorityForRequestNotification(EnumSet.of(RequestNotification.SEND_RESPONSE), Priority.FIRST);
    }
}
