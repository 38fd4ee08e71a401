package io.weir.server.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.weir.core.spi.Exchange;
import io.weir.server.http2.CleartextHttp2;
import io.weir.server.http2.Http2Connections;
import io.weir.server.tls.TlsEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP/1.1 transport: event loops, listening sockets and connections, handing each decoded
 * request to a dispatcher as an {@link Exchange}. Internal to weir-server (public only so that
 * {@code io.weir.server.WeirServer} can use it across packages). Thread-safe.
 */
public final class NettyTransport {

    /**
     * The limits of one listening socket, from the site bound to it: IIS's {@code limits@connectionTimeout},
     * {@code limits@maxConnections} and {@code limits@maxBandwidth}.
     *
     * @param connectionTimeout how long a connection of this listener may wait for a request
     * @param maxConnections    the most connections open at once on this listener; 0 for no cap
     * @param maxBandwidth      the most response bytes per second all connections of this listener
     *                          send together; 0 for no limit
     */
    public record ListenerLimits(Duration connectionTimeout, int maxConnections, long maxBandwidth) {

        /**
         * Limits without a bandwidth limit.
         *
         * @param connectionTimeout how long a connection of this listener may wait for a request
         * @param maxConnections    the most connections open at once on this listener; 0 for no cap
         */
        public ListenerLimits(Duration connectionTimeout, int maxConnections) {
            this(connectionTimeout, maxConnections, 0);
        }
    }

    /** A listener's limits (replaced on reload), its bandwidth shaper and its open connections. */
    static final class ListenerState {
        volatile ListenerLimits limits;
        volatile GlobalTrafficShapingHandler shaper;
        final AtomicInteger open = new AtomicInteger();

        ListenerState(ListenerLimits limits, GlobalTrafficShapingHandler shaper) {
            this.limits = limits;
            this.shaper = shaper;
        }
    }

    private static final AttributeKey<ListenerState> LISTENER = AttributeKey.valueOf(NettyTransport.class, "listener");

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

    private final Consumer<Exchange> dispatcher;
    private final TransportSettings settings;
    private final EventLoopGroup bossGroup;
    /** One rate-floor check per event loop (see {@link RateFloorSweep}). */
    private final Map<EventExecutor, RateFloorSweep> rateFloorSweeps = new ConcurrentHashMap<>();

    private final EventLoopGroup workerGroup;
    private final Class<? extends ServerChannel> serverChannelClass;
    private final ChannelGroup connections = new DefaultChannelGroup("weir-connections", GlobalEventExecutor.INSTANCE);
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger exchangesInFlight = new AtomicInteger();
    private final AtomicLong refusedConnections = new AtomicLong();
    private final BandwidthThrottle throttle;
    private volatile boolean draining;

