package io.weir.core;

import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.config.ConfigElement;
import io.weir.api.http.HttpApplication;
import io.weir.api.provider.GlobalApplicationPreloadProvider;
import io.weir.config.SiteConfig;
import io.weir.core.internal.site.ServedApplication;
import io.weir.core.internal.site.ServedSite;
import io.weir.core.spi.MemoryExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GL_APPLICATION_PRELOAD: the warm-up of applications configured with IIS's
 * {@code <application preloadEnabled="true">} ({@code system.applicationHost/sites}, default false;
 * {@code applicationDefaults} may set it for every application). IIS raises it when a worker process
 * starts an application with preload on (with the application pool's {@code startMode}
 * AlwaysRunning); Weir starts every application when the engine starts, so it preloads them then,
 * after APPLICATION_START, and again for those a reload adds. What a preload does is up to the
 * global modules that registered the notification: the provider lets them run requests to the
 * application ({@code CreateContext} + {@code ExecuteRequest}); each request runs on a thread of the
 * preload's own, waited for by the raising thread.
 */
final class ApplicationPreload {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationPreload.class);
    private static final long TIMEOUT_SECONDS = 30;

    private ApplicationPreload() {}

    /**
     * Preloads the applications among {@code applications} whose {@code preloadEnabled} is true.
     *
     * @param engine       the engine
     * @param g            the generation they belong to
     * @param applications candidates
     * @param recycled     what {@code isProcessRecycled()} answers
     */
    static void run(WeirEngine engine, EngineGeneration g, List<ServedApplication> applications, boolean recycled) {
        if (g.globals.get(GlobalNotification.APPLICATION_PRELOAD).length == 0) {
            return;
        }
        ConfigElement sites;
        try {
            sites = g.config.appHostConfig("", "/").section("system.applicationHost/sites");
        } catch (RuntimeException e) {
            LOG.warn("cannot read the sites section for preloadEnabled: {}", e.toString());
            return;
        }
        boolean byDefault = sites.child("applicationDefaults")
                .map(d -> d.booleanAttribute("preloadEnabled", false))
                .orElse(false);
        for (ServedApplication app : applications) {
            if (preloadEnabled(sites, app, byDefault)) {
                preload(engine, g, app, recycled);
            }
        }
    }

    private static boolean preloadEnabled(ConfigElement sites, ServedApplication app, boolean byDefault) {
        for (ConfigElement site : sites.collection()) {
            if (!site.attribute("name").orElse("").equals(app.site().siteName())) {
                continue;
            }
            for (ConfigElement a : site.collection()) {
                if (a.attribute("path").orElse("").equals(app.virtualPath())) {
                    return a.booleanAttribute("preloadEnabled", byDefault);
                }
            }
        }
        return false;
    }

    private static void preload(WeirEngine engine, EngineGeneration g, ServedApplication app, boolean recycled) {
        ServedSite site = app.site();
        List<SiteConfig.BindingConfig> bindings = site.config().bindings();
        String host = "localhost";
        InetSocketAddress local = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (!bindings.isEmpty()) {
            SiteConfig.BindingConfig b = bindings.get(0);
            if (!b.host().isEmpty()) {
                host = b.host();
            }
            local = new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port());
        }
        String hostHeader = host;
        InetSocketAddress localAddress = local;
        ExecutorService loop = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "weir-preload");
            t.setDaemon(true);
            return t;
        });
        try {
            GlobalApplicationPreloadProvider provider = new GlobalApplicationPreloadProvider() {
                @Override
                public int executeRequest(String url) {
                    if (url == null || !url.startsWith("/")) {
                        throw new IllegalArgumentException("not an absolute URL path: " + url);
                    }
                    // no client and no socket; the response is kept only as its status, as IIS's
                    // Application Initialization discards the responses of its warm-up requests
                    MemoryExchange exchange = new MemoryExchange("GET", url)
                            .header("Host", hostHeader)
                            .header("User-Agent", "Weir application preload")
                            .addresses(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), localAddress)
                            .eventLoop(loop);
                    loop.execute(() -> engine.handle(exchange, site));
                    try {
                        MemoryExchange done = exchange.written().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        return done.head() == null ? 0 : done.head().status();
                    } catch (TimeoutException e) {
                        LOG.warn("preload request {} for {} did not complete within {} s", url, app, TIMEOUT_SECONDS);
                        return 0;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 0;
                    } catch (ExecutionException e) {
                        return 0;
                    }
                }

                @Override
                public boolean isProcessRecycled() {
                    return recycled;
                }

                @Override
                public HttpApplication application() {
                    return app;
                }
            };
            LOG.info("preloading application {}", app);
            GlobalNotificationStatus ignored = GlobalNotifications.raiseGlobal(
                    g, GlobalNotification.APPLICATION_PRELOAD, m -> m.onGlobalApplicationPreload(provider));
        } finally {
            loop.shutdown();
        }
    }
}
