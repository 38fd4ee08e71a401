package io.weir.modules.urlauthorization;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code system.webServer/security/authorization} section as UrlAuthorizationModule uses it, with
 * IIS's schema defaults, its rules split in IIS URL Authorization's evaluation order.
 *
 * <p>The merged collection holds the rules of every configuration level, the parent's first (a
 * {@code <clear/>} or {@code <remove>} at a lower level takes parent rules out). IIS URL Authorization
 * evaluates "Deny rules first, starting at the parent, then Allow rules starting at the parent, then
 * in order of appearance" ("Understanding IIS 7.0 URL Authorization", differences table), so
 * {@link #denyRules()} and {@link #allowRules()} each keep the collection's order.
 *
 * @param bypassLoginPages {@code bypassLoginPages}, default true: a request whose server variable
 *                         {@code IS_LOGIN_PAGE} is set (non-empty) is not checked
 * @param denyRules        the {@code accessType="Deny"} rules, in collection order
 * @param allowRules       the {@code accessType="Allow"} rules, in collection order
 * @param allowsEveryone   true when no rule denies and some rule allows everyone ({@code *}) for
 *                         every verb: every request is allowed without looking at its user (the stock
 *                         configuration's case, kept cheap)
 */
public record AuthorizationSection(
        boolean bypassLoginPages,
        List<AuthorizationRule> denyRules,
        List<AuthorizationRule> allowRules,
        boolean allowsEveryone) {

    /** Binds the section; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<AuthorizationSection> SECTION =
            ConfigSectionType.of("system.webServer/security/authorization", AuthorizationSection::from);

    /** How IIS's schema names the access types. */
    public enum AccessType {
        /** {@code Allow}. */
        ALLOW,
        /** {@code Deny}. */
        DENY
    }

    /**
     * Copies the lists.
     *
     * @param bypassLoginPages see the class description
     * @param denyRules        see the class description
     * @param allowRules       see the class description
     * @param allowsEveryone   see the class description
     */
    public AuthorizationSection {
        denyRules = List.copyOf(denyRules);
        allowRules = List.copyOf(allowRules);
    }

    /**
     * Binds the merged section element. A section no file sets has no rule, which denies every request
     * (IIS ships the rule {@code <add accessType="Allow" users="*" />} in applicationHost.config; so
     * does Weir's embedded configuration).
     *
     * @param section the merged {@code authorization} element
     * @return the record
     * @throws ConfigException if a rule has no {@code accessType}, an unknown one, or names neither
     *                         users nor roles
     */
    public static AuthorizationSection from(ConfigElement section) {
        List<AuthorizationRule> deny = new ArrayList<>();
        List<AuthorizationRule> allow = new ArrayList<>();
        for (ConfigElement item : section.collection()) {
            if (item.attribute("accessType").isEmpty()) {
                throw new ConfigException(
                        item.source(), "<" + item.elementName() + "> needs 'accessType' (Allow or Deny)");
            }
            AccessType type = item.enumAttribute("accessType", AccessType.class, AccessType.ALLOW);
            AuthorizationRule rule = AuthorizationRule.of(
                    type == AccessType.ALLOW,
                    item.stringAttribute("users", ""),
                    item.stringAttribute("roles", ""),
                    item.stringAttribute("verbs", ""));
            if (rule.namesNobody()) {
                throw new ConfigException(item.source(), "<" + item.elementName() + "> needs 'users' or 'roles'");
            }
            (rule.allow() ? allow : deny).add(rule);
        }
        boolean everyone = deny.isEmpty()
                && allow.stream().anyMatch(r -> r.everyone() && r.verbs().isEmpty());
        return new AuthorizationSection(section.booleanAttribute("bypassLoginPages", true), deny, allow, everyone);
    }
}
