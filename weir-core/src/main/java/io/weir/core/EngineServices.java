package io.weir.core;

import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.trace.HttpTraceContext;
import io.weir.core.context.ContextContainer;
import io.weir.core.context.DisabledTraceContext;
import io.weir.core.context.FileCache;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The engine's {@link HttpServer}: the process-wide services handed to every module. */
final class EngineServices implements HttpServer {

    /** The {@code Server} header and SERVER_SOFTWARE. */
    static final String SERVER_SOFTWARE = "Weir/0.1";

    private final WeirEngine engine;
    private final ContextContainer container = new ContextContainer();
    private final FileCache fileCache = new FileCache();
    private final ExecutorService blocking = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("weir-blocking-", 0).factory());

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
        throw new UnsupportedOperationException("health checks are not supported yet "
                + "(see the README's \"not yet\" list)");
    }

    void shutdown() {
        blocking.shutdown();
        fileCache.clear();
        container.cleanup();
    }
}
