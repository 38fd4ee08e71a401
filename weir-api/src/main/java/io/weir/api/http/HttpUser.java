package io.weir.api.http;

/**
 * The authenticated user of a request; mirrors IIS's {@code IHttpUser}. Weir has no Windows
 * accounts: users come from the authentication modules' own stores.
 */
public interface HttpUser {

    /**
     * Returns the user name.
     *
     * @return the name; empty for the anonymous user
     */
    String userName();

    /**
     * Returns the name of the scheme that authenticated the user.
     *
     * @return for example {@code "Basic"}, or empty for anonymous
     */
    String authenticationType();

    /**
     * Tells whether the user is in a role.
     *
     * @param role the role name
     * @return true when the user has that role
     */
    boolean isInRole(String role);
}
