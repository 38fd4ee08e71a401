package io.weir.modules.requestfiltering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigException;
import io.weir.config.ApplicationHostConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding of the requestFiltering section (IIS_schema.xml defaults) and the segment helpers. */
class RequestFilteringSectionTest {

    private static RequestFilteringSection bind(String requestFiltering) {
        String xml = """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.webServer"><sectionGroup name="security">
                      <section name="requestFiltering" />
                    </sectionGroup></sectionGroup>
                  </configSections>
                  <system.webServer><security>%s</security></system.webServer>
                </configuration>
                """.formatted(requestFiltering);
        ApplicationHostConfig config = ApplicationHostConfig.parse(
                "test.config",
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                Path.of("").toAbsolutePath(),
                Map.of());
        return RequestFilteringSection.from(
                config.effectiveConfig("S", "/").section("system.webServer/security/requestFiltering"));
    }

    @Test
    void anAbsentSectionBindsToIisDefaults() {
        RequestFilteringSection s = bind("");
        assertThat(s.allowDoubleEscaping()).isFalse();
        assertThat(s.allowHighBitCharacters()).isTrue();
        assertThat(s.unescapeQueryString()).isTrue();
        assertThat(s.maxAllowedContentLength()).isEqualTo(30_000_000L);
        assertThat(s.maxUrl()).isEqualTo(4096);
        assertThat(s.maxQueryString()).isEqualTo(2048);
        assertThat(s.fileExtensionsAllowUnlisted()).isTrue();
        assertThat(s.verbsAllowUnlisted()).isTrue();
        assertThat(s.fileExtensions()).isEmpty();
        assertThat(s.hiddenSegments()).isEmpty();
        assertThat(s.hasFilteringRules()).isFalse();
        assertThat(s.statusProfile()).isEqualTo(RequestFilteringSection.StatusProfile.IIS7);
        assertThat(s.statusProfile().contentTooLarge()).hasToString("404.13");
        assertThat(s.statusProfile().headerTooLong()).hasToString("404.10");
        assertThat(RequestFilteringSection.StatusProfile.IIS10.contentTooLarge())
                .hasToString("413.1");
        assertThat(RequestFilteringSection.StatusProfile.IIS10.headerTooLong()).hasToString("431");
    }

    @Test
    void collectionsArePreparedForCaseInsensitiveLookups() {
        RequestFilteringSection s = bind("""
                <requestFiltering weirStatusProfile="iis10">
                  <fileExtensions allowUnlisted="false"><add fileExtension=".CS" allowed="false" />
                    <add fileExtension="txt" allowed="true" /></fileExtensions>
                  <verbs><add verb="Trace" allowed="false" /></verbs>
                  <hiddenSegments><add segment="App_Data" /></hiddenSegments>
                  <denyUrlSequences><add sequence="..%2F" /></denyUrlSequences>
                </requestFiltering>""");
        assertThat(s.fileExtensions()).containsEntry(".cs", false).containsEntry(".txt", true);
        assertThat(s.fileExtensionsAllowUnlisted()).isFalse();
        assertThat(s.verbs()).containsOnlyKeys("Trace");
        assertThat(s.hiddenSegments()).containsExactly("app_data");
        assertThat(s.denyUrlSequences()).containsExactly("..%2f");
        assertThat(s.statusProfile()).isEqualTo(RequestFilteringSection.StatusProfile.IIS10);
    }

    @Test
    void malformedValuesAreRefusedWithTheirSource() {
        assertThatThrownBy(() -> bind("<requestFiltering><requestLimits maxUrl=\"-1\" /></requestFiltering>"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("maxUrl");
        assertThatThrownBy(() -> bind("<requestFiltering allowDoubleEscaping=\"maybe\" />"))
                .isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> bind("<requestFiltering><requestLimits><headerLimits><add header=\"X\" />"
                        + "</headerLimits></requestLimits></requestFiltering>"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("sizeLimit");
    }

    @Test
    void segmentsMatchInTheirWindowsForm() {
        assertThat(canonical("/Web.Config. ")).isEqualTo("web.config");
        assertThat(canonical("/web.config::$DATA")).isEqualTo("web.config");
        assertThat(canonical("/bin. . .")).isEqualTo("bin");
        assertThat(canonical("/web.config.txt")).isEqualTo("web.config.txt");
        assertThat(RequestFilteringModule.extensionOf("a.tar.cs")).isEqualTo(".cs");
        assertThat(RequestFilteringModule.extensionOf("readme")).isEqualTo(".");
        assertThat(RequestFilteringModule.unescape("q=%53elect%zz%")).isEqualTo("q=Select%zz%");
    }

    private static String canonical(String path) {
        return RequestFilteringModule.canonicalSegment(path, 1, path.length());
    }
}
