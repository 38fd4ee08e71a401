package io.weir.modules.fastcgi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a FastCGI application listens: a Unix domain socket or a TCP address, opened with the
 * JDK's {@link SocketChannel} in blocking mode (on virtual threads, which park rather than hold a
 * carrier thread while they wait).
 *
 * @param address a {@link UnixDomainSocketAddress} or an {@link InetSocketAddress}
 */
public record FastCgiEndpoint(SocketAddress address) {

    /**
     * Parses Weir's external forms of {@code scriptProcessor}: {@code unix:/path/to.sock} or
     * {@code tcp://host:port}.
     *
     * @param scriptProcessor the handler's {@code scriptProcessor}
     * @return the endpoint, or null when the value is not one of these forms (it then names an
     *         executable of the {@code fastCgi} section)
     * @throws IllegalArgumentException if it starts with {@code tcp://} but has no valid port
     */
    public static FastCgiEndpoint parseExternal(String scriptProcessor) {
        String lower = scriptProcessor.toLowerCase(Locale.ROOT);
        if (lower.startsWith("unix:")) {
            return new FastCgiEndpoint(UnixDomainSocketAddress.of(scriptProcessor.substring(5)));
        }
        if (lower.startsWith("tcp://")) {
            String hostPort = scriptProcessor.substring(6);
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("scriptProcessor '" + scriptProcessor + "' needs tcp://host:port");
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("scriptProcessor '" + scriptProcessor + "' has no valid port", e);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("scriptProcessor '" + scriptProcessor + "' has no valid port");
            }
            return new FastCgiEndpoint(InetSocketAddress.createUnresolved(host, port));
        }
        return null;
    }

    /**
     * Returns the endpoint of a Unix domain socket.
     *
     * @param socket the socket file
     * @return the endpoint
     */
    public static FastCgiEndpoint unix(Path socket) {
        return new FastCgiEndpoint(UnixDomainSocketAddress.of(socket));
    }

    /**
     * Connects, blocking the calling (virtual) thread.
     *
     * @return the open connection
     * @throws IOException if nothing accepts at the address
     */
    public FastCgiConnection connect() throws IOException {
        SocketChannel channel;
        if (address instanceof UnixDomainSocketAddress) {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(address);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        } else {
            InetSocketAddress inet = (InetSocketAddress) address;
            InetSocketAddress resolved =
                    inet.isUnresolved() ? new InetSocketAddress(inet.getHostString(), inet.getPort()) : inet;
            channel = SocketChannel.open(resolved);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return new ChannelConnection(channel);
    }

    /**
     * Prints the address as {@code unix:/path} or {@code tcp://host:port}.
     *
     * @return the printed form
     */
    @Override
    public String toString() {
        if (address instanceof UnixDomainSocketAddress unix) {
            return "unix:" + unix.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        return "tcp://" + inet.getHostString() + ":" + inet.getPort();
    }

    /** A {@link FastCgiConnection} over a blocking {@link SocketChannel}. */
    private record ChannelConnection(SocketChannel channel) implements FastCgiConnection {

        @Override
        public int read(ByteBuffer target) throws IOException {
            return channel.read(target);
        }

        @Override
        public void write(ByteBuffer source) throws IOException {
            while (source.hasRemaining()) {
                channel.write(source);
            }
        }

        @Override
        public boolean isReusable() {
            if (!channel.isOpen()) {
                return false;
            }
            // a non-blocking read: 0 means open and quiet; -1 (closed) or stray bytes mean unusable
            synchronized (channel.blockingLock()) {
                try {
                    channel.configureBlocking(false);
                    int n = channel.read(ByteBuffer.allocate(1));
                    channel.configureBlocking(true);
                    return n == 0;
                } catch (IOException e) {
                    return false;
                }
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is best effort: the peer may already be gone
            }
        }
    }
}
