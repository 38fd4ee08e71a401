package io.weir.examples.customheader;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * Registers {@link CustomHeaderModule} for ACQUIRE_REQUEST_STATE. The module holds no per-request
 * state, so the factory hands out one shared instance instead of a new one per request (IIS allows
 * both; see {@link io.weir.api.HttpModuleFactory}).
 */
public final class CustomHeaderModuleRegistration implements ModuleRegistration {

    /** Creates the registration; the server does this through {@link java.util.ServiceLoader} or {@code type=}. */
    public CustomHeaderModuleRegistration() {}

    /**
     * Registers the shared module for ACQUIRE_REQUEST_STATE, with no post-notifications.
     *
     * @param serverVersion ignored
     * @param info          where the factory is registered
     * @param server        ignored
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        CustomHeaderModule shared = new CustomHeaderModule();
        info.setRequestNotifications(
                allocator -> shared,
                EnumSet.of(RequestNotification.ACQUIRE_REQUEST_STATE),
                EnumSet.noneOf(RequestNotification.class));
    }
}
