package io.weir.modules.iprestriction;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code system.webServer/security/ipSecurity} section as IpRestrictionModule uses it, with
 * IIS's schema defaults; bound once per effective configuration.
 *
 * <p>Domain-name rules ({@code <add domainName>}) need reverse DNS lookups, which Weir does not do
 * (they block and are slow). As in IIS, they are not evaluated while {@code enableReverseDns} is
 * false (the default), so such rules are kept out of {@link #rules()}; a section with
 * {@code enableReverseDns="true"} is refused (500.19 for the URLs it governs) rather than silently
 * weakened.
 *
 * @param allowUnlisted     {@code allowUnlisted}, default true: the answer for an address no rule matches
 * @param denyAction        {@code denyAction}, default Forbidden
 * @param enableProxyMode   {@code enableProxyMode}, default false: also check every address of
 *                          {@code X-Forwarded-For}
 * @param rules             the address rules in effective order (the first match decides)
 * @param domainRules       how many domain-name rules were left out
 */
public record IpSecuritySection(
        boolean allowUnlisted, DenyAction denyAction, boolean enableProxyMode, List<Rule> rules, int domainRules) {

    /** Binds {@code system.webServer/security/ipSecurity}; keep this one instance. */
    public static final ConfigSectionType<IpSecuritySection> SECTION =
            ConfigSectionType.of("system.webServer/security/ipSecurity", IpSecuritySection::from);

    /**
     * Copies the rules.
     *
     * @param allowUnlisted   see the class description
     * @param denyAction      see the class description
     * @param enableProxyMode see the class description
     * @param rules           see the class description
     * @param domainRules     see the class description
     */
    public IpSecuritySection {
        rules = List.copyOf(rules);
    }

    /**
     * Binds the merged section.
     *
     * @param section the merged {@code ipSecurity} element
     * @return the record
     * @throws ConfigException for a malformed address or mask, a rule with neither
     *                         {@code ipAddress} nor {@code domainName}, or
     *                         {@code enableReverseDns="true"}
     */
    public static IpSecuritySection from(ConfigElement section) {
        if (section.booleanAttribute("enableReverseDns", false)) {
            throw new ConfigException(
                    section.attributeSource("enableReverseDns"),
                    "enableReverseDns=\"true\" is not supported: Weir does not do reverse DNS lookups; "
                            + "write the rules with ipAddress and subnetMask");
        }
        List<Rule> rules = new ArrayList<>();
        int domains = 0;
        for (ConfigElement item : section.collection()) {
            boolean hasIp = item.attribute("ipAddress").map(v -> !v.isBlank()).orElse(false);
            boolean hasDomain =
                    item.attribute("domainName").map(v -> !v.isBlank()).orElse(false);
            if (!hasIp && hasDomain) {
                domains++;
                continue;
            }
            if (!hasIp) {
                throw new ConfigException(item.source(), "<add> in ipSecurity needs an ipAddress (or a domainName)");
            }
            rules.add(new Rule(AddressRange.from(item), item.booleanAttribute("allowed", false)));
        }
        if (domains > 0) {
            System.getLogger(IpSecuritySection.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "{0}: {1} domainName rule(s) of ipSecurity are not evaluated: enableReverseDns is false, "
                                    + "as in IIS (Weir does no reverse DNS lookups)",
                            section.source(),
                            domains);
        }
        return new IpSecuritySection(
                section.booleanAttribute("allowUnlisted", true),
                section.enumAttribute("denyAction", DenyAction.class, DenyAction.FORBIDDEN),
                section.booleanAttribute("enableProxyMode", false),
                rules,
                domains);
    }

    /**
     * Tells whether no address can be denied (no rule, unlisted allowed): the module then does
     * nothing for the request.
     *
     * @return true for the default, empty section
     */
    public boolean allowsEveryone() {
        return allowUnlisted && rules.isEmpty();
    }

    /**
     * Decides for one address: the first rule that matches, in order, else {@code allowUnlisted}
     * (IIS: "Rules are processed from top to bottom, in the order they appear in the list. The
     * allowUnlisted attribute is processed last").
     *
     * @param address the address bytes (4 or 16; IPv4-mapped addresses given as 4)
     * @return true when the address is allowed
     */
    public boolean allows(byte[] address) {
        for (Rule rule : rules) {
            if (rule.range().matches(address)) {
                return rule.allowed();
            }
        }
        return allowUnlisted;
    }

    /**
     * One {@code <add ipAddress subnetMask allowed>}.
     *
     * @param range   the addresses it covers
     * @param allowed {@code allowed}, default false
     */
    public record Rule(AddressRange range, boolean allowed) {}
}
