package io.weir.modules.customerror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigException;
import io.weir.config.ApplicationHostConfig;
import io.weir.modules.customerror.HttpErrorsSection.ErrorMode;
import io.weir.modules.customerror.HttpErrorsSection.ExistingResponse;
import io.weir.modules.customerror.HttpErrorsSection.ResponseMode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding of {@code system.webServer/httpErrors} (IIS_schema.xml defaults and ranges) and the entry lookup. */
class HttpErrorsSectionTest {

    private static HttpErrorsSection bind(String httpErrors) {
        String xml = """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.webServer"><section name="httpErrors" /></sectionGroup>
                  </configSections>
                  <system.webServer>%s</system.webServer>
                </configuration>
                """.formatted(httpErrors);
        ApplicationHostConfig config = ApplicationHostConfig.parse(
                "test.config",
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                Path.of("").toAbsolutePath(),
                Map.of("ERRORS", "/srv/errors"));
        return HttpErrorsSection.from(config.effectiveConfig("S", "/").section("system.webServer/httpErrors"));
    }

    @Test
    void anAbsentSectionBindsToIisDefaults() {
        HttpErrorsSection s = bind("");
        assertThat(s.errorMode()).isEqualTo(ErrorMode.DETAILED_LOCAL_ONLY);
        assertThat(s.existingResponse()).isEqualTo(ExistingResponse.AUTO);
        assertThat(s.defaultPath()).isEmpty();
        assertThat(s.defaultResponseMode()).isEqualTo(ResponseMode.FILE);
        assertThat(s.detailedMoreInformationLink()).isEqualTo("http://go.microsoft.com/fwlink/?LinkID=62293");
        assertThat(s.allowAbsolutePathsWhenDelegated()).isFalse();
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void readsIisSpellingsAndExpandsPaths() {
        HttpErrorsSection s = bind("""
                <httpErrors errorMode="Custom" existingResponse="PassThrough" defaultPath="%ERRORS%/any.htm"
                            defaultResponseMode="ExecuteURL" detailedMoreInformationLink="">
                  <error statusCode="404" prefixLanguageFilePath="%ERRORS%" path="404.htm" />
                  <error statusCode="500" subStatusCode="19" path="/config-error" responseMode="ExecuteURL" />
                  <error statusCode="503" path="https://status.example/" responseMode="Redirect" />
                </httpErrors>""");
        assertThat(s.errorMode()).isEqualTo(ErrorMode.CUSTOM);
        assertThat(s.existingResponse()).isEqualTo(ExistingResponse.PASS_THROUGH);
        assertThat(s.defaultPath()).isEqualTo("/srv/errors/any.htm");
        assertThat(s.defaultResponseMode()).isEqualTo(ResponseMode.EXECUTE_URL);
        assertThat(s.detailedMoreInformationLink()).isEmpty();
        assertThat(s.errors())
                .containsExactly(
                        new HttpErrorsSection.ErrorEntry(404, -1, "/srv/errors", "404.htm", ResponseMode.FILE),
                        new HttpErrorsSection.ErrorEntry(500, 19, "", "/config-error", ResponseMode.EXECUTE_URL),
                        new HttpErrorsSection.ErrorEntry(
                                503, -1, "", "https://status.example/", ResponseMode.REDIRECT));
    }

    @Test
    void theExactSubstatusWinsThenMinusOneThenNothing() {
        HttpErrorsSection s = bind("""
                <httpErrors>
                  <error statusCode="404" path="any.htm" />
                  <error statusCode="404" subStatusCode="3" path="mime.htm" />
                </httpErrors>""");
        assertThat(s.find(404, 3))
                .get()
                .extracting(HttpErrorsSection.ErrorEntry::path)
                .isEqualTo("mime.htm");
        assertThat(s.find(404, 0))
                .get()
                .extracting(HttpErrorsSection.ErrorEntry::path)
                .isEqualTo("any.htm");
        assertThat(s.find(404, 8))
                .get()
                .extracting(HttpErrorsSection.ErrorEntry::path)
                .isEqualTo("any.htm");
        assertThat(s.find(403, 0)).isEmpty();
    }

    @Test
    void outOfRangeOrIncompleteEntriesAreRefusedWithTheirPlace() {
        assertThatThrownBy(() -> bind("<httpErrors><error statusCode=\"399\" path=\"x\" /></httpErrors>"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("between 400 and 999")
                .hasMessageContaining("test.config:");
        assertThatThrownBy(() ->
                        bind("<httpErrors><error statusCode=\"404\" subStatusCode=\"-2\" path=\"x\" /></httpErrors>"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("between -1 and 999");
        assertThatThrownBy(() -> bind("<httpErrors><error statusCode=\"404\" path=\" \" /></httpErrors>"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("non-empty path");
        assertThatThrownBy(() -> bind("<httpErrors errorMode=\"Sometimes\" />")).isInstanceOf(ConfigException.class);
    }
}
