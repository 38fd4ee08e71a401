package io.weir.cli.command;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * Module registrations on the test class path, named by {@code type=} in test configurations, so
 * that the listings and explanations have priorities other than MEDIUM, post-notifications and
 * global notifications to show. The modules do nothing: nothing is served in these tests.
 */
public final class ProbeModules {

    private ProbeModules() {}

    /** A global module that does nothing. */
    private static final class NoGlobalWork implements GlobalModule {
        @Override
        public void terminate() {}
    }

    /** BEGIN_REQUEST and SEND_RESPONSE at HIGH, EXECUTE_REQUEST_HANDLER, post BEGIN_REQUEST, global PRE_BEGIN_REQUEST. */
    public static final class High implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            info.setRequestNotifications(
                    allocator -> new HttpModule() {},
                    EnumSet.of(
                            RequestNotification.BEGIN_REQUEST,
                            RequestNotification.EXECUTE_REQUEST_HANDLER,
                            RequestNotification.SEND_RESPONSE),
                    EnumSet.of(RequestNotification.BEGIN_REQUEST));
            info.setPriorityForRequestNotification(
                    EnumSet.of(RequestNotification.BEGIN_REQUEST, RequestNotification.SEND_RESPONSE), Priority.HIGH);
            info.setGlobalNotifications(new NoGlobalWork(), EnumSet.of(GlobalNotification.PRE_BEGIN_REQUEST));
        }
    }

    /** BEGIN_REQUEST at MEDIUM (the default), SEND_RESPONSE at LOW. */
    public static final class Late implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            info.setRequestNotifications(
                    allocator -> new HttpModule() {},
                    EnumSet.of(RequestNotification.BEGIN_REQUEST, RequestNotification.SEND_RESPONSE),
                    EnumSet.noneOf(RequestNotification.class));
            info.setPriorityForRequestNotification(EnumSet.of(RequestNotification.SEND_RESPONSE), Priority.LOW);
        }
    }

    /** Global notifications only (APPLICATION_START). */
    public static final class GlobalOnly implements ModuleRegistration {
        @Override
        public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
            info.setGlobalNotifications(new NoGlobalWork(), EnumSet.of(GlobalNotification.APPLICATION_START));
        }
    }
}
