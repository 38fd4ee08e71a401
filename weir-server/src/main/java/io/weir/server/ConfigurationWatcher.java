package io.weir.server;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.core.ReloadOutcome;
import io.weir.core.WeirEngine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the applicationHost.config a {@link WeirServer} was started from, and the folders of its
 * sites, and applies changes without a restart, as IIS picks up a changed {@code .config} file:
 *
 * <ul>
 *   <li><b>applicationHost.config</b>: every change in the file's folder (so that editors that
 *       write a temporary file and rename it over the original, and files that are removed and
 *       recreated, or replaced through a symbolic link, are all seen) schedules a check once the
 *       folder has been quiet for the debounce delay (250 ms by default). The check reads the
 *       file; if its bytes differ from the last ones tried, it parses them
 *       ({@link ApplicationHostConfig#parse}) and {@linkplain WeirServer#reload reloads}. A file
 *       that is missing, unreadable or refused (malformed XML, a bad attribute, a module that
 *       cannot be loaded) is logged with file, line, column and reason, and the last good
 *       configuration keeps serving; the next change is tried again.</li>
 *   <li><b>Site folders</b> (every virtual directory's physical folder, recursively, up to
 *       {@value #MAX_DIRECTORIES} folders): a changed {@code web.config} raises
 *       GL_CONFIGURATION_CHANGE with the configuration path of its folder
 *       ({@link WeirEngine#configPathOf}) and is handed to every
 *       {@link ConfigFileListener}; every changed file, web.config included, raises GL_FILE_CHANGE.
 *       Both are debounced per file. Every changed path (file or folder) first drops the cached
 *       configuration it affects ({@link WeirEngine#invalidateConfiguration}): the next request
 *       under it reads the web.config again; a version that is now bad is refused and logged, and
 *       the folder's last good version keeps serving (500.19 only for a web.config that was never
 *       good; see {@link ApplicationHostConfig}).</li>
 * </ul>
 *
 * <p>One daemon thread, {@code weir-config-watcher}, does all the work (reading, parsing, loading
 * modules), never an event loop. Thread-safe.
 */
public final class ConfigurationWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationWatcher.class);

    /** The default debounce delay: how long a file must stay quiet before it is read. */
    public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(250);

    /** The most site folders watched; beyond this, deeper folders are not watched (and a warning is logged). */
    public static final int MAX_DIRECTORIES = 10_000;

    private static final long POLL_MILLIS = 25;
    private static final long REREGISTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * Receives the configuration files (web.config) that changed under the sites' folders: the
     * seam through which per-folder configuration caches are invalidated. Called on the watcher's
     * thread after the debounce delay, for a file that was created, modified or deleted; after an
     * event overflow (changes were lost) it is called with each site folder instead, meaning
     * "anything under this folder may have changed".
     */
    @FunctionalInterface
    public interface ConfigFileListener {

        /** @param changed the absolute path of the changed web.config, or of a folder after an overflow */
        void configurationFileChanged(Path changed);
    }

    /**
     * One attempt to apply a changed applicationHost.config.
     *
     * @param file    the file
     * @param outcome what the reload changed, or empty when it was refused
     * @param failure why it was refused, or empty when it was applied
     * @param millis  how long reading, parsing and reloading took, in milliseconds
     */
    public record Attempt(Path file, Optional<ReloadOutcome> outcome, Optional<ConfigException> failure, long millis) {}

    private final WeirServer server;
    private final Path file;
    private final Path folder;
    private final Map<String, String> variables;
    /** Applied to every configuration read from the file before it is reloaded (command-line overrides). */
    private volatile UnaryOperator<ApplicationHostConfig> adjustment = c -> c;

    private final long debounceNanos;
    private final WatchService watchService;
    private final Map<WatchKey, Path> keys = new HashMap<>();
    private final Set<Path> siteRoots = new LinkedHashSet<>();
    /** Paths waiting for quiet: path to the nanoTime at which to act. The config file itself is a key too. */
    private final Map<Path, Long> pending = new LinkedHashMap<>();

    private final List<ConfigFileListener> configFileListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<Attempt>> attemptListeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger reloads = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closed;
    /** Set when a module registered or closed a file change monitor: the watched folders are synced on the watcher's thread. */
    private volatile boolean monitorsChanged;

    private byte[] lastTried;
    private WatchKey folderKey;
    private long lastRegisterAttempt;
    private boolean warnedTooMany;

    private ConfigurationWatcher(WeirServer server, Path file, Map<String, String> variables, Duration debounce)
            throws IOException {
        this.server = server;
        this.file = file;
        this.folder = file == null ? null : file.toAbsolutePath().normalize().getParent();
        this.variables = Map.copyOf(variables);
        this.debounceNanos = debounce.toNanos();
        this.watchService = FileSystems.getDefault().newWatchService();
        try {
            if (file != null) {
                folderKey = register(folder);
                lastTried = readOrNull(file.toAbsolutePath().normalize());
            }
            syncSiteRoots(server.engine().config());
            server.engine().fileChangeMonitors().onChange(() -> monitorsChanged = true);
        } catch (IOException | RuntimeException e) {
            watchService.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().daemon().name("weir-config-watcher").unstarted(this::run);
    }

    /**
     * Starts watching.
     *
     * @param server    the server to reload
     * @param file      the applicationHost.config its configuration was loaded from (the path
     *                  also names it in messages, as {@link ApplicationHostConfig#load} does), or
     *                  null for a configuration that comes from no file (only the site folders are
     *                  watched)
     * @param variables the {@code %NAME%} values it was loaded with
     * @param debounce  how long a file must stay quiet before it is read
     * @return the running watcher
     * @throws IOException when the file's folder cannot be watched
     */
    static ConfigurationWatcher start(WeirServer server, Path file, Map<String, String> variables, Duration debounce)
            throws IOException {
        Objects.requireNonNull(server.engine(), "engine");
        ConfigurationWatcher watcher = new ConfigurationWatcher(server, file, variables, debounce);
        watcher.thread.start();
        if (file == null) {
            LOG.info(
                    "watching {} site folder(s) for web.config and file changes ({} ms debounce)",
                    watcher.siteRoots.size(),
                    debounce.toMillis());
        } else {
            LOG.info(
                    "watching {} for changes ({} ms debounce) and {} site folder(s) for web.config and file changes",
                    file,
                    debounce.toMillis(),
                    watcher.siteRoots.size());
        }
        return watcher;
    }

    /**
     * Sets what is done to every configuration read from the file before it is applied, so that
     * what the command line changed at start (a site added for {@code --root}, a port) survives
     * an edit of the file. An adjustment that throws refuses the edit like a malformed file.
     *
     * @param adjustment applied on the watcher's thread to each newly read snapshot
     */
    public void adjustEachConfiguration(UnaryOperator<ApplicationHostConfig> adjustment) {
        this.adjustment = Objects.requireNonNull(adjustment, "adjustment");
    }

    /**
     * Adds a receiver of changed web.config files (see {@link ConfigFileListener}).
     *
     * @param listener the receiver
     */
    public void addConfigFileListener(ConfigFileListener listener) {
        configFileListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Adds a receiver of every reload attempt, successful or refused, called on the watcher's
     * thread after the attempt is logged.
     *
     * @param listener the receiver
     */
    public void addAttemptListener(Consumer<Attempt> listener) {
        attemptListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** @return how many changed configurations were applied */
    public int reloads() {
        return reloads.get();
    }

    /** @return how many changed configurations were refused (the last good one kept serving) */
    public int refusals() {
        return refusals.get();
    }

    /** @return the watched file, as given; null when only the site folders are watched */
    public Path file() {
        return file;
    }

    /** Stops watching; waits up to 5 seconds for an attempt in progress. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            watchService.close();
        } catch (IOException e) {
            LOG.debug("closing the watch service failed", e);
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The watcher thread
    // ---------------------------------------------------------------------------------------------

    private void run() {
        while (!closed) {
            try {
                WatchKey key = watchService.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                while (key != null) {
                    handle(key);
                    key = watchService.poll();
                }
                reregisterFolderIfLost();
                if (monitorsChanged) {
                    monitorsChanged = false;
                    syncSiteRoots(server.engine().config());
                }
                actOnQuietPaths();
            } catch (ClosedWatchServiceException | InterruptedException e) {
                break;
            } catch (RuntimeException | Error e) {
                LOG.error("the configuration watcher failed; it carries on", e);
            }
        }
    }

    private void handle(WatchKey key) {
        Path dir = keys.get(key);
        long due = System.nanoTime() + debounceNanos;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                LOG.warn(
                        "file change events were lost (overflow) in {}; re-reading the configuration and "
                                + "re-scanning the site folders",
                        dir);
                if (file != null) {
                    pending.put(file, due);
                }
                overflowed();
                continue;
            }
            if (dir == null) {
                continue;
            }
            Path child = dir.resolve((Path) event.context());
            if (dir.equals(folder)) {
                // Any change next to the file may be it (rename over it, symbolic link swap): check.
                pending.put(file, due);
            }
            if (isUnderSite(child)) {
                if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
                        && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                    // files written into the new folder before it was watched raised no event: count them as changed
                    registerTree(child, due);
                }
                pending.put(child, due);
            }
        }
        if (!key.reset()) {
            keys.remove(key);
            if (key == folderKey) {
                folderKey = null;
                LOG.warn("the folder of {} is gone; the last good configuration keeps serving until it is back", file);
            }
        }
    }

    private void reregisterFolderIfLost() {
        long now = System.nanoTime();
        if (file == null || folderKey != null || now - lastRegisterAttempt < REREGISTER_NANOS) {
            return;
        }
        lastRegisterAttempt = now;
        if (Files.isDirectory(folder)) {
            try {
                folderKey = register(folder);
                pending.put(file, now + debounceNanos);
            } catch (IOException e) {
                LOG.debug("cannot watch {} yet: {}", folder, e.toString());
            }
        }
    }

    private void actOnQuietPaths() {
        if (pending.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        List<Path> due = new ArrayList<>();
        pending.entrySet().removeIf(e -> {
            if (now - e.getValue() >= 0) {
                due.add(e.getKey());
                return true;
            }
            return false;
        });
        for (Path path : due) {
            if (path.equals(file)) {
                checkConfigurationFile();
            } else {
                siteFileChanged(path);
            }
        }
    }

    private void siteFileChanged(Path path) {
        WeirEngine engine = server.engine();
        try {
            if (engine.invalidateConfiguration(path)) {
                LOG.debug("cached configuration under {} dropped", path.getParent());
            }
        } catch (RuntimeException e) {
            LOG.error("dropping the cached configuration of {} failed", path, e);
        }
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).equals("web.config")) {
            String configPath = engine.configPathOf(path.getParent()).orElse(null);
            LOG.info("{} changed{}", path, configPath == null ? "" : " (" + configPath + ")");
            for (ConfigFileListener listener : configFileListeners) {
                try {
                    listener.configurationFileChanged(path);
                } catch (RuntimeException e) {
                    LOG.error("a configuration file listener failed on {}", path, e);
                }
            }
            if (configPath != null) {
                engine.notifyConfigurationChange(configPath);
            }
        }
        engine.notifyFileChange(path);
    }

    private void overflowed() {
        for (Path root : List.copyOf(siteRoots)) {
            registerTree(root);
            server.engine().invalidateConfiguration(root);
            for (ConfigFileListener listener : configFileListeners) {
                try {
                    listener.configurationFileChanged(root);
                } catch (RuntimeException e) {
                    LOG.error("a configuration file listener failed on {}", root, e);
                }
            }
        }
    }

    /** Reads the file; if it differs from the last bytes tried, parses and reloads it. */
    private void checkConfigurationFile() {
        long start = System.nanoTime();
        byte[] bytes = readOrNull(file);
        if (bytes == null) {
            if (lastTried != null) {
                LOG.warn(
                        "{} cannot be read (removed, or being replaced); the last good configuration keeps serving",
                        file);
            }
            lastTried = null;
            return;
        }
        if (lastTried != null && Arrays.equals(bytes, lastTried)) {
            LOG.debug("{}: content unchanged; nothing to reload", file);
            return;
        }
        lastTried = bytes;
        Optional<ReloadOutcome> outcome = Optional.empty();
        Optional<ConfigException> failure = Optional.empty();
        try {
            // the web.config files' last good versions carry over, so a web.config edited into a bad
            // state before this reload keeps serving its last good version after it
            ApplicationHostConfig parsed =
                    ApplicationHostConfig.parse(file.toString(), new ByteArrayInputStream(bytes), folder, variables);
            try {
                parsed = adjustment.apply(parsed);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        new ConfigSource(file.toString(), 0, 0),
                        "the command line's changes no longer apply: " + e.getMessage(),
                        e);
            }
            ApplicationHostConfig config =
                    parsed.withWebConfigHistoryOf(server.engine().config());
            outcome = Optional.of(server.reload(config));
        } catch (ConfigException e) {
            failure = Optional.of(e);
        } catch (IllegalStateException e) {
            if (closed) {
                return;
            }
            failure = Optional.of(new ConfigException(new ConfigSource(file.toString(), 0, 0), e.getMessage(), e));
        } catch (RuntimeException e) {
            failure = Optional.of(new ConfigException(
                    new ConfigSource(file.toString(), 0, 0), "the configuration cannot be served: " + e, e));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (outcome.isPresent()) {
            ReloadOutcome o = outcome.get();
            reloads.incrementAndGet();
            LOG.info(
                    "configuration reloaded from {} in {} ms (generation {}): +modules {}, \u2212modules {}, "
                            + "applications started {}, stopped {}{}",
                    file,
                    millis,
                    o.generation(),
                    o.addedModules(),
                    o.removedModules(),
                    o.startedApplications(),
                    o.stoppedApplications(),
                    o.listenersChanged() ? ", listeners now " + server.boundAddresses() : "");
            syncSiteRoots(server.engine().config());
        } else {
            refusals.incrementAndGet();
            ConfigException e = failure.orElseThrow();
            LOG.error(
                    "configuration {} refused: {}; the last good configuration (generation {}) keeps serving",
                    e.source(),
                    e.reason(),
                    server.engine().generation());
        }
        Attempt attempt = new Attempt(file, outcome, failure, millis);
        for (Consumer<Attempt> listener : attemptListeners) {
            try {
                listener.accept(attempt);
            } catch (RuntimeException e) {
                LOG.error("a reload listener failed", e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Registration
    // ---------------------------------------------------------------------------------------------

    private WatchKey register(Path dir) throws IOException {
        WatchKey key = dir.register(
                watchService,
                StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        keys.put(key, dir);
        return key;
    }

    private boolean isUnderSite(Path path) {
        for (Path root : siteRoots) {
            if (path.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    /** Watches the physical folders of the configuration's sites, and stops watching folders no longer served. */
    private void syncSiteRoots(ApplicationHostConfig config) {
        Set<Path> roots = new LinkedHashSet<>();
        for (SiteConfig site : config.sites()) {
            if (!site.serverAutoStart()) {
                continue;
            }
            for (SiteConfig.ApplicationConfig app : site.applications()) {
                for (SiteConfig.VirtualDirectoryConfig vd : app.virtualDirectories()) {
                    roots.add(vd.physicalPath().toAbsolutePath().normalize());
                }
            }
        }
        // the folders modules registered (IHttpServer::RegisterFileChangeMonitor) are watched alike
        roots.addAll(server.engine().fileChangeMonitors().folders());
        if (roots.equals(siteRoots)) {
            return;
        }
        siteRoots.clear();
        siteRoots.addAll(roots);
        keys.entrySet().removeIf(e -> {
            if (e.getKey() != folderKey && !isUnderSite(e.getValue())) {
                e.getKey().cancel();
                return true;
            }
            return false;
        });
        for (Path root : roots) {
            registerTree(root);
        }
    }

    private void registerTree(Path root) {
        registerTree(root, 0);
    }

    /**
     * Watches a folder and its sub-folders.
     *
     * @param root the folder
     * @param due  when non-zero (a folder that appeared), every file found in it is scheduled as
     *             changed at this {@code nanoTime}: it may have been written before the folder was watched
     */
    private void registerTree(Path root, long due) {
        if (!Files.isDirectory(root)) {
            return;
        }
        Set<Path> watched = new HashSet<>(keys.values());
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (watched.contains(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (keys.size() >= MAX_DIRECTORIES) {
                        if (!warnedTooMany) {
                            warnedTooMany = true;
                            LOG.warn(
                                    "more than {} site folders: changes in the others are not watched",
                                    MAX_DIRECTORIES);
                        }
                        return FileVisitResult.TERMINATE;
                    }
                    try {
                        register(dir);
                    } catch (IOException e) {
                        LOG.warn("cannot watch {}: {}", dir, e.toString());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (due != 0) {
                        pending.putIfAbsent(file, due);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path path, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot watch the site folder {}: {}", root, e.toString());
        }
    }

    private static byte[] readOrNull(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            return null;
        }
    }
}
