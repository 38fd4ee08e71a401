package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.HarnessResponse;
import io.weir.testkit.LoopbackServerExtension;
import io.weir.testkit.PipelineHarness;
import io.weir.testkit.WeirTestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ${moduleName} tested both ways: in memory through Weir's engine, and over HTTP on loopback. */
class ${moduleName}Test {

    /** The module on a one-site server, loaded from the class path as an installed JAR would be. */
    static WeirTestConfig config() {
        return WeirTestConfig.create().module("${moduleName}", ${moduleName}Registration.class);
    }

    @RegisterExtension
    static LoopbackServerExtension server = LoopbackServerExtension.of(${moduleName}Test::config);

    @Test
    void addsTheHeaderInMemoryInPipelineOrder() {
        try (PipelineHarness weir = PipelineHarness.start(config())) {
            HarnessResponse response = weir.get("/some/page?x=1");

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header(${moduleName}.HEADER)).hasValue("/some/page");
            assertThat(response.notifications()).containsExactly(
                    "BEGIN_REQUEST ${moduleName}",
                    "SEND_RESPONSE ${moduleName}");
        }
    }

    @Test
    void addsTheHeaderOverHttp() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.uri("/some/page")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(${moduleName}.HEADER)).hasValue("/some/page");
    }
}
