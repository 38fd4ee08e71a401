package io.weir.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * A web application the {@link AdminEndpoint} serves under a path prefix of its own
 * ({@link AdminEndpoint#mount}), such as the Weir Manager, IIS Manager's counterpart. The endpoint
 * admits a request for it only from a local browser (a loopback client naming a loopback host in
 * {@code Host}, which also defeats DNS rebinding) or with the admin token; the page itself guards
 * its changes against cross-site requests.
 */
@FunctionalInterface
public interface AdminPage {

    /**
     * Answers one request under the page's prefix. Called on the endpoint's own thread, never on
     * an event loop; the exchange is closed by the caller.
     *
     * @param exchange the request and its response
     * @throws IOException when the response cannot be written
     */
    void handle(HttpExchange exchange) throws IOException;
}
