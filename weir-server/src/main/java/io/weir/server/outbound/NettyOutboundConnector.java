package io.weir.server.outbound;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import io.weir.api.outbound.OutboundAddress;
import io.weir.api.outbound.OutboundConnector;
import io.weir.api.outbound.OutboundHttpExchange;
import io.weir.api.outbound.OutboundHttpListener;
import io.weir.api.outbound.OutboundHttpRequest;
import io.weir.api.outbound.OutboundStreamListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The {@link OutboundConnector} of a running server: client channels are registered with the
 * event loop of the calling request (found from the current thread), so a module's callbacks and
 * the request's pipeline share one thread and no data crosses threads. Each event loop has its
 * own {@link LoopPool}; pools are never shared between loops.
 */
public final class NettyOutboundConnector implements OutboundConnector {

    /** The pool limits used unless a caller sets others: 256 connections and 64 idle per loop and backend, 120 s idle. */
    public static final PoolSettings DEFAULT_POOL = new PoolSettings(256, 64, Duration.ofSeconds(120));

    private final EventLoopGroup group;
    private final PoolSettings settings;
    private final Map<EventLoop, LoopPool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * Creates the connector over the server's worker event loops.
     *
     * @param group    the worker event loops (those that run requests)
     * @param settings the pool limits
     */
    public NettyOutboundConnector(EventLoopGroup group, PoolSettings settings) {
        this.group = group;
        this.settings = settings;
    }

    private EventLoop currentLoop() {
        EventExecutor current = ThreadExecutorMap.currentExecutor();
        if (current instanceof EventLoop loop) {
            for (EventExecutor member : group) {
                if (member == loop) {
                    return loop;
                }
            }
        }
        return group.next();
    }

    private LoopPool pool(EventLoop loop) {
        return pools.computeIfAbsent(loop, l -> new LoopPool(l, settings));
    }

    @Override
    public OutboundHttpExchange exchange(
            OutboundAddress address, OutboundHttpRequest request, OutboundHttpListener listener) {
        if (closed) {
            throw new IllegalStateException("the server is stopping");
        }
        EventLoop loop = currentLoop();
        LoopPool pool = pool(loop);
        NettyHttpExchange exchange =
                new NettyHttpExchange(pool, new PoolKey(address, request.maxResponseHeaderBytes()), request, listener);
        if (loop.inEventLoop()) {
            pool.acquire(exchange);
        } else {
            loop.execute(() -> pool.acquire(exchange));
        }
        return exchange;
    }

    @Override
    public void openStream(OutboundAddress address, Duration connectTimeout, OutboundStreamListener listener) {
        if (closed) {
            throw new IllegalStateException("the server is stopping");
        }
        EventLoop loop = currentLoop();
        if (loop.inEventLoop()) {
            NettyOutboundStream.open(loop, address, connectTimeout, listener);
        } else {
            loop.execute(() -> NettyOutboundStream.open(loop, address, connectTimeout, listener));
        }
    }

    @Override
    public PoolSettings poolSettings() {
        return settings;
    }

    /**
     * Counts the connections open to backends (busy and idle) on every event loop; for tests and
     * monitoring. Reads each loop's count on that loop.
     *
     * @return the count
     */
    public int openConnections() {
        int total = 0;
        for (LoopPool pool : pools.values()) {
            try {
                total += pool.loop().submit(pool::openConnections).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return total;
    }

    /** Refuses new exchanges and closes the idle connections; busy ones end with their exchanges. */
    public void close() {
        closed = true;
        for (LoopPool pool : pools.values()) {
            if (!pool.loop().isShuttingDown()) {
                pool.loop().execute(pool::close);
            }
        }
    }
}
