package io.weir.server.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.weir.server.http2.Http2Connections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a TLS connection up for the protocol the client and Weir agreed on by ALPN once the
 * handshake is done: HTTP/2 ({@code h2}) or HTTP/1.1 (also when the client offered no ALPN).
 */
final class AlpnHandler extends ApplicationProtocolNegotiationHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AlpnHandler.class);

    private final NettyTransport transport;

    AlpnHandler(NettyTransport transport) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.transport = transport;
    }

    /**
     * A failed handshake (an unknown server name, a client that does not trust the certificate, a
     * port scan) concerns that connection only: logged at DEBUG, not as a server warning.
     */
    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("TLS connection {} failed before ALPN: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
            Http2Connections.configure(ctx.pipeline(), transport.settings(), transport::newStreamHandler);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        transport.addHttp1Handlers(ctx.pipeline(), true);
        // the HTTP/1.1 handlers came after the connection became active: tell them now
        ctx.fireChannelActive();
    }
}
