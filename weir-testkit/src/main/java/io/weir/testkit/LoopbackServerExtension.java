package io.weir.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a {@link WeirTestServer} for a test class: a real Weir on a free
 * port of {@code 127.0.0.1} (see {@link WeirTestServer} for how bindings are moved). Registered on a static
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
public final class LoopbackServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private final Supplier<WeirTestServer> starter;
    private volatile WeirTestServer server;
    private boolean perTest;

    private LoopbackServerExtension(Supplier<WeirTestServer> starter) {
        this.starter = starter;
    }

    /**
     * Serves a folder with Weir's embedded default configuration (built-in modules on the class path).
     *
     * @param root supplies the folder, called at start
     * @return the extension
     */
    public static LoopbackServerExtension serving(Supplier<Path> root) {
        Objects.requireNonNull(root, "root");
        return new LoopbackServerExtension(() -> WeirTestServer.serving(root.get()));
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
        return new LoopbackServerExtension(() -> WeirTestServer.start(config.get()));
    }

    /**
     * Runs a configuration given as text.
     *
     * @param applicationHostConfigXml the configuration
     * @param variables                supplies the {@code %NAME%} values, called at start
     * @return the extension
     */
    public static LoopbackServerExtension fromConfig(String applicationHostConfigXml, Supplier<Map<String, String>> variables) {
        Objects.requireNonNull(applicationHostConfigXml, "applicationHostConfigXml");
        Objects.requireNonNull(variables, "variables");
        return new LoopbackServerExtension(() -> WeirTestServer.start(applicationHostConfigXml, variables.get()));
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
        server = starter.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (server == null) {
            perTest = true;
            server = starter.get();
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
