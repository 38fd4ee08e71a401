package io.weir.api.provider;

import io.weir.api.http.HttpApplication;
import java.util.Optional;

/**
 * The provider of GL_THREAD_CLEANUP; mirrors IIS's {@code IGlobalThreadCleanupProvider}. Weir raises
 * it on a thread of {@code HttpServer.blockingExecutor()} when a task handed to that executor has
 * finished, just before the (virtual) thread ends: the closest Weir has to IIS returning a thread to
 * its pool. Event-loop threads are never released while the server runs, so they never raise it.
 */
public interface GlobalThreadCleanupProvider {

    /**
     * Returns the application the thread worked for. Mirrors {@code GetApplication}.
     *
     * @return the application of the request whose notification method handed the task to the
     *         blocking executor; empty when the task was submitted outside a request's notification
     *         (by a global module, a timer or another thread)
     */
    Optional<HttpApplication> application();
}
