package io.weir.core.internal.stored;

import io.weir.api.http.NamedContextContainer;
import io.weir.api.http.StoredContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A thread-safe, set-once-per-name store; mirrors {@code INamedContextContainer}. */
public final class NamedContainer implements NamedContextContainer {

    private static final Logger LOG = LoggerFactory.getLogger(NamedContainer.class);

    private final Map<String, StoredContext> contexts = new ConcurrentHashMap<>(4);

    @Override
    public Optional<StoredContext> namedContext(String name) {
        return Optional.ofNullable(contexts.get(Objects.requireNonNull(name, "name")));
    }

    @Override
    public void setNamedContext(StoredContext context, String name) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(name, "name");
        if (contexts.putIfAbsent(name, context) != null) {
            throw new IllegalStateException("a context is already stored under the name '" + name + "'");
        }
    }

    /** Calls every stored context's cleanup once; errors are logged and do not stop the others. */
    public void cleanup() {
        List<StoredContext> all = new ArrayList<>(contexts.values());
        contexts.clear();
        for (StoredContext c : all) {
            try {
                c.cleanupStoredContext();
            } catch (RuntimeException e) {
                LOG.error("a stored named context failed to clean up", e);
            }
        }
    }
}
