package io.weir.api;

/**
 * Creates the per-request instance of a request-level module; mirrors IIS's
 * {@code IHttpModuleFactory}.
 *
 * <p>The engine calls {@link #createModule} on the request's event-loop thread the first time a
 * request reaches one of the module's notifications (IIS leaves open whether it does so earlier;
 * Weir creates lazily, so a factory must have no side effects), and calls
 * {@link HttpModule#dispose()} on that instance when the request ends, whatever happened.
 * A new instance per request needs no locking; a factory may also return a shared, thread-safe
 * instance.
 */
@FunctionalInterface
public interface HttpModuleFactory {

    /**
     * Returns the module instance for one request. Mirrors {@code GetHttpModule}.
     *
     * @param allocator request-scoped memory, released when the request ends
     * @return the instance, never null
     */
    HttpModule createModule(ModuleAllocator allocator);

    /**
     * Called once when the server stops, after the last request; releases what the factory holds.
     * Mirrors {@code IHttpModuleFactory::Terminate}. The default does nothing.
     */
    default void terminate() {}
}
