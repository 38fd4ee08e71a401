package io.weir.modules.authentication;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;

/**
 * The {@code system.webServer/security/authentication/anonymousAuthentication} section as
 * AnonymousAuthenticationModule uses it, with IIS's schema defaults. Bound once per distinct effective
 * configuration by {@link io.weir.api.http.HttpContext#config}.
 *
 * <p>IIS's {@code userName} (default {@code IUSR}), {@code password} and {@code logonMethod} name the
 * Windows account an anonymous request impersonates. Weir has no Windows accounts and impersonates
 * nobody: {@code userName} is read and kept (it is the name IIS would log), {@code password} and
 * {@code logonMethod} are accepted and ignored. The anonymous user's
 * {@link io.weir.api.http.HttpUser#userName()} is empty, as IIS's {@code IHttpUser::GetUserName} is
 * for anonymous requests.
 *
 * @param enabled  {@code enabled}, default true: a request no other module authenticated is anonymous
 * @param userName {@code userName}, default {@code IUSR}; kept, not acted on
 */
public record AnonymousAuthenticationSection(boolean enabled, String userName) {

    /** Binds the section; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<AnonymousAuthenticationSection> SECTION = ConfigSectionType.of(
            "system.webServer/security/authentication/anonymousAuthentication", AnonymousAuthenticationSection::from);

    /**
     * Binds the merged section element.
     *
     * @param section the merged {@code anonymousAuthentication} element (empty when no file sets it)
     * @return the record
     * @throws io.weir.api.config.ConfigException if {@code enabled} is not a boolean
     */
    public static AnonymousAuthenticationSection from(ConfigElement section) {
        return new AnonymousAuthenticationSection(
                section.booleanAttribute("enabled", true), section.stringAttribute("userName", "IUSR"));
    }
}
