package io.weir.core.internal.site;

import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.http.HttpSite;
import io.weir.config.SiteConfig;
import io.weir.core.internal.stored.ContextContainer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A started site with its applications, longest virtual path first. */
public final class ServedSite implements HttpSite {

    private final SiteConfig config;
    private final List<ServedApplication> applications;
    private final ContextContainer container;
    private final String strictTransportSecurity;
    private volatile long connectionTimeoutNanos = SiteLimits.DEFAULT_CONNECTION_TIMEOUT.toNanos();

    ServedSite(SiteConfig config) {
        this(config, null);
    }

    /** @param earlier the same site in the configuration being replaced, whose containers are kept; or null */
    ServedSite(SiteConfig config, ServedSite earlier) {
        this.config = config;
        this.strictTransportSecurity = config.hsts().headerValue();
        this.container = earlier != null ? earlier.container : new ContextContainer();
        List<ServedApplication> apps = new ArrayList<>();
        for (SiteConfig.ApplicationConfig app : config.applications()) {
            String appPath = trimSlash(app.path());
            List<ServedApplication.VirtualDirectory> dirs = new ArrayList<>();
            for (SiteConfig.VirtualDirectoryConfig vd : app.virtualDirectories()) {
                String vdPath = trimSlash(vd.path());
                dirs.add(new ServedApplication.VirtualDirectory(
                        appPath + vdPath, vd.physicalPath().toAbsolutePath().normalize()));
            }
            dirs.sort(Comparator.comparingInt((ServedApplication.VirtualDirectory d) ->
                            d.urlPrefix().length())
                    .reversed());
            ServedApplication served =
                    new ServedApplication(this, appPath.isEmpty() ? "/" : appPath, List.copyOf(dirs), null);
            if (earlier != null) {
                for (ServedApplication old : earlier.applications) {
                    if (old.definitionKey().equals(served.definitionKey())) {
                        served = new ServedApplication(this, served.virtualPath(), served.directories(), old);
                        break;
                    }
                }
            }
            apps.add(served);
        }
        apps.sort(Comparator.comparingInt((ServedApplication a) -> a.prefix().length())
                .reversed());
        this.applications = List.copyOf(apps);
    }

    private static String trimSlash(String path) {
        String p = path.replace('\\', '/');
        if (!p.startsWith("/")) {
            p = "/" + p;
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** @param timeout the site's {@code limits@connectionTimeout}, set when its generation is built */
    public void connectionTimeout(java.time.Duration timeout) {
        connectionTimeoutNanos = timeout.toNanos();
    }

    /** @return the site's {@code limits@connectionTimeout} in nanoseconds (120 s unless configured) */
    public long connectionTimeoutNanos() {
        return connectionTimeoutNanos;
    }

    /** @return the site's configuration */
    public SiteConfig config() {
        return config;
    }

    /**
     * @return the {@code Strict-Transport-Security} value of the site's {@code hsts} element, sent
     *         on every response over TLS; null when HSTS is not enabled
     */
    public String strictTransportSecurity() {
        return strictTransportSecurity;
    }

    /** @return the applications, longest path first */
    public List<ServedApplication> applications() {
        return applications;
    }

    /**
     * Finds the application that serves a URL: the one with the longest matching path.
     *
     * @param urlPath decoded, normalized absolute path
     * @return the application (the root application matches everything)
     */
    public ServedApplication applicationFor(String urlPath) {
        for (int i = 0, n = applications.size(); i < n; i++) { // indexed: no iterator per request
            ServedApplication app = applications.get(i);
            if (SiteRouter.isPrefix(app.prefix(), urlPath)) {
                return app;
            }
        }
        return applications.get(applications.size() - 1);
    }

    @Override
    public long siteId() {
        return config.id();
    }

    @Override
    public String siteName() {
        return config.name();
    }

    @Override
    public HttpModuleContextContainer moduleContextContainer() {
        return container;
    }
}
