package io.weir.examples.echo;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The entry point of the echo sample: registers a factory that makes a new {@link EchoModule} per
 * request, for {@code EXECUTE_REQUEST_HANDLER} with no post-notifications. Map it as a handler
 * (for POST, PUT or any verb with a body) to answer each request with its own entity.
 */
public final class EchoModuleRegistration implements ModuleRegistration {

    /** Creates the registration; the server does this through {@link java.util.ServiceLoader} or {@code type=}. */
    public EchoModuleRegistration() {}

    /**
     * Registers the factory.
     *
     * @param serverVersion ignored
     * @param info          where the factory is registered
     * @param server        ignored
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new EchoModule(),
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
    }
}
