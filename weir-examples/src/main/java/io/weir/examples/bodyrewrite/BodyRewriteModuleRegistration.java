package io.weir.examples.bodyrewrite;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * Registers {@link BodyRewriteModule} for SEND_RESPONSE only, as the SDK sample registers
 * {@code RQ_SEND_RESPONSE}; the replaced and replacing text are the sample's constants.
 */
public final class BodyRewriteModuleRegistration implements ModuleRegistration {

    /** Creates the registration; the server does this through {@link java.util.ServiceLoader} or {@code type=}. */
    public BodyRewriteModuleRegistration() {}

    /**
     * Registers a factory making a {@link BodyRewriteModule} per request, for SEND_RESPONSE.
     *
     * @param serverVersion ignored
     * @param info          where the factory is registered
     * @param server        ignored
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new BodyRewriteModule(BodyRewriteModule.FIND, BodyRewriteModule.REPLACE),
                EnumSet.of(RequestNotification.SEND_RESPONSE),
                EnumSet.noneOf(RequestNotification.class));
    }
}
