package io.weir.examples.greeting;

import static io.weir.examples.LoopbackClient.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.WeirTestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The greeting sample served from {@code greeting-section/applicationHost.config}: the module's
 * own section, declared by the schema file of the folder's {@code schema/}, read through
 * {@code HttpContext.config} at every level (server, {@code <location>}, web.config), with its
 * {@code overrideModeDefault="Deny"} honoured.
 */
class GreetingModuleHttpTest {

    private static WeirTestServer server;

    @BeforeAll
    static void start() {
        server = WeirTestServer.start(Path.of("greeting-section/applicationHost.config"), Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theServerLevelSetsTheGreeting() {
        HttpResponse<String> response = get(server.uri("/anything"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello from the server");
        assertThat(response.headers().firstValue("X-Greeting-language")).hasValue("en");
    }

    @Test
    void theLocationChangesTheStyleAndAddsAnItem() {
        HttpResponse<String> response = get(server.uri("/docs/page"));

        assertThat(response.body()).isEqualTo("HELLO FROM THE SERVER");
        assertThat(response.headers().firstValue("X-Greeting-language")).hasValue("en");
        assertThat(response.headers().firstValue("X-Greeting-audience")).hasValue("readers");
    }

    @Test
    void aWebConfigWhereTheLocationUnlocksTheSectionSetsIt() {
        HttpResponse<String> response = get(server.uri("/docs/guide/page"));

        assertThat(response.body()).isEqualTo("HELLO FROM THE GUIDE");
        assertThat(response.headers().firstValue("X-Greeting-language"))
                .as("removed there")
                .isEmpty();
        assertThat(response.headers().firstValue("X-Greeting-audience")).hasValue("readers");
    }

    @Test
    void aWebConfigWhereTheSectionIsLockedIs500_19() {
        HttpResponse<String> response = get(server.uri("/locked/page"));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("greeting", "locked");
        assertThat(get(server.uri("/other")).statusCode())
                .as("the rest of the site")
                .isEqualTo(200);
    }
}
