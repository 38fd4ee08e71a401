package io.weir.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a {@link WeirTestServer} for a test class: a real Weir on a free
 * port of {@code 127.0.0.1} (or a chosen one, {@link #onPort}) (see {@link WeirTestServer} for how bindings are moved). Registered on a static
 * field, the server starts before all tests and stops after them; on an instance field, it starts
 * before and stops after each test.
 *
 * <pre>{@code
 * class MyModuleTest {
 *     @TempDir static Path root;
 *     @RegisterExtension static LoopbackServerExtension server = LoopbackServerExtension.serving(() -> root);
 *
 *     @Test void servesAFile() throws Exception {
 *         Files.writeString(root.resolve("a.txt"), "hi");
 *         var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/a.txt")).build(),
 *                 HttpResponse.BodyHandlers.ofString());
 *         assertEquals("hi", response.body());
 *     }
 * }
 * }</pre>
 *
 * The supplier is called when the server starts, so a {@code @TempDir} static field is already set.
 */
public final class LoopbackServerExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final IntFunction<WeirTestServer> starter;
    private final int port;
    private volatile WeirTestServer server;
    private boolean perTest;

    private LoopbackServerExtension(IntFunction<WeirTestServer> starter, int port) {
        this.starter = starter;
        this.port = port;
    }

    /**
     * The same server on a chosen port of {@code 127.0.0.1} instead of a free one, for a test that
     * must know the port in advance (a browser's fixed URL, a client configured before the start).
     * A free port (the default) keeps tests that run in parallel apart.
     *
     * <pre>{@code
     * @RegisterExtension
     * static LoopbackServerExtension server = LoopbackServerExtension.of(MyTest::config).onPort(18080);
     * }</pre>
     *
     * @param port the port, 1-65535 (0 = a free port)
     * @return a new extension; register it instead of this one
     * @throws IllegalArgumentException when the port is outside 0-65535
     */
    public LoopbackServerExtension onPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        return new LoopbackServerExtension(starter, port);
    }

    /**
     * Serves a folder with Weir's embedded default configuration (built-in modules on the class path).
     *
     * @param root supplies the folder, called at start
     * @return the extension
     */
    public static LoopbackServerExtension serving(Supplier<Path> root) {
        Objects.requireNonNull(root, "root");
        return new LoopbackServerExtension(port -> WeirTestServer.serving(root.get(), port), 0);
    }

    /**
     * Runs a {@link WeirTestConfig}: the modules under test on one site, on 127.0.0.1.
     *
     * <pre>{@code
     * @RegisterExtension
     * static LoopbackServerExtension server = LoopbackServerExtension.of(() -> WeirTestConfig.create()
     *         .module("GreetingModule", GreetingModuleRegistration.class));
     * }</pre>
     *
     * @param config supplies the configuration, called at start
     * @return the extension
     */
    public static LoopbackServerExtension of(Supplier<WeirTestConfig> config) {
        Objects.requireNonNull(config, "config");
        return new LoopbackServerExtension(port -> WeirTestServer.start(config.get(), port), 0);
    }

    /**
     * Runs a configuration given as text.
     *
     * @param applicationHostConfigXml the configuration
     * @param variables                supplies the {@code %NAME%} values, called at start
     * @return the extension
     */
    public static LoopbackServerExtension fromConfig(
            String applicationHostConfigXml, Supplier<Map<String, String>> variables) {
        Objects.requireNonNull(applicationHostConfigXml, "applicationHostConfigXml");
        Objects.requireNonNull(variables, "variables");
        return new LoopbackServerExtension(
                port -> WeirTestServer.start(applicationHostConfigXml, variables.get(), port), 0);
    }

    /**
     * Runs a configuration given as text, without variables beyond the environment.
     *
     * @param applicationHostConfigXml the configuration
     * @return the extension
     */
    public static LoopbackServerExtension fromConfig(String applicationHostConfigXml) {
        return fromConfig(applicationHostConfigXml, Map::of);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = starter.apply(port);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            perTest = true;
            server = starter.apply(port);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (perTest) {
            stop();
        }
    }

    private void stop() {
        WeirTestServer running = server;
        server = null;
        if (running != null) {
            running.close();
        }
    }

    /**
     * Returns the running server.
     *
     * @return the server
     * @throws IllegalStateException outside the tests of the class (not started)
     */
    public WeirTestServer server() {
        WeirTestServer running = server;
        if (running == null) {
            throw new IllegalStateException("the loopback server is not running");
        }
        return running;
    }

    /**
     * Returns the URI of a path on the running server ({@link WeirTestServer#uri}).
     *
     * @param path an absolute path with optional query
     * @return the URI
     * @throws IllegalStateException when the server is not running
     */
    public URI uri(String path) {
        return server().uri(path);
    }

    /**
     * @return the running server's port
     * @throws IllegalStateException when the server is not running
     */
    public int port() {
        return server().port();
    }
}
