package io.weir.modules.authentication;

import io.weir.api.http.HttpUser;
import java.util.Locale;
import java.util.Set;

/**
 * A user authenticated by BasicAuthenticationModule, or the anonymous user; mirrors what IIS's
 * {@code IHttpUser} reports. Immutable and thread-safe.
 *
 * @param userName           the name as written in the user file ({@code DOMAIN\name} when qualified);
 *                           empty for the anonymous user
 * @param authenticationType {@code "Basic"}, or empty for the anonymous user
 * @param roles              the user's roles, lower-cased (ROOT locale): role checks ignore case
 */
public record AuthenticatedUser(String userName, String authenticationType, Set<String> roles) implements HttpUser {

    /** The anonymous user: empty name, empty authentication type, no roles (IIS's anonymous user). */
    public static final AuthenticatedUser ANONYMOUS = new AuthenticatedUser("", "", Set.of());

    /**
     * Copies the roles.
     *
     * @param userName           see the class description
     * @param authenticationType see the class description
     * @param roles              see the class description
     */
    public AuthenticatedUser {
        roles = Set.copyOf(roles);
    }

    /**
     * Tells whether the user has a role, without regard to case.
     *
     * @param role the role name
     * @return true when the user file lists the role for the user; always false for the anonymous user
     */
    @Override
    public boolean isInRole(String role) {
        return role != null && roles.contains(role.trim().toLowerCase(Locale.ROOT));
    }
}
