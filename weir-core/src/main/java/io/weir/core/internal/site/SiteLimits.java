package io.weir.core.internal.site;

import io.weir.api.config.ConfigElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.config.schema.ConfigSchema;
import java.time.Duration;
import java.util.List;

/**
 * Reads each site's {@code <limits connectionTimeout>} (IIS's time a connection may sit without
 * progress, 120 seconds by default) into the served sites, where the pending deadline of their
 * requests uses it. Called on the thread that builds a configuration generation.
 */
public final class SiteLimits {

    /** IIS's default {@code limits@connectionTimeout}. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(120);

    private SiteLimits() {}

    /**
     * Gives every served site the connection timeout of its {@code limits} element.
     *
     * @param config the configuration the router was built from
     * @param router the router whose sites to update
     */
    public static void apply(ApplicationHostConfig config, SiteRouter router) {
        List<SiteConfig> sites = config.sites();
        if (sites.isEmpty()) {
            return;
        }
        List<ConfigElement> elements = config.appHostConfig(sites.getFirst().name(), "/")
                .section(ConfigSchema.SITES)
                .collection();
        for (ServedSite site : router.sites()) {
            for (ConfigElement e : elements) {
                if (e.attribute("name").orElse("").equals(site.siteName())) {
                    Duration timeout = e.child("limits")
                            .map(l -> l.timeSpanAttribute("connectionTimeout", DEFAULT_CONNECTION_TIMEOUT))
                            .orElse(DEFAULT_CONNECTION_TIMEOUT);
                    site.connectionTimeout(
                            timeout.isNegative() || timeout.isZero() ? DEFAULT_CONNECTION_TIMEOUT : timeout);
                }
            }
        }
    }
}
