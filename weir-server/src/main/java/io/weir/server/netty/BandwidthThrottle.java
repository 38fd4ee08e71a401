package io.weir.server.netty;

import io.netty.channel.Channel;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/**
 * IIS's bandwidth throttling of what the server sends, with Netty's traffic shaping: the
 * server-wide {@code webLimits@maxGlobalBandwidth} and each site's {@code limits@maxBandwidth}, in
 * bytes per second. Each limit is one {@link GlobalTrafficShapingHandler} shared by every connection
 * it covers (all connections, or those of one listener), placed nearest the socket, so that
 * response bytes (encrypted ones under TLS) leave at most at that rate in total, as http.sys's
 * bandwidth throttling spreads one budget over a site's connections. Only sending is throttled;
 * reading is not. A limit of 0 (IIS's 4294967295, "unlimited") adds no handler to new
 * connections; changing a limit reconfigures the shared handler, so open connections take the new
 * rate. Thread-safe.
 */
final class BandwidthThrottle {

    /** How often the shapers recompute their budgets, in milliseconds (Netty's default). */
    private static final long CHECK_INTERVAL_MILLIS = 1000;

    private final ScheduledExecutorService timer;
    private final GlobalTrafficShapingHandler global;
    /** Every listener shaper made, stopped by {@link #release()} (connections may outlive their listener). */
    private final List<GlobalTrafficShapingHandler> sites = new CopyOnWriteArrayList<>();

    /**
     * Creates the server-wide throttle, unlimited until {@link #maxGlobalBandwidth} sets a limit.
     *
     * @param timer the executor the shapers' counters tick on
     */
    BandwidthThrottle(ScheduledExecutorService timer) {
        this.timer = timer;
        this.global = new GlobalTrafficShapingHandler(timer, 0, 0, CHECK_INTERVAL_MILLIS);
    }

    /**
     * Sets the server-wide limit; connections open before a limit was first set stay unthrottled.
     *
     * @param bytesPerSecond the limit; 0 for none
     */
    void maxGlobalBandwidth(long bytesPerSecond) {
        global.configure(bytesPerSecond, 0);
    }

    /**
     * Returns the shaper of one listener (one site's connections), configured with a limit.
     *
     * @param current the listener's shaper so far, or null
     * @param bytesPerSecond the site's limit, 0 for none
     * @return the shaper to keep for the listener: {@code current} reconfigured, a new one when a
     *     first limit is set, or null when there is no limit and was no shaper
     */
    GlobalTrafficShapingHandler siteShaper(GlobalTrafficShapingHandler current, long bytesPerSecond) {
        if (current != null) {
            current.configure(bytesPerSecond, 0);
            return current;
        }
        if (bytesPerSecond <= 0) {
            return null;
        }
        GlobalTrafficShapingHandler shaper =
                new GlobalTrafficShapingHandler(timer, bytesPerSecond, 0, CHECK_INTERVAL_MILLIS);
        sites.add(shaper);
        return shaper;
    }

    /**
     * Adds the shapers that apply to a new connection at the front of its pipeline (nearest the
     * socket). Call before any other handler is added.
     *
     * @param connection the new connection
     * @param site       its listener's shaper, or null
     * @return true when the connection is throttled: the caller then sends files as chunks through
     *     the process, so that the shaper meters them as they go instead of as one large message
     */
    boolean install(Channel connection, GlobalTrafficShapingHandler site) {
        boolean shaped = false;
        if (global.getWriteLimit() > 0) {
            connection.pipeline().addLast("bandwidth-global", global);
            shaped = true;
        }
        if (site != null && site.getWriteLimit() > 0) {
            connection.pipeline().addLast("bandwidth-site", site);
            shaped = true;
        }
        return shaped;
    }

    /** Stops every shaper's counter, when the transport shuts down. */
    void release() {
        global.release();
        for (GlobalTrafficShapingHandler site : sites) {
            site.release();
        }
    }
}
