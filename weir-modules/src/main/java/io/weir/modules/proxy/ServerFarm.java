package io.weir.modules.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The live state of one web farm: its servers (kept across configuration changes by address, so
 * counters and health survive a reload) and the choice of a server for a request by the farm's
 * load-balancing algorithm. Thread-safe.
 */
public final class ServerFarm {

    private final String name;
    private volatile WebFarmsSection.Farm config;
    private final Map<String, FarmServer> servers = new LinkedHashMap<>();

    ServerFarm(WebFarmsSection.Farm config) {
        this.name = config.name();
        update(config);
    }

    /** Applies the farm's current configuration; servers no longer listed are dropped. */
    synchronized void update(WebFarmsSection.Farm farm) {
        if (farm == config) {
            return;
        }
        config = farm;
        Map<String, FarmServer> kept = new LinkedHashMap<>();
        for (WebFarmsSection.Server s : farm.servers()) {
            String key = s.address().toLowerCase(Locale.ROOT);
            FarmServer server = servers.get(key);
            if (server == null) {
                server = new FarmServer(s);
            } else {
                server.update(s);
            }
            kept.put(key, server);
        }
        servers.clear();
        servers.putAll(kept);
    }

    /** @return the farm's name */
    public String name() {
        return name;
    }

    /** @return the configuration the farm runs with */
    public WebFarmsSection.Farm config() {
        return config;
    }

    /** @return the servers, in configuration order */
    public synchronized List<FarmServer> servers() {
        return List.copyOf(servers.values());
    }

    /**
     * Finds a server by the value of an affinity cookie.
     *
     * @param address the cookie's value
     * @return the server when it is available, else null
     */
    synchronized FarmServer byAffinity(String address) {
        FarmServer s = servers.get(address.toLowerCase(Locale.ROOT));
        return s != null && s.available() ? s : null;
    }

    /**
     * Chooses a server for a request.
     *
     * @param hashKey  the text hashed by RequestHash
     * @param excluded servers already tried for this request
     * @return the server, or null when none is available (ARR's 502.4)
     */
    synchronized FarmServer choose(String hashKey, Set<FarmServer> excluded) {
        WebFarmsSection.Farm farm = config;
        if (!farm.enabled()) {
            return null;
        }
        List<FarmServer> candidates = new ArrayList<>();
        for (FarmServer s : servers.values()) {
            if (s.available() && !excluded.contains(s)) {
                candidates.add(s);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        switch (farm.loadBalancing().algorithm()) {
            case LEAST_REQUESTS: {
                FarmServer best = candidates.get(0);
                for (FarmServer s : candidates) {
                    if (s.inFlight() * (long) best.weight() < best.inFlight() * (long) s.weight()) {
                        best = s;
                    }
                }
                return best;
            }
            case LEAST_RESPONSE_TIME: {
                FarmServer best = candidates.get(0);
                for (FarmServer s : candidates) {
                    if (s.averageResponseMicros() < best.averageResponseMicros()) {
                        best = s;
                    }
                }
                return best;
            }
            case REQUEST_HASH: {
                // the same key goes to the same server while the set of servers is unchanged
                List<FarmServer> all = new ArrayList<>(servers.values());
                int index = Math.floorMod(hashKey.hashCode() * 0x9E3779B1, all.size());
                for (int i = 0; i < all.size(); i++) {
                    FarmServer s = all.get((index + i) % all.size());
                    if (candidates.contains(s)) {
                        return s;
                    }
                }
                return candidates.get(0);
            }
            default: {
                // smooth weighted round robin: each pick adds every weight, takes the largest, subtracts the total
                int total = 0;
                FarmServer best = null;
                for (FarmServer s : candidates) {
                    int w = Math.max(0, s.weight());
                    s.currentWeight += w;
                    total += w;
                    if (best == null || s.currentWeight > best.currentWeight) {
                        best = s;
                    }
                }
                best.currentWeight -= total;
                return best;
            }
        }
    }
}
