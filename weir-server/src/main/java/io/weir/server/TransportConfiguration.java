package io.weir.server;

import io.weir.api.config.ConfigElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.config.schema.ConfigSchema;
import io.weir.core.ListenAddress;
import io.weir.server.netty.NettyTransport;
import io.weir.server.netty.TransportSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the transport's limits from the configuration, with IIS's names:
 * {@code system.applicationHost/webLimits} ({@code connectionTimeout}, {@code headerWaitTimeout}
 * — 0, IIS's default, means http.sys's 2 minutes — and {@code minBytesPerSecond}), Weir's
 * {@code system.applicationHost/weirHttpLimits} ({@code maxFieldLength}, {@code maxRequestBytes},
 * {@code maxHeaderCount}, {@code maxConnections}), {@code webLimits@maxGlobalBandwidth}, and each
 * site's {@code limits} ({@code connectionTimeout}, {@code maxConnections}, {@code maxBandwidth}),
 * applied to the listeners of its http and https bindings. A listener shared by several sites
 * (host-header bindings on one port) takes the longest of their timeouts, the highest of their
 * bandwidth limits (none when one has none) and no connection cap, since the site of a connection
 * is known only per request.
 * Stateless.
 */
final class TransportConfiguration {

    /** IIS's {@code uint} "unlimited". */
    private static final long UNLIMITED = 4_294_967_295L;

    private TransportConfiguration() {}

    /**
     * Returns the server-wide settings.
     *
     * @param config the configuration
     * @return the settings
     */
    static TransportSettings settings(ApplicationHostConfig config) {
        ConfigElement web = section(config, ConfigSchema.WEB_LIMITS);
        ConfigElement weir = section(config, ConfigSchema.WEIR_HTTP_LIMITS);
        TransportSettings defaults = TransportSettings.defaults();
        Duration connectionTimeout = positive(
                web.timeSpanAttribute("connectionTimeout", defaults.connectionTimeout()), defaults.connectionTimeout());
        Duration headerWait =
                positive(web.timeSpanAttribute("headerWaitTimeout", Duration.ZERO), defaults.headerWaitTimeout());
        long minRate = web.longAttribute("minBytesPerSecond", defaults.minBytesPerSecond());
        long maxConnections = weir.longAttribute("maxConnections", 0);
        return new TransportSettings(
                connectionTimeout,
                headerWait,
                minRate,
                defaults.maxEntityBytes(),
                (int) weir.longAttribute("maxRequestBytes", defaults.maxRequestBytes()),
                (int) weir.longAttribute("maxFieldLength", defaults.maxFieldLength()),
                (int) weir.longAttribute("maxHeaderCount", defaults.maxHeaderCount()),
                defaults.maxQueuedRequests(),
                (int) Math.min(Integer.MAX_VALUE, maxConnections >= UNLIMITED ? 0 : maxConnections));
    }

    /**
     * Returns {@code webLimits@maxGlobalBandwidth}.
     *
     * @param config the configuration
     * @return the limit in bytes per second; 0 for none (IIS's 4294967295)
     */
    static long maxGlobalBandwidth(ApplicationHostConfig config) {
        long limit = section(config, ConfigSchema.WEB_LIMITS).longAttribute("maxGlobalBandwidth", UNLIMITED);
        return limit >= UNLIMITED || limit < 0 ? 0 : limit;
    }

    /**
     * Returns each listener's limits from the sites bound to it.
     *
     * @param config    the configuration
     * @param listeners the listeners the engine serves
     * @param settings  the server-wide settings (their connection timeout applies where no site sets one)
     * @return the limits by listener, for every listener given
     */
    static Map<ListenAddress, NettyTransport.ListenerLimits> listenerLimits(
            ApplicationHostConfig config, List<ListenAddress> listeners, TransportSettings settings) {
        Map<String, ConfigElement> limitsBySite = new HashMap<>();
        for (ConfigElement site : section(config, ConfigSchema.SITES).collection()) {
            site.attribute("name").ifPresent(name -> site.child("limits").ifPresent(l -> limitsBySite.put(name, l)));
        }
        Map<ListenAddress, List<ConfigElement>> sitesByListener = new LinkedHashMap<>();
        for (SiteConfig site : config.sites()) {
            for (SiteConfig.BindingConfig binding : site.bindings()) {
                String protocol = binding.protocol().toLowerCase(Locale.ROOT);
                if (!protocol.equals("http") && !protocol.equals("https")) {
                    continue;
                }
                String ip = binding.ip().isEmpty() || "*".equals(binding.ip()) ? "*" : binding.ip();
                ListenAddress key = new ListenAddress(protocol, ip, binding.port());
                ConfigElement limits = limitsBySite.get(site.name());
                sitesByListener.computeIfAbsent(key, k -> new ArrayList<>()).add(limits);
            }
        }
        Map<ListenAddress, NettyTransport.ListenerLimits> result = new LinkedHashMap<>();
        for (ListenAddress listener : listeners) {
            List<ConfigElement> sites = sitesByListener.getOrDefault(listener, List.of());
            Duration timeout = Duration.ZERO;
            long maxConnections = 0;
            long maxBandwidth = sites.isEmpty() ? UNLIMITED : 0;
            for (ConfigElement limits : sites) {
                Duration t = limits == null
                        ? settings.connectionTimeout()
                        : positive(
                                limits.timeSpanAttribute("connectionTimeout", settings.connectionTimeout()),
                                settings.connectionTimeout());
                timeout = t.compareTo(timeout) > 0 ? t : timeout;
                long max = limits == null ? UNLIMITED : limits.longAttribute("maxConnections", UNLIMITED);
                maxConnections = sites.size() == 1 && max < UNLIMITED ? max : 0;
                long bandwidth = limits == null ? UNLIMITED : limits.longAttribute("maxBandwidth", UNLIMITED);
                maxBandwidth = Math.max(maxBandwidth, bandwidth);
            }
            result.put(
                    listener,
                    new NettyTransport.ListenerLimits(
                            timeout.isZero() ? settings.connectionTimeout() : timeout,
                            (int) Math.min(Integer.MAX_VALUE, maxConnections),
                            maxBandwidth >= UNLIMITED ? 0 : maxBandwidth));
        }
        return result;
    }

    private static ConfigElement section(ApplicationHostConfig config, String path) {
        Optional<SiteConfig> first = config.sites().stream().findFirst();
        return config.appHostConfig(first.map(SiteConfig::name).orElse(""), "/").section(path);
    }

    private static Duration positive(Duration value, Duration fallback) {
        return value.isZero() || value.isNegative() ? fallback : value;
    }
}
