package io.weir.api.http;

import java.util.Optional;

/**
 * A store keyed by name instead of by module, so that modules that agree on a name share an object
 * (IIS hands the WebSocket context to a handler this way, under {@code "websockets"}); mirrors IIS's
 * {@code INamedContextContainer}, reached through {@code IHttpContext3::GetNamedContextContainer}.
 * Set-once per name, as the module containers are set-once per module. Thread-safe.
 */
public interface NamedContextContainer {

    /**
     * Returns what is stored under a name; mirrors {@code GetNamedContext}.
     *
     * @param name the name, case-sensitive
     * @return the stored context, or empty when nothing is stored under the name
     */
    Optional<StoredContext> namedContext(String name);

    /**
     * Stores a context under a name; {@link StoredContext#cleanupStoredContext()} is called when the
     * owning object (the request) ends. Mirrors {@code SetNamedContext}.
     *
     * @param context the context
     * @param name    the name, case-sensitive
     * @throws IllegalStateException if something is already stored under the name
     * @throws NullPointerException  if {@code context} or {@code name} is null
     */
    void setNamedContext(StoredContext context, String name);
}
