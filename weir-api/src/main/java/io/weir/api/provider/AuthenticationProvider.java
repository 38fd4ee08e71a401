package io.weir.api.provider;

import io.weir.api.http.HttpUser;

/**
 * The provider of AUTHENTICATE_REQUEST; mirrors IIS's {@code IAuthenticationProvider}.
 */
public interface AuthenticationProvider extends HttpEventProvider {

    /**
     * Sets the request's user; a non-null user means the request is authenticated. Mirrors
     * {@code SetUser}.
     *
     * @param user the user
     */
    void setUser(HttpUser user);
}
