package io.weir.examples.helloworld;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The entry point of the Hello World sample; the Java form of the walkthrough's
 * {@code RegisterModule}, which ignores the server version and the server object and registers one
 * factory for {@code RQ_BEGIN_REQUEST} with no post-notifications.
 */
public final class HelloWorldModuleRegistration implements ModuleRegistration {

    /** Creates the registration; the server does this through {@link java.util.ServiceLoader} or {@code type=}. */
    public HelloWorldModuleRegistration() {}

    /**
     * Registers a factory that makes a new {@link HelloWorldModule} for every request.
     *
     * @param serverVersion ignored, as in the walkthrough
     * @param info          where the factory is registered
     * @param server        ignored, as in the walkthrough
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new HelloWorldModule(),
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
    }
}
