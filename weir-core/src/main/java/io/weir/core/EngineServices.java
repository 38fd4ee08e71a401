package io.weir.core;

import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.cache.KernelResponseCache;
import io.weir.api.http.DispensedHttpModuleContextContainer;
import io.weir.api.http.HttpApplication;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpFileMonitor;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.outbound.OutboundConnector;
import io.weir.api.provider.CacheOperation;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.trace.HttpTraceContext;
import io.weir.core.internal.context.CurrentRequest;
import io.weir.core.internal.context.DisabledTraceContext;
import io.weir.core.internal.context.FileCache;
import io.weir.core.internal.stored.ContextContainer;
import io.weir.core.internal.stored.DispensedContainer;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The engine's {@link HttpServer}: the process-wide services handed to every module. */
final class EngineServices implements HttpServer {

    /**
     * The blocking executor modules see: one virtual thread per task; when a global module registered
     * GL_THREAD_CLEANUP, the thread raises it after its task, just before it ends (Weir's moment for
     * IIS's "a thread is returned to the thread pool"), naming the application of the request that
     * submitted the task when a request's notification method did.
     */
    private final class BlockingExecutor extends AbstractExecutorService {
        @Override
        public void execute(Runnable task) {
            Objects.requireNonNull(task, "task");
            if (!engine.events().wantsThreadCleanup()) {
                virtualThreads.execute(task);
                return;
            }
            HttpApplication application = CurrentRequest.application();
            virtualThreads.execute(() -> {
                try {
                    task.run();
                } finally {
                    engine.events().threadCleanup(application);
                }
            });
        }

        @Override
        public void shutdown() {
            virtualThreads.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return virtualThreads.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return virtualThreads.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return virtualThreads.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return virtualThreads.awaitTermination(timeout, unit);
        }
    }

    /** The {@code Server} header and SERVER_SOFTWARE. */
    static final String SERVER_SOFTWARE = "Weir/0.1";

    private final WeirEngine engine;
    private final ContextContainer container = new ContextContainer();
    private final FileCache fileCache = new FileCache();
    private final ExecutorService virtualThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("weir-blocking-", 0).factory());
    private final ExecutorService blocking = new BlockingExecutor();

    private volatile OutboundConnector outboundConnector;
    private final RecycleRequests recycleRequests = new RecycleRequests();
    private final FileChangeMonitors fileChangeMonitors = new FileChangeMonitors();
    private final String appPoolName = System.getProperty("weir.appPoolName", "DefaultAppPool");
    private volatile KernelResponseCache kernelResponseCache;

    EngineServices(WeirEngine engine) {
        this.engine = engine;
    }

    @Override
    public String serverSoftware() {
        return SERVER_SOFTWARE;
    }

    @Override
    public Optional<HttpFileInfo> fileInfo(Path physicalPath) {
        return fileCache.lookup(physicalPath);
    }

    @Override
    public HttpModuleContextContainer moduleContextContainer() {
        return container;
    }

    @Override
    public ExecutorService blockingExecutor() {
        return blocking;
    }

    @Override
    public HttpTraceContext traceContext() {
        return DisabledTraceContext.INSTANCE;
    }

    @Override
    public GlobalNotificationStatus notifyCustomNotification(CustomNotificationProvider provider) {
        return engine.notifyCustomNotification(provider);
    }

    @Override
    public void reportUnhealthy(String reason) {
        engine.events().reportUnhealthy(reason);
    }

    @Override
    public Optional<OutboundConnector> outboundConnector() {
        return Optional.ofNullable(outboundConnector);
    }

    @Override
    public Optional<KernelResponseCache> kernelResponseCache() {
        return Optional.ofNullable(kernelResponseCache);
    }

    /** @param cache the transport's kernel-style response cache, attached once it runs */
    void kernelResponseCache(KernelResponseCache cache) {
        this.kernelResponseCache = cache;
    }

    @Override
    public void notifyCacheOperation(CacheOperation operation, String key, Object record) {
        engine.events().cacheOperation(operation, key, record);
    }

    /** @param connector the transport's connector, attached once it runs */
    void outboundConnector(OutboundConnector connector) {
        this.outboundConnector = connector;
    }

    @Override
    public String appPoolName() {
        return appPoolName.isBlank() ? "DefaultAppPool" : appPoolName;
    }

    @Override
    public void recycleProcess(String reason) {
        recycleRequests.process(reason);
    }

    @Override
    public void recycleApplication(String appConfigPath) {
        recycleRequests.application(appConfigPath);
    }

    @Override
    public void notifyFileChange(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        fileCache.invalidate(absolute, false);
        engine.notifyFileChange(absolute);
    }

    @Override
    public HttpFileMonitor registerFileChangeMonitor(Path folder) {
        return fileChangeMonitors.register(folder);
    }

    @Override
    public List<HttpFileInfo> doCacheOperation(CacheOperation operation, Path key) {
        Path path = key.toAbsolutePath().normalize();
        return switch (operation) {
            case RETRIEVE -> fileCache.cached(path).map(List::of).orElse(List.of());
            case ADD -> fileCache.lookup(path).map(List::of).orElse(List.of());
            case DELETE -> fileCache.invalidate(path, false);
            case FLUSH_PREFIX -> fileCache.invalidate(path, true);
            case ENUM -> fileCache.entriesUnder(path);
        };
    }

    @Override
    public DispensedHttpModuleContextContainer dispenseContainer() {
        return new DispensedContainer();
    }

    @Override
    public boolean satisfiesPrecondition(String precondition) {
        return ServerPreconditions.satisfies(precondition, appPoolName());
    }

    /** @return the recycling requests modules made */
    RecycleRequests recycleRequests() {
        return recycleRequests;
    }

    /** @return the folders modules registered for change notifications */
    FileChangeMonitors fileChangeMonitors() {
        return fileChangeMonitors;
    }

    /** @return the server's file cache */
    FileCache fileCache() {
        return fileCache;
    }

    void shutdown() {
        blocking.shutdown();
        fileCache.clear();
        container.cleanup();
    }
}
