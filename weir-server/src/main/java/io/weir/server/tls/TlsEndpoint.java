package io.weir.server.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.quic.QuicSslContext;
import io.netty.handler.codec.quic.QuicSslContextBuilder;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.AsyncMapping;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import io.weir.config.CertificateStoreSettings;
import io.weir.config.SiteConfig.BindingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of one https listener (an IP and port several bindings may share): which
 * certificate a handshake gets, chosen as http.sys chooses it:
 * <ol>
 *   <li>a binding with a host name and {@code sslFlags} SNI (1) whose host is the server name
 *       the client sent serves its certificate;</li>
 *   <li>a binding with {@code sslFlags} central certificate store (2) serves the store's file
 *       for that server name ({@code host.pfx}, else {@code _.parent.pfx}); with a host name it
 *       serves that host only;</li>
 *   <li>otherwise the IP:port binding's certificate (a binding without SNI); a handshake that
 *       matches nothing fails.</li>
 * </ol>
 * Certificates named by thumbprint are read at start: an unreadable, expired or mismatched one
 * is an {@link IOException} naming the file. Every served file is checked for changes once a
 * second and read again when it changed; a new version that cannot be served is logged (ERROR,
 * naming the file and the reason) and the previous one keeps serving. Connections already
 * established keep their session.
 *
 * <p>Each certificate gets an {@link SslContext} of TLS 1.2 and 1.3 (1.2 only with
 * DisableTLS13), the AEAD cipher suites of RFC 7540's list, ALPN {@code h2} then
 * {@code http/1.1} (no {@code h2} with DisableHTTP2), session resumption by tickets whose keys
 * are the certificate's own (a session never resumes under another certificate) and change every
 * hour (the JDK's provider rotates its own), OpenSSL (BoringSSL through
 * netty-tcnative) unless the configuration asks for the JDK's provider or tcnative cannot load,
 * and OCSP stapling when the certificate names a responder and the binding has not
 * DisableOCSPStp (8): with OpenSSL by {@link OcspStaple} (each new handshake gets the current
 * response), with the JDK's provider by the JDK itself ({@link JdkOcspStapling}). Over QUIC
 * nothing is stapled: Netty's QUIC TLS ({@link QuicSslContextBuilder}, its engine) has no OCSP
 * API, neither a switch nor a way to set a response.
 * Thread-safe; the mapping runs on the connection's event loop and never reads a file there.
 */
