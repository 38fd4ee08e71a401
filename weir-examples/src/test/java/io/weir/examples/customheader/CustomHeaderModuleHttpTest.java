package io.weir.examples.customheader;

import static io.weir.examples.LoopbackClient.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.examples.ExampleConfig;
import io.weir.examples.helloworld.HelloWorldModuleRegistration;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The custom-header sample, loaded by {@code type=} from the class path (the other way a
 * {@code <globalModules>} entry names a module), on a static file and next to Hello World.
 */
class CustomHeaderModuleHttpTest {

    @TempDir
    Path siteRoot;

    private String config() {
        return new ExampleConfig()
                .globalModule("CustomHeaderModule", "type=\"" + CustomHeaderModuleRegistration.class.getName() + "\"")
                .globalModule("HelloWorldModule", "type=\"" + HelloWorldModuleRegistration.class.getName() + "\"")
                .module("CustomHeaderModule")
                .moduleAt("Default Web Site/hello", "HelloWorldModule")
                .toXml();
    }

    @Test
    void addsTheHeaderToAStaticFileResponse() throws IOException {
        Files.writeString(siteRoot.resolve("page.html"), "<p>static</p>");

        try (WeirTestServer server = WeirTestServer.start(config(), Map.of("WEIR_SITE_ROOT", siteRoot.toString()))) {
            HttpResponse<String> response = get(server.uri("/page.html"));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("<p>static</p>");
            assertThat(response.headers().allValues(CustomHeaderModule.HEADER_NAME))
                    .containsExactly("acquire-request-state");
        }
    }

    @Test
    void requestFinishedInBeginRequestNeverReachesAcquireRequestState() {
        try (WeirTestServer server = WeirTestServer.start(config(), Map.of("WEIR_SITE_ROOT", siteRoot.toString()))) {
            HttpResponse<String> response = get(server.uri("/hello"));
            assertThat(response.body()).isEqualTo("Hello World");
            assertThat(response.headers().firstValue(CustomHeaderModule.HEADER_NAME))
                    .isEmpty();
        }
    }
}
