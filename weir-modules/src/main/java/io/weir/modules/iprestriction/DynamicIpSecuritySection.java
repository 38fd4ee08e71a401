package io.weir.modules.iprestriction;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.util.Optional;

/**
 * The {@code system.webServer/security/dynamicIpSecurity} section (IIS 8+) as
 * DynamicIpRestrictionModule uses it, with IIS's schema defaults; bound once per effective
 * configuration.
 *
 * @param denyAction                    {@code denyAction}, default Forbidden
 * @param enableProxyMode               {@code enableProxyMode}, default false: count the client by
 *                                      the last {@code X-Forwarded-For} address
 * @param enableLoggingOnlyMode         {@code enableLoggingOnlyMode}, default false: log, do not deny
 * @param denyByConcurrentRequests      {@code denyByConcurrentRequests@enabled}, default false
 * @param maxConcurrentRequests         {@code denyByConcurrentRequests@maxConcurrentRequests}, default 5
 * @param denyByRequestRate             {@code denyByRequestRate@enabled}, default false
 * @param maxRequests                   {@code denyByRequestRate@maxRequests}, default 20
 * @param requestIntervalInMilliseconds {@code denyByRequestRate@requestIntervalInMilliseconds}, default 200
 */
public record DynamicIpSecuritySection(
        DenyAction denyAction,
        boolean enableProxyMode,
        boolean enableLoggingOnlyMode,
        boolean denyByConcurrentRequests,
        long maxConcurrentRequests,
        boolean denyByRequestRate,
        long maxRequests,
        long requestIntervalInMilliseconds) {

    /** Binds {@code system.webServer/security/dynamicIpSecurity}; keep this one instance. */
    public static final ConfigSectionType<DynamicIpSecuritySection> SECTION =
            ConfigSectionType.of("system.webServer/security/dynamicIpSecurity", DynamicIpSecuritySection::from);

    private static final long UINT_MAX = 0xFFFF_FFFFL;

    /**
     * Binds the merged section.
     *
     * @param section the merged {@code dynamicIpSecurity} element
     * @return the record
     * @throws ConfigException when a limit is outside IIS's range 1-4294967295
     */
    public static DynamicIpSecuritySection from(ConfigElement section) {
        Optional<ConfigElement> concurrent = section.child("denyByConcurrentRequests");
        Optional<ConfigElement> rate = section.child("denyByRequestRate");
        return new DynamicIpSecuritySection(
                section.enumAttribute("denyAction", DenyAction.class, DenyAction.FORBIDDEN),
                section.booleanAttribute("enableProxyMode", false),
                section.booleanAttribute("enableLoggingOnlyMode", false),
                concurrent.map(c -> c.booleanAttribute("enabled", false)).orElse(false),
                concurrent.map(c -> positive(c, "maxConcurrentRequests", 5)).orElse(5L),
                rate.map(r -> r.booleanAttribute("enabled", false)).orElse(false),
                rate.map(r -> positive(r, "maxRequests", 20)).orElse(20L),
                rate.map(r -> positive(r, "requestIntervalInMilliseconds", 200)).orElse(200L));
    }

    /**
     * Tells whether either restriction is on; when not, the module does nothing for the request.
     *
     * @return true when concurrent-request or request-rate denial is enabled
     */
    public boolean active() {
        return denyByConcurrentRequests || denyByRequestRate;
    }

    private static long positive(ConfigElement element, String name, long defaultValue) {
        long value = element.longAttribute(name, defaultValue);
        if (value < 1 || value > UINT_MAX) {
            throw new ConfigException(element.attributeSource(name), name + " must be between 1 and " + UINT_MAX);
        }
        return value;
    }
}
