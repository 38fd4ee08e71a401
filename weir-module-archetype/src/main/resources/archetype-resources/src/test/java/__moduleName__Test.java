package ${package};

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigException;
import io.weir.testkit.HarnessResponse;
import io.weir.testkit.LoopbackServerExtension;
import io.weir.testkit.PipelineHarness;
import io.weir.testkit.WeirTestConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * ${moduleName} tested both ways: in memory through Weir's engine, and over HTTP on loopback; and its
 * own configuration section, whose schema ({@code META-INF/weir/schema/${moduleName}.xml}) Weir finds on
 * the class path as it finds it in the installed JAR.
 */
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

    @Test
    void theSectionRenamesTheHeader() {
        try (PipelineHarness weir = PipelineHarness.start(
                config().section(${moduleName}Section.NAME, "<${moduleName} headerName=\"X-Served-Path\" />"))) {
            HarnessResponse response = weir.get("/some/page");

            assertThat(response.header("X-Served-Path")).hasValue("/some/page");
            assertThat(response.header(${moduleName}.HEADER)).isEmpty();
        }
    }

    @Test
    void aWebConfigTurnsTheHeaderOffBelowItsFolderOnly(@TempDir Path site) throws Exception {
        Files.createDirectories(site.resolve("quiet"));
        Files.writeString(site.resolve("quiet/web.config"), """
                <configuration>
                  <system.webServer>
                    <${moduleName} enabled="false" />
                  </system.webServer>
                </configuration>
                """);
        WeirTestConfig config = config().siteRoot(site).section(${moduleName}Section.NAME, "<${moduleName} />");
        try (PipelineHarness weir = PipelineHarness.start(config)) {
            assertThat(weir.get("/quiet/page").header(${moduleName}.HEADER)).isEmpty();
            assertThat(weir.get("/loud/page").header(${moduleName}.HEADER)).hasValue("/loud/page");
        }
    }

    @Test
    void theSchemaRefusesWhatItDoesNotDeclare() {
        WeirTestConfig config = config().section(${moduleName}Section.NAME, "<${moduleName} colour=\"red\" />");

        assertThatThrownBy(config::load)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("colour");
    }
}
