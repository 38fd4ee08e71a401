package io.weir.api.provider;

import io.weir.api.http.HttpApplication;

/**
 * The provider of GL_APPLICATION_START and GL_APPLICATION_STOP; mirrors IIS's
 * {@code IHttpApplicationProvider}.
 */
public interface HttpApplicationProvider {

    /**
     * Returns the application starting or stopping.
     *
     * @return the application
     */
    HttpApplication application();
}
