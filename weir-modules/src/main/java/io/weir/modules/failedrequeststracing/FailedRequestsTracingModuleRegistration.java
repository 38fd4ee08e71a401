package io.weir.modules.failedrequeststracing;

import io.weir.api.GlobalNotification;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import java.util.EnumSet;

/**
 * The entry of FailedRequestsTracingModule, named by {@code type=} in {@code <globalModules>};
 * mirrors the {@code RegisterModule} export of IIS's {@code iisfreb.dll}. Registers one global module
 * for GL_PRE_BEGIN_REQUEST and GL_TRACE_EVENT; no request-level module (so no {@code <modules>}
 * entry is needed). Called once at start-up.
 */
public final class FailedRequestsTracingModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader needs a public no-argument constructor. */
    public FailedRequestsTracingModuleRegistration() {}

    /**
     * Registers the global module.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server, whose blocking executor writes the trace files
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setGlobalNotifications(
                new FailedRequestsTracingModule(info.id(), server),
                EnumSet.of(GlobalNotification.PRE_BEGIN_REQUEST, GlobalNotification.TRACE_EVENT));
    }
}
