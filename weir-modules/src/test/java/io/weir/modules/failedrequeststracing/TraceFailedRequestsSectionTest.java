package io.weir.modules.failedrequeststracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigException;
import io.weir.api.trace.TraceVerbosity;
import io.weir.config.ApplicationHostConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding of tracing/traceFailedRequests (IIS_schema.xml names and defaults) and rule matching. */
class TraceFailedRequestsSectionTest {

    private static TraceFailedRequestsSection bind(String rules) {
        String xml = """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.webServer"><sectionGroup name="tracing">
                      <section name="traceFailedRequests" />
                    </sectionGroup></sectionGroup>
                  </configSections>
                  <system.webServer><tracing><traceFailedRequests>%s</traceFailedRequests></tracing></system.webServer>
                </configuration>
                """.formatted(rules);
        ApplicationHostConfig config = ApplicationHostConfig.parse(
                "test.config",
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                Path.of("").toAbsolutePath(),
                Map.of());
        return TraceFailedRequestsSection.from(
                config.effectiveConfig("S", "/").section("system.webServer/tracing/traceFailedRequests"));
    }

    @Test
    void rulesBindWithIisDefaults() {
        TraceFailedRequestsSection s = bind("""
                <add path="*.aspx">
                  <traceAreas><add provider="WWW Server" areas="Module, RequestNotifications" verbosity="Verbose" />
                    <add provider="ASP" /></traceAreas>
                  <failureDefinitions statusCodes="404.2, 500-599,401" timeTaken="00:00:30" verbosity="Error" />
                </add>
                <add path="*" />
                """);
        assertThat(s.rules()).hasSize(2);
        TraceFailedRequestsSection.Rule r = s.rules().get(0);
        assertThat(r.traceAreas()).hasSize(2);
        assertThat(r.traceAreas().get(0).areas()).containsExactlyInAnyOrder("module", "requestnotifications");
        assertThat(r.traceAreas().get(0).verbosity()).isEqualTo(TraceVerbosity.VERBOSE);
        assertThat(r.traceAreas().get(1).verbosity()).isEqualTo(TraceVerbosity.WARNING);
        assertThat(r.failure().timeTaken()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.failure().verbosity()).isEqualTo(2);
        assertThat(r.failure().statusMatches(404, 2)).isTrue();
        assertThat(r.failure().statusMatches(404, 0)).isFalse();
        assertThat(r.failure().statusMatches(503, 7)).isTrue();
        assertThat(r.failure().statusMatches(401, 1)).isTrue();
        assertThat(r.failure().statusMatches(200, 0)).isFalse();
        TraceFailedRequestsSection.Rule all = s.rules().get(1);
        assertThat(all.failure().statusCodes()).isEmpty();
        assertThat(all.failure().timeTaken()).isZero();
        assertThat(all.failure().verbosity()).isZero();
    }

    @Test
    void pathIsAFileNamePatternWithoutCase() {
        TraceFailedRequestsSection s = bind("<add path=\"*.ASPX\" /><add path=\"*\" /><add path=\"/docs/*\" />");
        assertThat(s.rules().get(0).matches("/a/b/page.aspx")).isTrue();
        assertThat(s.rules().get(0).matches("/a/page.aspx/x.txt")).isFalse();
        assertThat(s.rules().get(1).matches("/")).isTrue();
        assertThat(s.rules().get(2).matches("/docs/a/b.txt")).isTrue();
        assertThat(s.rules().get(2).matches("/other/b.txt")).isFalse();
    }

    @Test
    void badValuesAreConfigurationErrors() {
        assertThatThrownBy(() -> bind("<add path=\"*\"><failureDefinitions statusCodes=\"40x\" /></add>"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("40x");
        assertThatThrownBy(() -> bind("<add path=\"*\"><failureDefinitions verbosity=\"Loud\" /></add>"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Loud");
    }
}
