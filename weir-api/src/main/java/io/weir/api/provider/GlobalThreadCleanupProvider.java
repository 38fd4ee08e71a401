package io.weir.api.provider;

import io.weir.api.http.HttpApplication;

/**
 * The provider of GL_THREAD_CLEANUP; mirrors IIS's {@code IGlobalThreadCleanupProvider}.
 */
public interface GlobalThreadCleanupProvider {

    /**
     * Returns the application the thread worked for. Mirrors {@code GetApplication}.
     *
     * @return the application
     */
    HttpApplication application();
}
