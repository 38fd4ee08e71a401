package io.weir.core;

import io.weir.config.ApplicationHostConfig;
import io.weir.core.spi.Exchange;
import java.util.List;

/**
 * The pipeline engine of one server: loads the modules of a configuration, routes each request to
 * its site and application, and runs the integrated pipeline. Thread-safe; {@link #handle} is
 * called on the connection's event loop.
 *
 * <p>SKELETON while the engine is written; signatures are fixed.
 */
public final class WeirEngine implements AutoCloseable {

    /**
     * Loads every module of the configuration (calling each registration once) and prepares the
     * sites. A module whose registration fails is reported and left out.
     *
     * @param config the configuration
     * @return the engine
     */
    public static WeirEngine start(ApplicationHostConfig config) {
        throw new UnsupportedOperationException("engine under construction");
    }

    /** @return the configuration this engine serves */
    public ApplicationHostConfig config() {
        throw new UnsupportedOperationException("engine under construction");
    }

    /** @return the distinct addresses to listen on, from the started sites' bindings */
    public List<Listener> listeners() {
        throw new UnsupportedOperationException("engine under construction");
    }

    /** @return every {@code <globalModules>} entry with its load outcome, in order */
    public List<LoadedModule> modules() {
        throw new UnsupportedOperationException("engine under construction");
    }

    /**
     * Runs one request through the pipeline. Returns when the request is done or parked; the
     * response goes out through {@link Exchange#write}.
     *
     * @param exchange the request, on its event loop
     */
    public void handle(Exchange exchange) {
        throw new UnsupportedOperationException("engine under construction");
    }

    /** @return the number of requests started and not yet ended */
    public int requestsInFlight() {
        throw new UnsupportedOperationException("engine under construction");
    }

    /**
     * Raises GL_STOP_LISTENING; the transport stops accepting before calling it.
     *
     * @param drainGracefully true when requests in flight may finish
     */
    public void stopListening(boolean drainGracefully) {
        throw new UnsupportedOperationException("engine under construction");
    }

    /** Raises APPLICATION_STOP, terminates every factory and global module. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("engine under construction");
    }
}
