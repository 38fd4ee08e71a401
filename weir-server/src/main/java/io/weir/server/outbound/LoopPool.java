package io.weir.server.outbound;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.weir.api.outbound.OutboundConnector.PoolSettings;
import io.weir.api.outbound.OutboundFailure;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP connections of one event loop, per backend: idle ones ready for reuse, a count of open
 * ones against the limit, and the exchanges waiting for a connection. Confined to its event loop
 * (no locks).
 */
final class LoopPool {

    private final EventLoop loop;
    private final PoolSettings settings;
    private final Map<PoolKey, AddressPool> pools = new HashMap<>();
    private boolean closed;

    LoopPool(EventLoop loop, PoolSettings settings) {
        this.loop = loop;
        this.settings = settings;
    }

    /** The connections of one backend. */
    private static final class AddressPool {
        final ArrayDeque<HttpClientConnection> idle = new ArrayDeque<>();
        final ArrayDeque<NettyHttpExchange> waiting = new ArrayDeque<>();
        int open;
    }

    /** Gives the exchange a connection: an idle one, a new one, or a place in the queue. */
    void acquire(NettyHttpExchange exchange) {
        if (closed) {
            exchange.fail(
                    new OutboundFailure(OutboundFailure.Kind.CONNECT, "the server is stopping", null, false, false));
            return;
        }
        PoolKey key = exchange.key();
        AddressPool pool = pools.computeIfAbsent(key, k -> new AddressPool());
        HttpClientConnection connection;
        while ((connection = pool.idle.pollFirst()) != null) {
            if (connection.takeFromIdle()) {
                exchange.start(connection, true);
                return;
            }
        }
        if (pool.open < settings.maxConnectionsPerAddress()) {
            open(key, pool, exchange);
        } else {
            pool.waiting.addLast(exchange);
        }
    }

    private void open(PoolKey key, AddressPool pool, NettyHttpExchange exchange) {
        pool.open++;
        HttpClientConnection connection = new HttpClientConnection(this, key);
        HttpDecoderConfig decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(Math.min(key.maxHeaderBytes(), 8192))
                .setMaxHeaderSize(key.maxHeaderBytes())
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true)
                .setMaxChunkSize(64 * 1024)
                .setAllowPartialChunks(true);
        ChannelFuture future =
                ChannelFactory.connect(loop, key.address(), exchange.request().connectTimeout(), ch -> ch.pipeline()
                        .addLast("codec", new BackendResponseCodec(decoder, key.maxHeaderBytes()))
                        .addLast("connection", connection));
        future.addListener(f -> {
            if (f.isSuccess()) {
                exchange.start(connection, false);
            } else {
                Throwable cause = f.cause();
                exchange.fail(new OutboundFailure(
                        OutboundFailure.Kind.CONNECT,
                        "cannot connect to " + key.address() + ": "
                                + (cause == null ? "cancelled" : cause.getMessage()),
                        cause,
                        false,
                        false));
                closed(connection);
            }
        });
    }

    /**
     * An exchange is done with a connection.
     *
     * @param connection the connection
     * @param reusable   true when it may carry another exchange
     */
    void release(HttpClientConnection connection, boolean reusable) {
        AddressPool pool = pools.get(connection.key());
        if (!reusable || closed || pool == null) {
            connection.close();
            return;
        }
        NettyHttpExchange next = pool.waiting.pollFirst();
        if (next != null) {
            next.start(connection, true);
            return;
        }
        if (pool.idle.size() >= settings.maxIdlePerAddress()) {
            connection.close();
            return;
        }
        pool.idle.addFirst(connection);
        connection.parkIdle(loop.schedule(
                () -> {
                    if (pool.idle.remove(connection)) {
                        connection.close();
                    }
                },
                settings.idleTimeout().toMillis(),
                TimeUnit.MILLISECONDS));
    }

    /** A connection closed (or never opened): it no longer counts, and a waiting exchange may open one. */
    void closed(HttpClientConnection connection) {
        AddressPool pool = pools.get(connection.key());
        if (pool == null || !connection.markCounted()) {
            return;
        }
        pool.open--;
        pool.idle.remove(connection);
        NettyHttpExchange next = pool.waiting.pollFirst();
        if (next != null) {
            if (closed) {
                next.fail(new OutboundFailure(
                        OutboundFailure.Kind.CONNECT, "the server is stopping", null, false, false));
            } else {
                open(connection.key(), pool, next);
            }
        }
    }

    /** An exchange left the queue (aborted before it got a connection). */
    void forget(NettyHttpExchange exchange) {
        AddressPool pool = pools.get(exchange.key());
        if (pool != null) {
            pool.waiting.remove(exchange);
        }
    }

    /** Closes every idle connection and refuses new exchanges; on the loop. */
    void close() {
        closed = true;
        for (AddressPool pool : pools.values()) {
            HttpClientConnection c;
            while ((c = pool.idle.pollFirst()) != null) {
                c.close();
            }
            NettyHttpExchange w;
            while ((w = pool.waiting.pollFirst()) != null) {
                w.fail(new OutboundFailure(OutboundFailure.Kind.CONNECT, "the server is stopping", null, false, false));
            }
        }
    }

    /** @return idle plus busy connections to every backend, for tests */
    int openConnections() {
        int n = 0;
        for (AddressPool pool : pools.values()) {
            n += pool.open;
        }
        return n;
    }

    EventLoop loop() {
        return loop;
    }

    Duration idleTimeout() {
        return settings.idleTimeout();
    }
}
