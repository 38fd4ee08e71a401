package io.weir.api.http;

import io.weir.api.ModuleId;
import java.util.Optional;

/**
 * A per-module store attached to a request, connection, application, site or the server; mirrors
 * IIS's {@code IHttpModuleContextContainer}. Set-once per module: a module stores one object and
 * gets it back later. Thread-safe.
 */
public interface HttpModuleContextContainer {

    /**
     * Returns what the module stored here.
     *
     * @param moduleId the module
     * @return the stored context, or empty when the module stored nothing
     */
    Optional<StoredContext> moduleContext(ModuleId moduleId);

    /**
     * Stores the module's context; {@link StoredContext#cleanupStoredContext()} is called when the
     * owning object ends. Mirrors {@code SetModuleContext}.
     *
     * @param context  the context
     * @param moduleId the module
     * @throws IllegalStateException if the module already stored a context here
     *                               (IIS: {@code ERROR_ALREADY_ASSIGNED})
     * @throws NullPointerException  if {@code context} is null (IIS: {@code ERROR_INVALID_PARAMETER})
     */
    void setModuleContext(StoredContext context, ModuleId moduleId);
}
