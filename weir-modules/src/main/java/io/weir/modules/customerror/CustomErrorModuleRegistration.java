package io.weir.modules.customerror;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The ServiceLoader entry of CustomErrorModule, named by {@code type=} in the default
 * applicationHost.config; mirrors the {@code RegisterModule} export of IIS's {@code custerr.dll}.
 *
 * <p>Called once at start-up on the main thread. Registers for
 * {@link RequestNotification#SEND_RESPONSE} only, with {@link Priority#HIGH}, as IIS's module does
 * ("IIS7 custom error module work in SendResponse stage with priority high", K. Singla, "What to
 * expect from IIS7 custom error module"). SEND_RESPONSE runs in reverse priority order, so HIGH
 * makes it one of the last modules to see the response: it sees errors set in any stage by any
 * module or by the engine, and SEND_RESPONSE modules of lower priority (which run before it) see
 * the original error response, not the page that replaces it.
 */
public final class CustomErrorModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public CustomErrorModuleRegistration() {}

    /**
     * Registers the module's factory for SEND_RESPONSE at HIGH priority.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        EnumSet<RequestNotification> send = EnumSet.of(RequestNotification.SEND_RESPONSE);
        info.setRequestNotifications(
                allocator -> new CustomErrorModule(), send, EnumSet.noneOf(RequestNotification.class));
        info.setPriorityForRequestNotification(send, Priority.HIGH);
    }
}
