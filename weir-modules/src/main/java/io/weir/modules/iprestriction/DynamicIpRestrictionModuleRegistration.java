package io.weir.modules.iprestriction;

import com.github.benmanes.caffeine.cache.Ticker;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The entry of DynamicIpRestrictionModule, named by {@code type=} in the default
 * applicationHost.config; mirrors the {@code RegisterModule} export of IIS's {@code diprestr.dll}.
 *
 * <p>Called once at start-up. Creates the server-wide per-client counters
 * ({@link ClientActivity}, at most {@value ClientActivity#MAX_CLIENTS} clients) and registers a
 * factory that gives each request a small module instance, for BEGIN_REQUEST (count and decide)
 * and END_REQUEST (release), at the default priority.
 */
public final class DynamicIpRestrictionModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader and {@code type=} need a public no-argument constructor. */
    public DynamicIpRestrictionModuleRegistration() {}

    /**
     * Registers the module's factory for BEGIN_REQUEST and END_REQUEST.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        ClientActivity activity = new ClientActivity(ClientActivity.MAX_CLIENTS, Ticker.systemTicker());
        info.setRequestNotifications(
                allocator -> new DynamicIpRestrictionModule(activity),
                EnumSet.of(RequestNotification.BEGIN_REQUEST, RequestNotification.END_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
        // Neither limit enabled: nothing is counted or denied, left out of the plan.
        info.setIdleWhen(DynamicIpSecuritySection.SECTION, section -> !section.active());
    }
}
