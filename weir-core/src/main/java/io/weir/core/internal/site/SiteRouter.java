package io.weir.core.internal.site;

import io.weir.config.SiteConfig;
import io.weir.core.ListenAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the site of a request from the local address it arrived on and its Host header, as
 * http.sys does with IIS bindings: a binding naming the exact IP beats a wildcard one, and a binding
 * naming the host beats one for any host. A binding with port 0 (any free port) matches whatever
 * port the listener got.
 */
public final class SiteRouter {

    private static final Logger LOG = LoggerFactory.getLogger(SiteRouter.class);

    private record Route(ServedSite site, InetAddress ip, int port, String host) {}

    private final List<ServedSite> sites = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private final List<ListenAddress> listeners;
    /** True when some binding names a host; otherwise the Host header need not be parsed at all. */
    private final boolean hostNamed;

    /**
     * @param configs every configured site; those with serverAutoStart=false are not served
     */
    public SiteRouter(List<SiteConfig> configs) {
        this(configs, null);
    }

    /**
     * Builds the router of a reloaded configuration. A site with the same id and name as one of
     * {@code previous} keeps that site's module context container, and each of its applications
     * whose definition ({@link ServedApplication#definitionKey()}) is unchanged keeps its
     * application's container, so that state modules keep per site or application survives a
     * reload that does not concern it.
     *
     * @param configs  every configured site; those with serverAutoStart=false are not served
     * @param previous the router being replaced, or null
     */
    public SiteRouter(List<SiteConfig> configs, SiteRouter previous) {
        Set<ListenAddress> distinct = new LinkedHashSet<>();
        for (SiteConfig config : configs) {
            if (!config.serverAutoStart()) {
                continue;
            }
            ServedSite earlier = null;
            if (previous != null) {
                for (ServedSite s : previous.sites) {
                    if (s.siteId() == config.id() && s.siteName().equals(config.name())) {
                        earlier = s;
                        break;
                    }
                }
            }
            ServedSite site = new ServedSite(config, earlier);
            sites.add(site);
            for (SiteConfig.BindingConfig b : config.bindings()) {
                String protocol = b.protocol().toLowerCase(Locale.ROOT);
                if (!protocol.equals("http") && !protocol.equals("https")) {
                    continue;
                }
                InetAddress ip = null;
                if (!b.ip().equals("*") && !b.ip().isEmpty()) {
                    try {
                        ip = InetAddress.getByName(b.ip());
                    } catch (UnknownHostException e) {
                        throw new IllegalArgumentException("binding address " + b.ip() + " (" + b.source() + ")", e);
                    }
                }
                routes.add(new Route(site, ip, b.port(), b.host().toLowerCase(Locale.ROOT)));
                distinct.add(new ListenAddress(protocol, ip == null ? "*" : b.ip(), b.port()));
            }
        }
        this.listeners = List.copyOf(distinct);
        this.hostNamed = routes.stream().anyMatch(r -> !r.host.isEmpty());
    }

    /** @return true when some binding names a host, so {@link #route} needs the Host header */
    public boolean needsHostHeader() {
        return hostNamed;
    }

    /** @return the started sites, in configuration order */
    public List<ServedSite> sites() {
        return sites;
    }

    /** @return the distinct listen addresses */
    public List<ListenAddress> listeners() {
        return listeners;
    }

    /**
     * Finds the site for a request.
     *
     * @param local      the address the connection was accepted on
     * @param hostHeader the Host header (may include a port), or null
     * @return the site, or null when no binding matches (http.sys: 400 Invalid Hostname)
     */
    public ServedSite route(InetSocketAddress local, String hostHeader) {
        String host = hostNamed ? hostName(hostHeader) : "";
        Route best = null;
        int bestScore = -1;
        for (int i = 0, n = routes.size(); i < n; i++) {
            Route r = routes.get(i);
            if (r.port != 0 && r.port != local.getPort()) {
                continue;
            }
            if (r.ip != null && !r.ip.equals(local.getAddress())) {
                continue;
            }
            if (!r.host.isEmpty() && !r.host.equals(host)) {
                continue;
            }
            int score = (r.ip != null ? 2 : 0) + (r.host.isEmpty() ? 0 : 1);
            if (score > bestScore) {
                best = r;
                bestScore = score;
            }
        }
        return best == null ? null : best.site;
    }

    private static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String h = hostHeader.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h.toLowerCase(Locale.ROOT) : h.substring(1, end).toLowerCase(Locale.ROOT);
        }
        int colon = h.indexOf(':');
        return (colon < 0 ? h : h.substring(0, colon)).toLowerCase(Locale.ROOT);
    }

    /**
     * Tells whether {@code prefix} (no trailing '/', "" for the root) covers {@code path} on a
     * segment boundary, ignoring case as IIS does.
     *
     * @param prefix the prefix
     * @param path   the path
     * @return true when covered
     */
    static boolean isPrefix(String prefix, String path) {
        if (prefix.isEmpty()) {
            return true;
        }
        if (!path.regionMatches(true, 0, prefix, 0, prefix.length())) {
            return false;
        }
        return path.length() == prefix.length() || path.charAt(prefix.length()) == '/';
    }
}
