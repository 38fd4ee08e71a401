package io.weir.examples.streaming;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/** Registers {@link GeneratedStreamModule} as a handler (EXECUTE_REQUEST_HANDLER). */
public final class GeneratedStreamModuleRegistration implements ModuleRegistration {

    /** Creates the registration; the server does this through {@link java.util.ServiceLoader} or {@code type=}. */
    public GeneratedStreamModuleRegistration() {}

    /**
     * Registers a factory making a {@link GeneratedStreamModule} per request.
     *
     * @param serverVersion ignored
     * @param info          where the factory is registered
     * @param server        ignored
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new GeneratedStreamModule(),
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
    }
}
