package io.weir.testkit;

import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.server.WeirServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A real Weir ({@link WeirServer}) for tests, reached over loopback: every site of the configuration
 * is moved to a free port (port 0) on {@code 127.0.0.1}, and {@link #uri} addresses the first one.
 * A site whose http bindings all listen on every address ({@code *:port:}, as in the embedded
 * default) is moved to {@code 127.0.0.1}, so a test never opens a port on the machine's other
 * interfaces; a site with a binding naming an IP keeps its IPs (a test of IP-based site selection
 * writes them on purpose). Close it to stop the server. Thread-safe.
 *
 * <pre>{@code
 * try (WeirTestServer server = WeirTestServer.serving(folder)) {
 *     HttpResponse<String> r = HttpClient.newHttpClient().send(
 *             HttpRequest.newBuilder(server.uri("/index.html")).build(), BodyHandlers.ofString());
 * }
 * }</pre>
 */
public final class WeirTestServer implements AutoCloseable {

    /** The name of the site of Weir's embedded default configuration. */
    public static final String DEFAULT_SITE = "Default Web Site";

    private static final String LOOPBACK = "127.0.0.1";
    private static final Set<String> WILDCARDS = Set.of("*", "", "0.0.0.0", "::");

    private final WeirServer server;
    private final int port;

    private WeirTestServer(WeirServer server) {
        this.server = server;
        if (server.boundAddresses().isEmpty()) {
            server.close();
            throw new IllegalStateException("the configuration starts no http listener");
        }
        this.port = server.boundAddresses().get(0).getPort();
    }

    /**
     * Starts a server from configuration text (applicationHost.config vocabulary). Relative physical
     * paths resolve against the working directory. Every site's http bindings get port 0.
     *
     * @param applicationHostConfigXml the configuration
     * @param variables                values for {@code %NAME%} expansion, before the environment
     * @return the running server
     * @throws io.weir.api.config.ConfigException when the configuration is refused
     * @throws UncheckedIOException              when a listener cannot be bound
     */
    public static WeirTestServer start(String applicationHostConfigXml, Map<String, String> variables) {
        return start(applicationHostConfigXml, variables, 0);
    }

    /**
     * {@link #start(String, Map)} on a chosen port of {@code 127.0.0.1} instead of a free one.
     *
     * @param applicationHostConfigXml the configuration
     * @param variables                values for {@code %NAME%} expansion, before the environment
     * @param port                     the port every site's http bindings get (0 = a free port)
     * @return the running server
     * @throws io.weir.api.config.ConfigException when the configuration is refused
     * @throws UncheckedIOException              when a listener cannot be bound (the port is taken)
     */
    public static WeirTestServer start(String applicationHostConfigXml, Map<String, String> variables, int port) {
        Objects.requireNonNull(applicationHostConfigXml, "applicationHostConfigXml");
        ApplicationHostConfig config = ApplicationHostConfig.parse(
                "test applicationHost.config",
                new ByteArrayInputStream(applicationHostConfigXml.getBytes(StandardCharsets.UTF_8)),
                Path.of("").toAbsolutePath(),
                variables);
        return start(config, port);
    }

    /**
     * Starts a server from configuration text whose bindings keep their IP addresses, so a binding
     * on every address ({@code *:PORT:}) really listens on every address of the machine; only the
     * ports change, to free ones. For tests that must reach the server from a non-loopback
     * address (IIS's local/remote split); everything else should use
     * {@link #start(String, Map)}, which listens on {@code 127.0.0.1} only.
     *
     * @param applicationHostConfigXml the configuration
     * @param variables                values for {@code %NAME%} expansion, before the environment
     * @return the running server
     * @throws io.weir.api.config.ConfigException when the configuration is refused
     * @throws UncheckedIOException              when a listener cannot be bound
     */
    public static WeirTestServer startOnEveryAddress(String applicationHostConfigXml, Map<String, String> variables) {
        Objects.requireNonNull(applicationHostConfigXml, "applicationHostConfigXml");
        ApplicationHostConfig config = ApplicationHostConfig.parse(
                "test applicationHost.config",
                new ByteArrayInputStream(applicationHostConfigXml.getBytes(StandardCharsets.UTF_8)),
                Path.of("").toAbsolutePath(),
                variables);
        for (SiteConfig site : config.sites()) {
            config = config.withSiteOverrides(site.name(), Optional.empty(), OptionalInt.of(0));
        }
        return startServer(config);
    }

    /**
     * Starts a server from a configuration file. Every site's http bindings get port 0.
     *
     * @param applicationHostConfig the file
     * @param variables             values for {@code %NAME%} expansion, before the environment
     * @return the running server
     * @throws io.weir.api.config.ConfigException when the file is refused
     * @throws UncheckedIOException              when a listener cannot be bound
     */
    public static WeirTestServer start(Path applicationHostConfig, Map<String, String> variables) {
        return start(ApplicationHostConfig.load(applicationHostConfig, variables));
    }

    /**
     * Starts Weir's embedded default configuration (the built-in modules, which must be on the
     * class path) serving a folder as "Default Web Site".
     *
     * @param root the folder to serve
     * @return the running server
     * @throws UncheckedIOException when the listener cannot be bound
     */
    public static WeirTestServer serving(Path root) {
        return serving(root, 0);
    }

    /**
     * {@link #serving(Path)} on a chosen port of {@code 127.0.0.1} instead of a free one.
     *
     * @param root the folder to serve
     * @param port the port (0 = a free port)
     * @return the running server
     * @throws UncheckedIOException when the listener cannot be bound (the port is taken)
     */
    public static WeirTestServer serving(Path root, int port) {
        Path absolute = root.toAbsolutePath().normalize();
        ApplicationHostConfig config = ApplicationHostConfig.embeddedDefault(
                        Map.of("WEIR_SITE_ROOT", absolute.toString()))
                .withSiteOverrides(DEFAULT_SITE, Optional.of(absolute), Optional.of(LOOPBACK), OptionalInt.of(port));
        return startServer(config);
    }

    /**
     * Starts a server for a {@link WeirTestConfig} (the modules under test on one site, modules given
     * as instances included), on a free port of {@code 127.0.0.1}.
     *
     * @param config the configuration
     * @return the running server
     * @throws io.weir.api.config.ConfigException when the configuration is refused
     * @throws UncheckedIOException              when the listener cannot be bound
     */
    public static WeirTestServer start(WeirTestConfig config) {
        return start(config, 0);
    }

    /**
     * {@link #start(WeirTestConfig)} on a chosen port of {@code 127.0.0.1} instead of a free one.
     *
     * @param config the configuration
     * @param port   the port (0 = a free port)
     * @return the running server
     * @throws io.weir.api.config.ConfigException when the configuration is refused
     * @throws UncheckedIOException              when the listener cannot be bound (the port is taken)
     */
    public static WeirTestServer start(WeirTestConfig config, int port) {
        ApplicationHostConfig loaded = config.load();
        return InstanceModuleRegistration.withInstances(config.instances(), () -> start(loaded, port));
    }

    /**
     * Starts a server from a configuration snapshot. Every site's http bindings get port 0, and
     * {@code 127.0.0.1} when they all listen on every address.
     *
     * @param config the configuration
     * @return the running server
     * @throws UncheckedIOException when a listener cannot be bound
     */
    public static WeirTestServer start(ApplicationHostConfig config) {
        return start(config, 0);
    }

    /**
     * {@link #start(ApplicationHostConfig)} with every site's http bindings on a chosen port.
     *
     * @param config the configuration
     * @param port   the port (0 = a free port for each binding)
     * @return the running server
     * @throws UncheckedIOException when a listener cannot be bound (the port is taken)
     */
    public static WeirTestServer start(ApplicationHostConfig config, int port) {
        ApplicationHostConfig onFreePorts = config;
        for (SiteConfig site : config.sites()) {
            boolean everyAddress = site.bindings().stream()
                    .filter(b -> b.protocol().equalsIgnoreCase("http"))
                    .allMatch(b -> WILDCARDS.contains(b.ip()));
            onFreePorts = onFreePorts.withSiteOverrides(
                    site.name(),
                    Optional.empty(),
                    everyAddress ? Optional.of(LOOPBACK) : Optional.empty(),
                    OptionalInt.of(port));
        }
        return startServer(onFreePorts);
    }

    private static WeirTestServer startServer(ApplicationHostConfig config) {
        try {
            return new WeirTestServer(WeirServer.start(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the URI of a path on the first listener, {@code http://127.0.0.1:PORT/...}.
     *
     * @param path an absolute path with optional query, for example {@code "/a.txt?x=1"}; a
     *             missing leading slash is added
     * @return the URI
     * @throws IllegalArgumentException when the path is not a valid URI reference
     */
    public URI uri(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        return URI.create("http://127.0.0.1:" + port + p);
    }

    /** @return the port of the first listener */
    public int port() {
        return port;
    }

    /** @return the running server (its engine, every bound address) */
    public WeirServer server() {
        return server;
    }

    /** Stops the server with a short (5 s) drain. Idempotent. */
    @Override
    public void close() {
        server.stop(Duration.ofSeconds(5));
    }
}
