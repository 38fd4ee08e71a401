package io.weir.modules.rewrite;

import io.weir.api.GlobalNotification;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The entry of RewriteModule, named by {@code type=} in the default applicationHost.config; mirrors
 * the {@code RegisterModule} export of URL Rewrite's {@code rewrite.dll}.
 *
 * <p>Called once at start-up. Registers GL_PRE_BEGIN_REQUEST (global rules), BEGIN_REQUEST
 * (distributed rules) at the default priority and SEND_RESPONSE (outbound rules) at FIRST, which
 * SEND_RESPONSE's reversed order makes one of the last to see the response; the shared,
 * {@link RewriteModule} serves every request.
 */
public final class RewriteModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader and {@code type=} need a public no-argument constructor. */
    public RewriteModuleRegistration() {}

    /**
     * Registers the module.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        RewriteModule module = new RewriteModule(info.id());
        info.setRequestNotifications(
                allocator -> module,
                EnumSet.of(RequestNotification.BEGIN_REQUEST, RequestNotification.SEND_RESPONSE),
                EnumSet.noneOf(RequestNotification.class));
        // SEND_RESPONSE runs in reverse priority order: FIRST, and listed before ProtocolSupportModule,
        // the outbound rules see every header other modules set, customHeaders included
        info.setPriorityForRequestNotification(EnumSet.of(RequestNotification.SEND_RESPONSE), Priority.FIRST);
        // No distributed inbound rule and no outbound rule for a URL (both compiled without error):
        // its request-level part does nothing there. Global rules run in PRE_BEGIN_REQUEST regardless.
        info.setIdleWhen(
                InboundRules.DISTRIBUTED,
                c -> c.error() == null && c.value().rules().isEmpty());
        info.setIdleWhen(
                OutboundRules.SECTION,
                c -> c.error() == null && c.value().rules().isEmpty());
        info.setGlobalNotifications(module, EnumSet.of(GlobalNotification.PRE_BEGIN_REQUEST));
    }
}
