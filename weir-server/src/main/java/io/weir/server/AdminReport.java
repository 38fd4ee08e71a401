package io.weir.server;

import io.weir.core.WeirEngine;

/**
 * A report the local {@link AdminEndpoint} serves under its own path, found with
 * {@link java.util.ServiceLoader} on the server's class path: the way a module's live state (kept
 * in the server's module context container) reaches an administration tool without the transport
 * knowing the module, as ARR's runtime state reaches IIS Manager through the configuration
 * system's runtime data.
 */
public interface AdminReport {

    /** @return the endpoint path, starting with {@code /}, e.g. {@code /farms} */
    String path();

    /**
     * Renders the report. Called on the endpoint's own thread, never on an event loop; must not
     * block for long.
     *
     * @param engine the running engine
     * @return tab-separated lines: a header line, then one line per row (no tab or line break
     *         inside a value)
     */
    String tsv(WeirEngine engine);
}
