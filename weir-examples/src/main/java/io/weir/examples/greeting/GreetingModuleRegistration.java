package io.weir.examples.greeting;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/** The entry point of the greeting sample: one shared {@link GreetingModule} for EXECUTE_REQUEST_HANDLER. */
public final class GreetingModuleRegistration implements ModuleRegistration {

    /** Creates the registration; the server does this through {@code type=}. */
    public GreetingModuleRegistration() {}

    /**
     * Registers the handler.
     *
     * @param serverVersion ignored
     * @param info          where the factory is registered
     * @param server        ignored
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        GreetingModule module = new GreetingModule();
        info.setRequestNotifications(
                allocator -> module,
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
    }
}
