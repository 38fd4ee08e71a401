package io.weir.api.http;

/**
 * Something a module keeps in a {@link HttpModuleContextContainer}; mirrors IIS's
 * {@code IHttpStoredContext}.
 */
@FunctionalInterface
public interface StoredContext {

    /**
     * Called once when the object that owns the container ends (the request, connection,
     * application or server), on that object's thread.
     */
    void cleanupStoredContext();
}
