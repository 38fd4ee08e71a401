package io.weir.modules.iprestriction;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;

/**
 * The entry of IpRestrictionModule, named by {@code type=} in the default applicationHost.config;
 * mirrors the {@code RegisterModule} export of IIS's {@code iprestr.dll}.
 *
 * <p>Called once at start-up. Registers for {@link RequestNotification#BEGIN_REQUEST} at the
 * default priority; the shared, stateless {@link IpRestrictionModule} serves every request.
 */
public final class IpRestrictionModuleRegistration implements ModuleRegistration {

    /** Creates the registration; ServiceLoader and {@code type=} need a public no-argument constructor. */
    public IpRestrictionModuleRegistration() {}

    /**
     * Registers the module's factory for BEGIN_REQUEST.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server (unused)
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> IpRestrictionModule.INSTANCE,
                EnumSet.of(RequestNotification.BEGIN_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
        // No rules and allowUnlisted: every client is allowed, left out of the plan.
        info.setIdleWhen(IpSecuritySection.SECTION, IpSecuritySection::allowsEveryone);
    }
}
