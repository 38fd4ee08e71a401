package io.weir.api.http;

import java.nio.file.Path;

/**
 * A folder the server watches for a module, registered with
 * {@link io.weir.api.HttpServer#registerFileChangeMonitor}; mirrors IIS's {@code IHttpFileMonitor}.
 * Thread-safe.
 */
public interface HttpFileMonitor extends AutoCloseable {

    /**
     * Returns the watched folder.
     *
     * @return the absolute, normalized path
     */
    Path path();

    /**
     * Returns the store that lives with this monitor; mirrors {@code GetModuleContextContainer}.
     * What modules store is cleaned up when the monitor is closed.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();

    /**
     * Stops this registration; mirrors {@code DereferenceFileMonitor}. The folder stays watched
     * while another registration (or a site) still needs it. Idempotent.
     */
    @Override
    void close();
}