    /**
     * Creates the event loops (the socket I/O {@link NativeTransport} picks: the system property
     * {@code weir.transport}, else epoll, io_uring or NIO, the first that loads; one acceptor thread,
     * one worker per core). Nothing listens until {@link #bind}.
     *
     * @param dispatcher called on a connection's event loop with each complete request
     * @param settings   the limits
     * @throws IllegalArgumentException when {@code weir.transport} names a transport that cannot run here
     */
    public NettyTransport(Consumer<Exchange> dispatcher, TransportSettings settings) {
        this.dispatcher = dispatcher;
        this.settings = settings;
        NativeTransport io = NativeTransport.select(System.getProperty(NativeTransport.PROPERTY));
        IoHandlerFactory factory = io.ioHandlerFactory();
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, factory);
        this.workerGroup = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), factory);
        this.serverChannelClass = io.serverChannelClass();
        this.throttle = new BandwidthThrottle(workerGroup.next());
        LOG.debug("transport uses {}", io.label());
    }

    /**
     * Listens on an address. Blocks until bound; not to be called on an event loop.
     *
     * @param ip   "*" for every address (dual-stack wildcard), else a literal address
     * @param port the port, 0 for any free port
     * @return the address actually bound (port resolved)
     * @throws IOException naming the address when it cannot be bound
     */
    public InetSocketAddress bind(String ip, int port) throws IOException {
        return bind(ip, port, new ListenerLimits(settings.connectionTimeout(), 0), null, false);
    }

    /**
     * Listens on an address with the limits of the site bound to it. Blocks until bound; not to be
     * called on an event loop.
     *
     * @param ip     "*" for every address (dual-stack wildcard), else a literal address
     * @param port   the port, 0 for any free port
     * @param limits the listener's limits
     * @return the address actually bound (port resolved)
     * @throws IOException naming the address when it cannot be bound
     */
    public InetSocketAddress bind(String ip, int port, ListenerLimits limits) throws IOException {
        return bind(ip, port, limits, null, false);
    }

    /**
     * Listens on an address with the limits of the site bound to it, with TLS (and HTTP/2 by ALPN)
     * when {@code tls} is given, or HTTP/2 in cleartext beside HTTP/1.1 when {@code h2c} is set.
     * Blocks until bound; not to be called on an event loop.
     *
     * @param ip     "*" for every address (dual-stack wildcard), else a literal address
     * @param port   the port, 0 for any free port
     * @param limits the listener's limits
     * @param tls    the listener's certificates (read for each new connection, so that a reload can
     *               replace them), or null for plain HTTP
     * @param h2c    on a plain listener, also accept HTTP/2 by prior knowledge
     * @return the address actually bound (port resolved)
     * @throws IOException naming the address when it cannot be bound
     */
    public InetSocketAddress bind(String ip, int port, ListenerLimits limits, Supplier<TlsEndpoint> tls, boolean h2c)
            throws IOException {
        ListenerState state = new ListenerState(limits, throttle.siteShaper(null, limits.maxBandwidth()));
        InetSocketAddress address;
        try {
            address = "*".equals(ip)
                    ? new InetSocketAddress(port)
                    : new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (IOException e) {
            throw new IOException("cannot bind " + ip + ":" + port + ": " + e.getMessage(), e);
        }
        HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxRequestBytes())
                .setMaxHeaderSize(settings.maxRequestBytes())
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(serverChannelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .attr(LISTENER, state)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        int cap = settings.maxConnections();
                        int siteCap = state.limits.maxConnections();
                        if (cap > 0 && connections.size() >= cap || siteCap > 0 && state.open.get() >= siteCap) {
                            // refused early, before any buffer is allocated, instead of degrading every connection
                            refusedConnections.incrementAndGet();
                            HttpErrLog.log(ch, null, null, null, 0, "ConnLimit");
                            ch.config().setOption(ChannelOption.SO_LINGER, 0);
                            ch.close();
                            return;
                        }
                        connections.add(ch);
                        state.open.incrementAndGet();
                        ch.closeFuture().addListener(f -> state.open.decrementAndGet());
                        boolean shaped = throttle.install(ch, state.shaper);
                        if (tls != null) {
                            // reads until ALPN has chosen the protocol; then the protocol's handlers take over
                            ch.config().setAutoRead(true);
                            ch.pipeline()
                                    .addLast("sni", tls.get().newSniHandler())
                                    .addLast("alpn", new AlpnHandler(NettyTransport.this));
                            return;
                        }
                        if (h2c) {
                            ch.pipeline()
                                    .addLast(
                                            "h2c",
                                            new CleartextHttp2(
                                                    NettyTransport.this::newStreamHandler,
                                                    settings,
                                                    p -> addHttp1Handlers(p, shaped)));
                            return;
                        }
                        if (shaped) {
                            // files go through the process in chunks, so the shaper meters them as they go
                            ch.pipeline()
                                    .addLast("chunked", new ChunkedWriteHandler())
                                    .addLast("file", FileRegionChunks.BYTES);
                        }
                        ch.pipeline()
                                .addLast("decoder", new RequestDecoder(decoderConfig.clone(), settings))
                                .addLast("encoder", new HttpResponseEncoder())
                                .addLast("connection", new HttpConnectionHandler(NettyTransport.this));
                    }
                });
        ChannelFuture future = bootstrap.bind(address).awaitUninterruptibly();
        if (!future.isSuccess()) {
            Throwable cause = future.cause();
            throw new IOException("cannot bind " + ip + ":" + port + ": " + cause.getMessage(), cause);
        }
        Channel channel = future.channel();
        listeners.add(channel);
        InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
        LOG.info(
                "listening on {}://{}:{}/{}",
                tls == null ? "http" : "https",
                ip.contains(":") ? "[" + ip + "]" : ip,
                bound.getPort(),
                tls == null
                        ? (h2c ? " (HTTP/1.1 and h2c)" : "")
                        : " (" + tls.get().provider() + ", ALPN h2 and http/1.1)");
        return bound;
    }

    /**
     * Appends the HTTP/1.1 handlers to a connection's pipeline (after TLS and ALPN chose HTTP/1.1,
     * or after a cleartext connection turned out not to be HTTP/2). The caller fires
     * {@code channelActive} through them when the connection is already active.
     *
     * @param pipeline the connection's pipeline
     * @param tls      whether files pass through the process in chunks (under TLS, or when the
     *                 connection's bandwidth is throttled)
     */
    public void addHttp1Handlers(ChannelPipeline pipeline, boolean tls) {
        if (tls) {
            pipeline.addLast("chunked", new ChunkedWriteHandler()).addLast("file", FileRegionChunks.BYTES);
        }
        pipeline.addLast("decoder", new RequestDecoder(decoderConfig(), settings))
                .addLast("encoder", new HttpResponseEncoder())
                .addLast("connection", new HttpConnectionHandler(this));
    }

    /**
     * Creates the handler an HTTP/2 stream's requests go to (the same as an HTTP/1.1
     * connection's).
     *
     * @return a new handler
     */
    public ChannelHandler newStreamHandler() {
        return new HttpConnectionHandler(this);
    }

    private HttpDecoderConfig decoderConfig() {
        return new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxRequestBytes())
                .setMaxHeaderSize(settings.maxRequestBytes())
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
    }

    /**
     * Closes the listening socket bound to an address; connections accepted on it stay open.
     * Blocks until closed.
     *
     * @param address an address returned by {@link #bind}
     * @return true when such a socket was listening
     */
    public boolean unbind(InetSocketAddress address) {
        for (Channel listener : listeners) {
            if (address.equals(listener.localAddress())) {
                listener.close().awaitUninterruptibly();
                listeners.remove(listener);
                LOG.info("stopped listening on {}", address);
                return true;
            }
        }
        return false;
    }

    /**
     * Replaces the limits of a listening socket (after a configuration reload); connections already
     * open take the new connection timeout from their next wait on.
     *
     * @param address an address returned by {@link #bind}
     * @param limits  the new limits
     * @return true when such a socket was listening
     */
    public boolean updateLimits(InetSocketAddress address, ListenerLimits limits) {
        for (Channel listener : listeners) {
            if (address.equals(listener.localAddress())) {
                ListenerState state = listener.attr(LISTENER).get();
                state.limits = limits;
                state.shaper = throttle.siteShaper(state.shaper, limits.maxBandwidth());
                return true;
            }
        }
        return false;
    }

    /** Closes every listening socket; open connections stay. Blocks until closed. */
    public void stopAccepting() {
        for (Channel listener : listeners) {
            listener.close().awaitUninterruptibly();
        }
        listeners.clear();
    }

    /**
     * Enters drain mode: every later response carries {@code Connection: close}, and connections
     * with nothing in flight are closed now; an HTTP/2 connection gets GOAWAY(NO_ERROR) naming
     * the last stream it will serve, and its streams in flight finish. Callable from any thread;
     * does not wait.
     */
    public void beginDrain() {
        draining = true;
        for (Channel channel : connections) {
            channel.eventLoop().execute(() -> {
                if (Http2Connections.goAway(channel)) {
                    return;
                }
                HttpConnectionHandler handler = channel.pipeline().get(HttpConnectionHandler.class);
                if (handler != null) {
                    handler.closeIfIdle();
                }
            });
        }
    }

    /**
     * Sets IIS's {@code webLimits@maxGlobalBandwidth}: the most response bytes per second all
     * connections send together. Connections opened from then on are throttled; changing a limit
     * already set applies to open connections too. Callable from any thread.
     *
     * @param bytesPerSecond the limit; 0 for none
     */
    public void maxGlobalBandwidth(long bytesPerSecond) {
        throttle.maxGlobalBandwidth(bytesPerSecond);
    }

    /**
     * Returns how many connections were closed on arrival because the server-wide cap
     * ({@link TransportSettings#maxConnections()}) was reached.
     *
     * @return the count since the transport started; callable from any thread
     */
    public long refusedConnections() {
        return refusedConnections.get();
    }

    /**
     * Returns the number of exchanges dispatched whose response has not been written to the socket
     * entirely (a response handed to the transport but still being sent counts).
     *
     * @return the count; callable from any thread
     */
    public int exchangesInFlight() {
        return exchangesInFlight.get();
    }

    /** @return the number of open connections; callable from any thread */
    public int openConnections() {
        return connections.size();
    }

    /**
     * Closes every connection at once, in flight or not. Blocks up to {@code waitMillis} for them to
     * close.
     *
     * @param waitMillis the longest wait in milliseconds
     */
    public void closeConnections(long waitMillis) {
        connections.close().awaitUninterruptibly(waitMillis);
    }

    /** Shuts the event loops down and waits (a few seconds at most) for their threads to end. Idempotent. */
    public void shutdown() {
        stopAccepting();
        closeConnections(2000);
        throttle.release();
        var boss = bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        var workers = workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        boss.awaitUninterruptibly(5000);
        workers.awaitUninterruptibly(5000);
    }

    /** @return the limits of the listener a connection was accepted on */
    static ListenerLimits limitsOf(Channel connection) {
        Channel parent = connection.parent();
        ListenerState state = parent == null ? null : parent.attr(LISTENER).get();
        return state == null ? null : state.limits;
    }

    Consumer<Exchange> dispatcher() {
        return dispatcher;
    }

    /** @return the limits */
    public TransportSettings settings() {
        return settings;
    }

    private final AtomicLong entityHighWater = new AtomicLong();

    boolean draining() {
        return draining;
    }

    /** Notes how many request-entity bytes one connection holds unread, for the high-water mark. */
    void noteEntityBuffered(long bytes) {
        if (bytes > entityHighWater.get()) {
            entityHighWater.accumulateAndGet(bytes, Math::max);
        }
    }

    /**
     * Returns the worker event loops, on which requests run; the outbound connector registers its
     * client channels there.
     *
     * @return the worker group
     */
    public EventLoopGroup workerGroup() {
        return workerGroup;
    }

    /**
     * Returns the most request-entity bytes any one connection has held received but not yet read by
     * the engine since the transport started: with back-pressure this stays near
     * {@link NettyRequestBody#BUFFER_BOUND} (64 KiB) plus one socket read, however large the bodies.
     * For tests and monitoring.
     *
     * @return the high-water mark in bytes
     */
    public long requestEntityHighWaterBytes() {
        return entityHighWater.get();
    }

    void exchangeStarted() {
        exchangesInFlight.incrementAndGet();
    }

    /**
     * @param executor a connection's event loop
     * @return the loop's rate-floor check, made on first use
     */
    RateFloorSweep rateFloorSweep(EventExecutor executor) {
        return rateFloorSweeps.computeIfAbsent(executor, RateFloorSweep::new);
    }

    void exchangeEnded() {
        exchangesInFlight.decrementAndGet();
    }
}
