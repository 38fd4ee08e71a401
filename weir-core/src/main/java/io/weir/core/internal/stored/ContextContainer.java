package io.weir.core.internal.stored;

import io.weir.api.ModuleId;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.http.StoredContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A thread-safe, set-once-per-module store; mirrors {@code IHttpModuleContextContainer}. */
public final class ContextContainer implements HttpModuleContextContainer {

    private static final Logger LOG = LoggerFactory.getLogger(ContextContainer.class);

    private final Map<ModuleId, StoredContext> contexts = new ConcurrentHashMap<>(4);

    @Override
    public Optional<StoredContext> moduleContext(ModuleId moduleId) {
        return Optional.ofNullable(contexts.get(moduleId));
    }

    @Override
    public void setModuleContext(StoredContext context, ModuleId moduleId) {
        Objects.requireNonNull(context, "context");
        if (contexts.putIfAbsent(moduleId, context) != null) {
            throw new IllegalStateException("module " + moduleId.value() + " already stored a context here");
        }
    }

    /**
     * Lists what the modules stored here, for tools that report a module's live state.
     *
     * @return a snapshot of the stored contexts, in no particular order; empty when none
     */
    public List<StoredContext> storedContexts() {
        return List.copyOf(contexts.values());
    }

    /** Calls every stored context's cleanup once; errors are logged and do not stop the others. */
    public void cleanup() {
        List<StoredContext> all = new ArrayList<>(contexts.values());
        contexts.clear();
        for (StoredContext c : all) {
            try {
                c.cleanupStoredContext();
            } catch (RuntimeException e) {
                LOG.error("a stored module context failed to clean up", e);
            }
        }
    }
}
