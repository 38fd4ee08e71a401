package io.weir.modules.proxy;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.config.ConfigSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code webFarms} section of applicationHost.config (Application Request Routing's server
 * farms) as the reverse proxy uses it; bound once per configuration.
 *
 * @param farms the farms by lower-cased name, in file order
 */
public record WebFarmsSection(Map<String, Farm> farms) {

    /** Binds {@code webFarms}; keep this one instance. */
    public static final ConfigSectionType<WebFarmsSection> SECTION =
            ConfigSectionType.of("webFarms", WebFarmsSection::from);

    /**
     * Copies the map.
     *
     * @param farms the farms
     */
    public WebFarmsSection {
        farms = Collections.unmodifiableMap(new LinkedHashMap<>(farms));
    }

    /**
     * Finds a farm by name, without regard to case (a rewrite to {@code http://NAME/...}).
     *
     * @param name the host of a target URL
     * @return the farm, or empty when none has that name
     */
    public Optional<Farm> farm(String name) {
        return Optional.ofNullable(farms.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * Binds the merged section.
     *
     * @param section the merged {@code webFarms} element
     * @return the record
     * @throws ConfigException when a value is out of range
     */
    public static WebFarmsSection from(ConfigElement section) {
        Map<String, Farm> farms = new LinkedHashMap<>();
        for (ConfigElement farm : section.collection()) {
            String name = farm.attribute("name").orElse("").strip();
            List<Server> servers = new ArrayList<>();
            for (ConfigElement server : farm.collection()) {
                Optional<ConfigElement> arr = server.child("applicationRequestRouting");
                servers.add(new Server(
                        server.attribute("address").orElse("").strip(),
                        server.booleanAttribute("enabled", true),
                        arr.map(a -> (int) a.longAttribute("httpPort", 80)).orElse(80),
                        arr.map(a -> (int) a.longAttribute("httpsPort", 443)).orElse(443),
                        arr.map(a -> (int) a.longAttribute("weight", 100)).orElse(100)));
            }
            Optional<ConfigElement> arr = farm.child("applicationRequestRouting");
            Optional<ConfigElement> health = arr.flatMap(a -> a.child("healthCheck"));
            Optional<ConfigElement> balancing = arr.flatMap(a -> a.child("loadBalancing"));
            Optional<ConfigElement> affinity = arr.flatMap(a -> a.child("affinity"));
            HealthCheck check = new HealthCheck(
                    health.flatMap(h -> h.attribute("url")).orElse("").strip(),
                    health.map(h -> h.timeSpanAttribute("interval", Duration.ofSeconds(30)))
                            .orElse(Duration.ofSeconds(30)),
                    health.map(h -> h.timeSpanAttribute("timeout", Duration.ofSeconds(30)))
                            .orElse(Duration.ofSeconds(30)),
                    health.flatMap(h -> h.attribute("responseMatch")).orElse(""),
                    StatusRanges.parse(
                            health.flatMap(h -> h.attribute("statusCodeMatch")).orElse("200-399"),
                            health.map(ConfigElement::source).orElse(section.source())));
            LoadBalancing lb = new LoadBalancing(
                    balancing
                            .map(b -> b.enumAttribute("algorithm", Algorithm.class, Algorithm.WEIGHTED_ROUND_ROBIN))
                            .orElse(Algorithm.WEIGHTED_ROUND_ROBIN),
                    balancing
                            .flatMap(b -> b.attribute("hashServerVariable"))
                            .orElse("")
                            .strip(),
                    balancing
                            .flatMap(b -> b.attribute("queryStringNames"))
                            .orElse("")
                            .strip());
            Affinity aff = new Affinity(
                    affinity.map(a -> a.booleanAttribute("useCookie", false)).orElse(false),
                    affinity.flatMap(a -> a.attribute("cookieName"))
                            .orElse("ARRAffinity")
                            .strip());
            farms.put(
                    name.toLowerCase(Locale.ROOT),
                    new Farm(name, farm.booleanAttribute("enabled", true), List.copyOf(servers), check, lb, aff));
        }
        return new WebFarmsSection(farms);
    }

    /**
     * One {@code <webFarm>}.
     *
     * @param name          the farm's name (the host of the rewrite URLs that route to it)
     * @param enabled       {@code enabled}: a disabled farm has no server available (502.4)
     * @param servers       its servers, in file order
     * @param healthCheck   {@code applicationRequestRouting/healthCheck}
     * @param loadBalancing {@code applicationRequestRouting/loadBalancing}
     * @param affinity      {@code applicationRequestRouting/affinity}
     */
    public record Farm(
            String name,
            boolean enabled,
            List<Server> servers,
            HealthCheck healthCheck,
            LoadBalancing loadBalancing,
            Affinity affinity) {}

    /**
     * One {@code <server>} of a farm.
     *
     * @param address  the host name or address
     * @param enabled  {@code enabled}: false drains the server (no new requests; its requests finish)
     * @param httpPort  {@code applicationRequestRouting@httpPort}, default 80
     * @param httpsPort {@code applicationRequestRouting@httpsPort}, default 443: the port of an
     *                  {@code https://} route to the farm
     * @param weight    {@code applicationRequestRouting@weight}, default 100
     */
    public record Server(String address, boolean enabled, int httpPort, int httpsPort, int weight) {}

    /**
     * {@code healthCheck}: a URL each server is asked for every {@code interval}; a server that
     * fails it is taken out until it passes again.
     *
     * @param url             the URL (its host is replaced by each server's address); empty for no check
     * @param interval        how often
     * @param timeout         how long one check may take
     * @param responseMatch   text the response entity must contain; empty for any
     * @param statusCodeMatch the statuses that count as healthy, as {@code "200-399"} or {@code "200,204"}
     */
    public record HealthCheck(
            String url, Duration interval, Duration timeout, String responseMatch, StatusRanges statusCodeMatch) {}

    /**
     * {@code loadBalancing}.
     *
     * @param algorithm          how a server is chosen
     * @param hashServerVariable for RequestHash: the server variable hashed (empty: the URL)
     * @param queryStringNames   for RequestHash: the query-string parameters hashed, comma-separated
     */
    public record LoadBalancing(Algorithm algorithm, String hashServerVariable, String queryStringNames) {}

    /**
     * {@code affinity}: client affinity by cookie.
     *
     * @param useCookie  true to send clients back to the server that served them first
     * @param cookieName the cookie's name, default {@code ARRAffinity}
     */
    public record Affinity(boolean useCookie, String cookieName) {}

    /** ARR's load-balancing algorithms. */
    public enum Algorithm {
        /** {@code WeightedRoundRobin}: in turn, in proportion to the weights. */
        WEIGHTED_ROUND_ROBIN,
        /** {@code LeastRequests}: the server with the fewest requests in flight. */
        LEAST_REQUESTS,
        /** {@code LeastResponseTime}: the server with the shortest recent response time. */
        LEAST_RESPONSE_TIME,
        /** {@code WeightedTotalTraffic}: accepted and treated as WeightedRoundRobin. */
        WEIGHTED_TOTAL_TRAFFIC,
        /** {@code RequestHash}: a hash of the URL (or a server variable, or query parameters). */
        REQUEST_HASH
    }

    /**
     * Status-code ranges as written in {@code statusCodeMatch}.
     *
     * @param ranges pairs of inclusive bounds
     */
    public record StatusRanges(List<int[]> ranges) {

        /**
         * Tells whether a status is in one of the ranges.
         *
         * @param status the status code
         * @return true when it matches
         */
        public boolean matches(int status) {
            for (int[] r : ranges) {
                if (status >= r[0] && status <= r[1]) {
                    return true;
                }
            }
            return false;
        }

        static StatusRanges parse(String text, ConfigSource source) {
            List<int[]> ranges = new ArrayList<>();
            for (String part : text.split(",")) {
                String p = part.strip();
                if (p.isEmpty()) {
                    continue;
                }
                try {
                    int dash = p.indexOf('-');
                    int lo = Integer.parseInt((dash < 0 ? p : p.substring(0, dash)).strip());
                    int hi = dash < 0
                            ? lo
                            : Integer.parseInt(p.substring(dash + 1).strip());
                    ranges.add(new int[] {lo, hi});
                } catch (NumberFormatException e) {
                    throw new ConfigException(
                            source, "statusCodeMatch '" + text + "' is not a list of status codes or ranges");
                }
            }
            return new StatusRanges(List.copyOf(ranges));
        }
    }
}
