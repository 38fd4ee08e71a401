package io.weir.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * OCSP stapling (RFC 6066 section 8) with the JDK's TLS provider, where OpenSSL is not used.
 *
 * <p>The JDK has no API to hand a server engine a response fetched by Weir (what
 * {@link OcspStaple} does with OpenSSL). It staples by itself instead: an {@code SSLContext}
 * created while the system property {@value #PROPERTY} is {@code true} asks the responder its
 * certificate's Authority Information Access names at the first handshake whose client asks for
 * the status, and keeps the answer (up to {@code nextUpdate}, at most an hour by default). The
 * property is read once per {@code SSLContext}, when it is created: {@link #build} sets it for that
 * moment only, so each certificate (and binding, for {@code sslFlags} DisableOCSPStp) decides for
 * itself. The JDK asks the responder inside the handshake and waits for it (5 s at most): the
 * handshakes of a stapling context run their tasks on a small pool of their own
 * ({@link #newHandler}), never on the connection's event loop.
 */
final class JdkOcspStapling {

    /** The JDK's switch for server-side stapling, read when an {@code SSLContext} is created. */
    static final String PROPERTY = "jdk.tls.server.enableStatusRequestExtension";

    /** Handshake tasks of stapling contexts: a few threads, created when first needed. */
    private static final Executor HANDSHAKE_TASKS;

    static {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "weir-tls-handshake");
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        HANDSHAKE_TASKS = pool;
    }

    private JdkOcspStapling() {}

    /**
     * Builds a JDK-provider context that staples, or explicitly does not.
     *
     * @param builder a builder with the JDK's provider
     * @param staple  whether the context staples the responder's answer
     * @return the context
     * @throws SSLException when the context cannot be built
     */
    static synchronized SslContext build(SslContextBuilder builder, boolean staple) throws SSLException {
        String previous = System.getProperty(PROPERTY);
        System.setProperty(PROPERTY, Boolean.toString(staple));
        try {
            return builder.build();
        } finally {
            if (previous == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, previous);
            }
        }
    }

    /**
     * Creates the TLS handler of a connection to a stapling context: its handshake tasks (where the
     * JDK may wait for the responder) run off the event loop.
     *
     * @param context          a context made by {@link #build} with stapling
     * @param allocator        the connection's allocator
     * @param handshakeTimeout the handshake's time limit, in milliseconds
     * @return the handler
     */
    static SslHandler newHandler(SslContext context, ByteBufAllocator allocator, long handshakeTimeout) {
        SslHandler handler = context.newHandler(allocator, HANDSHAKE_TASKS);
        handler.setHandshakeTimeoutMillis(handshakeTimeout);
        return handler;
    }
}
