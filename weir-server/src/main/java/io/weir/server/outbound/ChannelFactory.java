package io.weir.server.outbound;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.weir.api.outbound.OutboundAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Opens client channels on a given event loop, with the channel class its I/O handler needs; a
 * {@link OutboundAddress.Tls} channel starts with a TLS client handler ({@link OutboundTls}).
 */
final class ChannelFactory {

    private ChannelFactory() {}

    /**
     * Starts connecting.
     *
     * @param loop           the event loop the channel is registered with
     * @param address        the peer
     * @param connectTimeout the connect timeout
     * @param init           sets up the pipeline
     * @return the connect future
     */
    static ChannelFuture connect(
            EventLoop loop, OutboundAddress address, Duration connectTimeout, Consumer<Channel> init) {
        boolean epoll = loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis())))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        init.accept(ch);
                    }
                });
        SocketAddress remote;
        if (address instanceof OutboundAddress.Tls tls) {
            bootstrap
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline()
                                    .addLast(
                                            "tls",
                                            OutboundTls.context().newHandler(ch.alloc(), tls.host(), tls.port()));
                            init.accept(ch);
                        }
                    });
            remote = InetSocketAddress.createUnresolved(tls.host(), tls.port());
        } else if (address instanceof OutboundAddress.Tcp tcp) {
            bootstrap
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true);
            remote = InetSocketAddress.createUnresolved(tcp.host(), tcp.port());
        } else {
            OutboundAddress.UnixDomain uds = (OutboundAddress.UnixDomain) address;
            if (epoll) {
                bootstrap.channel(EpollDomainSocketChannel.class);
                remote = new DomainSocketAddress(uds.path().toString());
            } else {
                bootstrap.channel(NioDomainSocketChannel.class);
                remote = UnixDomainSocketAddress.of(uds.path());
            }
        }
        return bootstrap.connect(remote);
    }
}
