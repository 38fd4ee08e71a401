package io.weir.core.internal.stored;

import io.weir.api.ModuleId;
import io.weir.api.http.DispensedHttpModuleContextContainer;
import io.weir.api.http.StoredContext;
import java.util.Optional;

/**
 * A container {@code IHttpServer::DispenseContainer} hands out: a set-once-per-module store whose
 * owner releases it ({@code ReleaseContainer}), cleaning up what was stored once. Thread-safe.
 */
public final class DispensedContainer implements DispensedHttpModuleContextContainer {

    private final ContextContainer contexts = new ContextContainer();
    private volatile boolean released;

    @Override
    public Optional<StoredContext> moduleContext(ModuleId moduleId) {
        return released ? Optional.empty() : contexts.moduleContext(moduleId);
    }

    @Override
    public synchronized void setModuleContext(StoredContext context, ModuleId moduleId) {
        if (released) {
            throw new IllegalStateException("the dispensed container was released");
        }
        contexts.setModuleContext(context, moduleId);
    }

    @Override
    public void releaseContainer() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        contexts.cleanup();
    }
}