public final class TlsEndpoint implements AsyncMapping<String, SslContext>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TlsEndpoint.class);
    private static final ScheduledExecutorService FILES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "weir-certificates");
        t.setDaemon(true);
        return t;
    });
    private static volatile boolean warnedProvider;

    /** What a binding serves: a fixed file or the central store. */
    private record Route(String host, boolean sni, BindingConfig binding, Path file) {}

    /** A certificate in service, with the file state it was read from. */
    private record Served(ServerCertificate certificate, SslContext context, long modified, long size) {}

    private final List<Route> routes = new ArrayList<>();
    private final Route fallback;
    private final Optional<CentralCertificateStore> central;
    private final SslProvider provider;
    private final boolean clientCertificates;
    private final ClientCertificateTrust trust;
    private volatile String altSvc;
    private final boolean quicDisabled;
    private final Map<SslContext, QuicSslContext> quicContexts = new WeakHashMap<>();
    private static final AttributeKey<TlsEndpoint> KEY = AttributeKey.valueOf(TlsEndpoint.class, "endpoint");
    private final Map<String, Served> served = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> watch;
    private final ScheduledFuture<?> rotation;
    private final Map<SslContext, OpenSslSessionTicketKey> ticketKeys =
            Collections.synchronizedMap(new WeakHashMap<>());
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The OCSP staple of each context that staples (OpenSSL only). */
    private final Map<SslContext, OcspStaple> staples = Collections.synchronizedMap(new WeakHashMap<>());
    /** The JDK-provider contexts that staple by themselves ({@link JdkOcspStapling}). */
    private final Set<SslContext> jdkStapling =
            Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
    /** How long a context no longer handed out stays usable for handshakes that chose it. */
    private static final long CONTEXT_RELEASE_DELAY_SECONDS = 30;

    private final AtomicBoolean closed = new AtomicBoolean();
    /** The time limit of a handshake, in milliseconds. */
    private static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;
    /** How often session ticket keys change; a ticket stays usable for up to two periods. */
    private static final long TICKET_KEY_PERIOD_MINUTES = 60;

    /**
     * Reads the certificates of the bindings of one listener.
     *
     * @param bindings           the https bindings sharing the listener
     * @param settings           where certificates come from
     * @param environment        the environment (for the central store's password variable)
     * @param clientCertificates whether handshakes ask the client for a certificate (optional:
     *                           the handshake succeeds without one, and with one from an authority
     *                           not trusted; the chain is checked against the binding's
     *                           {@code weirSslCtlStoreName} store by {@link ClientCertificateTrust}
     *                           and the verdict reaches the request as {@code CERT_FLAGS})
     * @throws IOException naming the binding or the file when a certificate cannot be served
     */
    public TlsEndpoint(
            List<BindingConfig> bindings,
            CertificateStoreSettings settings,
            Map<String, String> environment,
            boolean clientCertificates)
            throws IOException {
        this.provider = provider(settings.provider());
        this.clientCertificates = clientCertificates;
        this.central = settings.centralStorePath()
                .map(p -> new CentralCertificateStore(
                        p, settings.centralPasswordFile(), settings.centralPasswordVariable(), environment));
        CertificateStore store = new CertificateStore(settings.storePath());
        this.trust = clientCertificates
                ? ClientCertificateTrust.load(store.root()
                        .resolve(bindings.stream()
                                .filter(BindingConfig::negotiateClientCertificate)
                                .findFirst()
                                .orElse(bindings.get(0))
                                .sslCtlStoreName()))
                : null;
        Route defaultRoute = null;
        for (BindingConfig b : bindings) {
            boolean ccs = b.hasSslFlag(BindingConfig.SSL_CENTRAL_CERTIFICATE_STORE);
            Path file = null;
            if (ccs) {
                if (central.isEmpty()) {
                    throw new IOException(
                            "binding https " + b.ip() + ":" + b.port() + ":" + b.host() + " (" + b.source()
                                    + ") uses the central certificate store (sslFlags 2) but "
                                    + "weirCentralCertificateStorePath is not set");
                }
            } else {
                if (b.certificateHash().isEmpty()) {
                    throw new IOException("binding https " + b.ip() + ":" + b.port() + ":" + b.host() + " ("
                            + b.source() + ") has no certificateHash");
                }
                file = store.find(b.certificateStoreName(), b.certificateHash())
                        .orElseThrow(() -> new IOException(
                                "binding https " + b.ip() + ":" + b.port() + ":" + b.host() + " (" + b.source()
                                        + "): no certificate with thumbprint " + b.certificateHash() + " in store '"
                                        + b.certificateStoreName() + "' ("
                                        + store.root().resolve(b.certificateStoreName()) + ")"));
                served.put(key(file, b), load(file, CertificateStore.password(file), b));
            }
            boolean sni =
                    b.hasSslFlag(BindingConfig.SSL_SNI) || (ccs && !b.host().isEmpty());
            Route route = new Route(b.host().toLowerCase(Locale.ROOT), sni, b, file);
            routes.add(route);
            if ((!sni || b.host().isEmpty()) && defaultRoute == null) {
                defaultRoute = route;
            }
        }
        this.fallback = defaultRoute;
        this.quicDisabled = bindings.stream().allMatch(b -> b.hasSslFlag(BindingConfig.SSL_DISABLE_QUIC));
        this.watch = FILES.scheduleWithFixedDelay(this::checkFiles, 1, 1, TimeUnit.SECONDS);
        this.rotation = FILES.scheduleWithFixedDelay(
                this::rotateTicketKeys, TICKET_KEY_PERIOD_MINUTES, TICKET_KEY_PERIOD_MINUTES, TimeUnit.MINUTES);
    }

    /** @return the provider in use: OPENSSL or JDK */
    public SslProvider provider() {
        return provider == SslProvider.JDK ? SslProvider.JDK : SslProvider.OPENSSL;
    }

    /**
     * Creates the first handler of a new connection: it reads the ClientHello's server name and
     * puts the chosen certificate's TLS handler in its place.
     *
     * @return a new handler
     */
    public SniHandler newSniHandler() {
        return new SniHandler(this, 16 * 1024, HANDSHAKE_TIMEOUT_MILLIS) {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
                ctx.channel().attr(KEY).set(TlsEndpoint.this);
                super.handlerAdded(ctx);
            }

            @Override
            protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
                if (jdkStapling.contains(context)) {
                    return JdkOcspStapling.newHandler(context, allocator, HANDSHAKE_TIMEOUT_MILLIS);
                }
                SslHandler handler = super.newSslHandler(context, allocator);
                OcspStaple staple = staples.get(context);
                byte[] response = staple == null ? null : staple.current();
                if (response != null && handler.engine() instanceof ReferenceCountedOpenSslEngine engine) {
                    engine.setOcspResponse(response);
                }
                return handler;
            }
        };
    }

    /**
     * Returns the endpoint a TLS connection was accepted by.
     *
     * @param channel a connection or one of its HTTP/2 stream channels
     * @return the endpoint, or null for a connection without TLS (or over QUIC)
     */
    public static TlsEndpoint of(Channel channel) {
        for (Channel c = channel; c != null; c = c.parent()) {
            if (c.hasAttr(KEY)) {
                return c.attr(KEY).get();
            }
        }
        return null;
    }

    /**
     * Marks a QUIC connection as accepted by this listener, as {@link #newSniHandler} does for TCP,
     * so that {@link #of} finds it (for the client certificate's trust).
     *
     * @param connection a new QUIC connection of this listener's UDP port
     */
    public void attach(Channel connection) {
        connection.attr(KEY).set(this);
    }

    /**
     * Makes responses over TCP on this listener advertise HTTP/3 on a UDP port with
     * {@code Alt-Svc} (RFC 7838), as http.sys does when HTTP/3 is enabled.
     *
     * @param port the UDP port HTTP/3 is served on; 0 to stop advertising
     */
    public void advertiseHttp3(int port) {
        this.altSvc = port == 0 ? null : "h3=\":" + port + "\"; ma=86400";
    }

    /** @return true when every binding of this listener has {@code sslFlags} DisableQUIC (16) */
    public boolean quicDisabled() {
        return quicDisabled;
    }

    /** @return the {@code Alt-Svc} value responses over TCP carry; null when HTTP/3 is not served */
    public String altSvc() {
        return altSvc;
    }

    /**
     * Chooses the certificate of a QUIC handshake by its server name, as {@link #map} does for TCP
     * (the same certificates, with ALPN {@code h3}; a client certificate asked for as over TCP
     * when the listener negotiates one, see {@link #attach}). Runs on the QUIC event loop: a central store
     * certificate not loaded yet is loaded in the background and this handshake fails (the client
     * goes on over TCP).
     *
     * @param hostname the server name the client sent, or null
     * @return the context, or null when nothing serves that name
     */
    public QuicSslContext quicContext(String hostname) {
        String host = hostname == null ? "" : hostname.toLowerCase(Locale.ROOT);
        Route route = choose(host);
        if (route == null) {
            return null;
        }
        Served s;
        if (route.file != null) {
            s = served.get(key(route.file, route.binding));
        } else {
            Optional<Path> file = central.get().fileFor(host.isEmpty() ? route.host : host);
            s = file.map(f -> served.get(key(f, route.binding))).orElse(null);
            if (s == null && file.isPresent()) {
                map(host, ImmediateEventExecutor.INSTANCE.newPromise());
            }
        }
        if (s == null) {
            return null;
        }
        synchronized (quicContexts) {
            QuicSslContext context = quicContexts.get(s.context());
            if (context == null) {
                QuicSslContextBuilder builder = QuicSslContextBuilder.forServer(
                                s.certificate().key(),
                                null,
                                s.certificate().chain().toArray(X509Certificate[]::new))
                        .applicationProtocols(Http3.supportedApplicationProtocols());
                if (clientCertificates) {
                    // as over TCP: optional, any authority; the verdict is CERT_FLAGS
                    builder.clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE);
                }
                context = builder.build();
                quicContexts.put(s.context(), context);
            }
            return context;
        }
    }

    /**
     * Returns the authorities this listener's client certificates are checked against.
     *
     * @return the trust; empty when no binding of the listener asks for client certificates
     */
    public Optional<ClientCertificateTrust> clientCertificateTrust() {
        return Optional.ofNullable(trust);
    }

    @Override
    public Future<SslContext> map(String hostname, Promise<SslContext> promise) {
        String host = hostname == null ? "" : hostname.toLowerCase(Locale.ROOT);
        Route route = choose(host);
        if (route == null) {
            return promise.setFailure(new SSLException("no https binding serves the server name '" + host + "'"));
        }
        if (route.file != null) {
            Served s = served.get(key(route.file, route.binding));
            return s != null
                    ? promise.setSuccess(s.context())
                    : promise.setFailure(new SSLException("certificate " + route.file + " is not loaded"));
        }
        Optional<Path> file = central.get().fileFor(host.isEmpty() ? route.host : host);
        if (file.isEmpty()) {
            return promise.setFailure(new SSLException("the central certificate store "
                    + central.get().folder() + " has no certificate for '" + host + "'"));
        }
        Served s = served.get(key(file.get(), route.binding));
        if (s != null) {
            return promise.setSuccess(s.context());
        }
        FILES.execute(() -> {
            try {
                Served loaded = served.computeIfAbsent(key(file.get(), route.binding), k -> {
                    try {
                        return load(file.get(), central.get().password(), route.binding);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                promise.trySuccess(loaded.context());
            } catch (UncheckedIOException e) {
                LOG.error("central certificate store: {}", e.getCause().getMessage());
                promise.tryFailure(e.getCause());
            }
        });
        return promise;
    }

    /**
     * Returns the certificates in service, for inspection and tests.
     *
     * @return the certificates, one per served file
     */
    public List<ServerCertificate> servedCertificates() {
        return served.values().stream().map(Served::certificate).distinct().toList();
    }

    /** Stops watching the certificate files. */
    @Override
    public void close() {
        watch.cancel(false);
        rotation.cancel(false);
        if (closed.compareAndSet(false, true)) {
            served.values().forEach(s -> releaseLater(s.context()));
        }
        synchronized (staples) {
            staples.values().forEach(OcspStaple::close);
        }
    }

    /**
     * Drops this endpoint's reference to a context it no longer hands out. Open connections hold
     * their own (their engines'), so the native context goes with the last of them; the delay
     * covers a handshake that chose the context just before and has not made its engine yet.
     */
    private static void releaseLater(SslContext context) {
        FILES.schedule(() -> ReferenceCountUtil.release(context), CONTEXT_RELEASE_DELAY_SECONDS, TimeUnit.SECONDS);
    }

    private Route choose(String host) {
        if (!host.isEmpty()) {
            for (Route r : routes) {
                if (r.sni && r.host.equals(host)) {
                    return r;
                }
            }
            for (Route r : routes) {
                if (r.file == null && r.host.isEmpty()) {
                    return r;
                }
            }
        }
        return fallback;
    }

    private static String key(Path file, BindingConfig binding) {
        return file + "|"
                + (binding.sslFlags()
                        & (BindingConfig.SSL_DISABLE_HTTP2
                                | BindingConfig.SSL_DISABLE_TLS13
                                | BindingConfig.SSL_DISABLE_OCSP_STAPLING));
    }

    private Served load(Path file, char[] password, BindingConfig binding) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        ServerCertificate certificate = CertificateFiles.read(file, password, Instant.now());
        return new Served(
                certificate,
                context(certificate, binding),
                attributes.lastModifiedTime().toMillis(),
                attributes.size());
    }

    private SslContext context(ServerCertificate certificate, BindingConfig binding) throws IOException {
        List<String> alpn = binding.hasSslFlag(BindingConfig.SSL_DISABLE_HTTP2)
                ? List.of(ApplicationProtocolNames.HTTP_1_1)
                : List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);
        String[] protocols = binding.hasSslFlag(BindingConfig.SSL_DISABLE_TLS13)
                ? new String[] {"TLSv1.2"}
                : new String[] {"TLSv1.3", "TLSv1.2"};
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(
                            certificate.key(), certificate.chain().toArray(X509Certificate[]::new))
                    .sslProvider(provider)
                    .protocols(protocols)
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .sessionTimeout(300)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            alpn));
            Optional<URI> responder = OcspStaple.responder(certificate.certificate());
            boolean staple = responder.isPresent()
                    && !binding.hasSslFlag(BindingConfig.SSL_DISABLE_OCSP_STAPLING)
                    && (provider == SslProvider.JDK || OpenSsl.isOcspSupported());
            if (provider != SslProvider.JDK) {
                builder.enableOcsp(staple);
            }
            if (clientCertificates) {
                // the chain is handed to modules (HttpConnection.clientCertificates), which decide
                builder.clientAuth(ClientAuth.OPTIONAL).trustManager(InsecureTrustManagerFactory.INSTANCE);
            }
            SslContext context = provider == SslProvider.JDK ? JdkOcspStapling.build(builder, staple) : builder.build();
            if (context.sessionContext() instanceof OpenSslServerSessionContext sessions) {
                // a session resumes only with the certificate it was made with, never across SNI names
                sessions.setSessionIdContext(HexFormat.of().parseHex(certificate.thumbprint()));
                sessions.setTicketKeys(newTicketKey());
            }
            if (staple && provider == SslProvider.JDK) {
                jdkStapling.add(context);
            } else if (staple) {
                OcspStaple.start(certificate).ifPresent(s -> staples.put(context, s));
            }
            return context;
        } catch (SSLException | RuntimeException e) {
            throw new IOException(certificate.file() + ": cannot be served: " + e.getMessage(), e);
        }
    }

    private static OpenSslSessionTicketKey newTicketKey() {
        byte[] name = new byte[16];
        byte[] hmac = new byte[16];
        byte[] aes = new byte[16];
        RANDOM.nextBytes(name);
        RANDOM.nextBytes(hmac);
        RANDOM.nextBytes(aes);
        return new OpenSslSessionTicketKey(name, hmac, aes);
    }

    /**
     * Rotates the session ticket keys of every OpenSSL context: a new key encrypts new tickets,
     * the previous one still decrypts the tickets it issued until the next rotation.
     */
    private void rotateTicketKeys() {
        for (Served s : served.values()) {
            if (s.context().sessionContext() instanceof OpenSslServerSessionContext sessions) {
                OpenSslSessionTicketKey previous = ticketKeys.get(s.context());
                OpenSslSessionTicketKey fresh = newTicketKey();
                sessions.setTicketKeys(
                        previous == null
                                ? new OpenSslSessionTicketKey[] {fresh}
                                : new OpenSslSessionTicketKey[] {fresh, previous});
                ticketKeys.put(s.context(), fresh);
            }
        }
    }

    private void checkFiles() {
        for (Map.Entry<String, Served> e : served.entrySet()) {
            Served old = e.getValue();
            Path file = old.certificate().file();
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException ex) {
                continue; // gone or being replaced: keep serving the one loaded; checked again next time
            }
            long modified = attributes.lastModifiedTime().toMillis();
            if (modified == old.modified() && attributes.size() == old.size()) {
                continue;
            }
            BindingConfig binding = routes.stream()
                    .filter(r -> e.getKey().equals(key(file, r.binding)))
                    .map(Route::binding)
                    .findFirst()
                    .orElseGet(() -> routes.stream()
                            .filter(r -> r.file == null)
                            .map(Route::binding)
                            .findFirst()
                            .orElse(routes.get(0).binding));
            try {
                char[] password = binding.hasSslFlag(BindingConfig.SSL_CENTRAL_CERTIFICATE_STORE)
                        ? central.get().password()
                        : CertificateStore.password(file);
                Served fresh = load(file, password, binding);
                served.put(e.getKey(), fresh);
                releaseLater(old.context());
                OcspStaple replaced = staples.remove(old.context());
                if (replaced != null) {
                    replaced.close();
                }
                LOG.info(
                        "certificate reloaded from {}: {} (thumbprint {}, valid until {})",
                        file,
                        fresh.certificate().subject(),
                        fresh.certificate().thumbprint(),
                        fresh.certificate().notAfter());
            } catch (IOException ex) {
                // keep the previous certificate; remember this file state so that the error is logged once
                served.put(e.getKey(), new Served(old.certificate(), old.context(), modified, attributes.size()));
                LOG.error("certificate reload refused, the previous certificate keeps serving: {}", ex.getMessage());
            }
        }
    }

    private static SslProvider provider(String configured) {
        if ("Jdk".equalsIgnoreCase(configured)) {
            return SslProvider.JDK;
        }
        if (OpenSsl.isAvailable()) {
            // the reference-counted flavour: its engines are freed when their connection ends,
            // where OPENSSL's have a finalizer each (a cost per connection, and per handshake)
            return SslProvider.OPENSSL_REFCNT;
        }
        if (!warnedProvider) {
            warnedProvider = true;
            LOG.warn(
                    "OpenSSL (netty-tcnative) cannot be loaded here ({}); TLS uses the JDK's provider",
                    String.valueOf(OpenSsl.unavailabilityCause()));
        }
        return SslProvider.JDK;
    }
}
