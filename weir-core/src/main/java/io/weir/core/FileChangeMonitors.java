package io.weir.core;

import io.weir.api.http.HttpFileMonitor;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.core.internal.stored.ContextContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The folders modules asked the engine to watch ({@code IHttpServer::RegisterFileChangeMonitor}).
 * The engine's watcher (the server's configuration watcher) watches them besides the sites' folders
 * and raises GL_FILE_CHANGE for the files that change under them; it learns of new and closed
 * registrations through {@link #onChange}. Thread-safe.
 */
public final class FileChangeMonitors {

    /** One registration. */
    private final class Monitor implements HttpFileMonitor {
        private final Path path;
        private final ContextContainer container = new ContextContainer();
        private final AtomicBoolean closed = new AtomicBoolean();

        Monitor(Path path) {
            this.path = path;
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public HttpModuleContextContainer moduleContextContainer() {
            return container;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                monitors.remove(this);
                container.cleanup();
                changed();
            }
        }
    }

    private final List<Monitor> monitors = new CopyOnWriteArrayList<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /**
     * Registers a folder (a regular file's path registers its folder).
     *
     * @param path an absolute path
     * @return the registration
     * @throws IllegalArgumentException if the path is not absolute
     */
    HttpFileMonitor register(Path path) {
        Objects.requireNonNull(path, "path");
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        Path normalized = path.normalize();
        Path folder = Files.isRegularFile(normalized) ? normalized.getParent() : normalized;
        Monitor m = new Monitor(folder);
        monitors.add(m);
        changed();
        return m;
    }

    /** @return the distinct folders of the live registrations, in registration order */
    public Set<Path> folders() {
        Set<Path> folders = new LinkedHashSet<>();
        for (Monitor m : monitors) {
            folders.add(m.path);
        }
        return folders;
    }

    /**
     * Adds a receiver told (on the registering or closing thread) whenever a registration is added
     * or closed; the watcher then reads {@link #folders()} on its own thread.
     *
     * @param listener the receiver; it must only hand the work on
     */
    public void onChange(Runnable listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    private void changed() {
        for (Runnable r : listeners) {
            r.run();
        }
    }
}
