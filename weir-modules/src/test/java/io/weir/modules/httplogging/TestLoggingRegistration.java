package io.weir.modules.httplogging;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * HttpLoggingModule with the clock, queue capacity and writer gate a test chose; named by
 * {@code type=} in the tests' configuration. Set the static fields before starting the server.
 */
public final class TestLoggingRegistration implements ModuleRegistration {

    static volatile Clock clock = Clock.systemUTC();
    static volatile int capacity = HttpLoggingModuleRegistration.QUEUE_CAPACITY;
    static volatile CountDownLatch gate;
    static volatile HttpLoggingModuleRegistration last;

    /** Reset to the server's defaults. */
    static void reset() {
        clock = Clock.systemUTC();
        capacity = HttpLoggingModuleRegistration.QUEUE_CAPACITY;
        gate = null;
        last = null;
    }

    /** ServiceLoader-style constructor. */
    public TestLoggingRegistration() {}

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        HttpLoggingModuleRegistration registration = new HttpLoggingModuleRegistration(clock, capacity, gate);
        last = registration;
        registration.register(serverVersion, info, server);
    }
}
