package io.weir.api.http;

/**
 * A module context container that belongs to no server object, handed out by
 * {@link io.weir.api.HttpServer#dispenseContainer()} for a module's own objects (a connection pool,
 * a backend session) that need a per-module store; mirrors IIS's
 * {@code IDispensedHttpModuleContextContainer}. Its owner releases it when done, which cleans up
 * what modules stored. Thread-safe.
 */
public interface DispensedHttpModuleContextContainer extends HttpModuleContextContainer, AutoCloseable {

    /**
     * Releases the container: calls {@link StoredContext#cleanupStoredContext()} of every stored
     * context once (an exception of one is logged and the others still run); mirrors
     * {@code ReleaseContainer}. Calling it again does nothing. Afterwards
     * {@link #moduleContext} returns empty and {@link #setModuleContext} throws
     * {@link IllegalStateException} (in IIS the released object is freed, and using it is
     * undefined).
     */
    void releaseContainer();

    /** Releases the container, as {@link #releaseContainer()} does, for try-with-resources. */
    @Override
    default void close() {
        releaseContainer();
    }
}
