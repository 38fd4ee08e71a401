package io.weir.server.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.Locale;

/**
 * The socket I/O the transport's event loops use: Linux's io_uring or epoll through Netty's native
 * transports, else the JDK's NIO. Chosen once, when the transport starts, by the system property
 * {@value #PROPERTY} ({@code io_uring}, {@code epoll} or {@code nio}); without it, the first of
 * {@link #DEFAULT_ORDER} that loads on this machine (a native transport does not load off Linux, or
 * where the kernel or a seccomp filter refuses it).
 */
enum NativeTransport {
    /** Linux io_uring (kernel 5.14+), Netty's {@code netty-transport-native-io_uring}. */
    IO_URING("io_uring"),
    /** Linux epoll, Netty's {@code netty-transport-native-epoll}. */
    EPOLL("epoll"),
    /** The JDK's NIO selector; loads everywhere. */
    NIO("nio");

    /** The system property that picks the transport. */
    static final String PROPERTY = "weir.transport";

    /** The order tried when the property is not set: the fastest measured first. */
    static final NativeTransport[] DEFAULT_ORDER = {EPOLL, IO_URING, NIO};

    private final String label;

    NativeTransport(String label) {
        this.label = label;
    }

    /** @return the name the property takes, for example {@code io_uring} */
    String label() {
        return label;
    }

    /** @return true when this transport can run on this machine */
    boolean isAvailable() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable();
            case EPOLL -> Epoll.isAvailable();
            case NIO -> true;
        };
    }

    /** @return why this transport cannot run here, for the error message */
    String unavailability() {
        Throwable cause =
                switch (this) {
                    case IO_URING -> IoUring.unavailabilityCause();
                    case EPOLL -> Epoll.unavailabilityCause();
                    case NIO -> null;
                };
        return cause == null ? "unknown" : String.valueOf(cause.getMessage());
    }

    /** @return the factory of the event loops' I/O handler */
    IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    /** @return the class of the listening sockets */
    Class<? extends ServerChannel> serverChannelClass() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /**
     * Picks the transport: the one the property names, else the first of {@link #DEFAULT_ORDER}
     * that is available.
     *
     * @param property the property's value, or null when unset
     * @return the transport
     * @throws IllegalArgumentException when the property names no transport, or one that cannot run
     *                                  here (the message says why)
     */
    static NativeTransport select(String property) {
        if (property == null || property.isBlank()) {
            for (NativeTransport t : DEFAULT_ORDER) {
                if (t.isAvailable()) {
                    return t;
                }
            }
            return NIO;
        }
        String wanted = property.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (NativeTransport t : values()) {
            if (t.label.equals(wanted) || (t == IO_URING && wanted.equals("iouring"))) {
                if (!t.isAvailable()) {
                    throw new IllegalArgumentException("-D" + PROPERTY + "=" + property + ": " + t.label
                            + " cannot run on this machine: " + t.unavailability());
                }
                return t;
            }
        }
        throw new IllegalArgumentException(
                "-D" + PROPERTY + "=" + property + " names no transport; use io_uring, epoll or nio");
    }
}
