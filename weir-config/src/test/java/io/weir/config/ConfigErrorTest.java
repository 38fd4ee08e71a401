package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigErrorTest {

    enum CacheControlMode {
        NO_CONTROL,
        DISABLE_CACHE,
        USE_MAX_AGE,
        USE_EXPIRES
    }

    private static ConfigException refusal(String body) {
        try {
            ConfigText.parse(body);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("the configuration was accepted");
    }

    private static String site(String bindingInformation) {
        return """
                <system.applicationHost><sites>
                  <site name="S" id="1"><application path="/"><virtualDirectory path="/" physicalPath="w" /></application>
                    <bindings><binding protocol="http" bindingInformation="%s" /></bindings></site>
                </sites></system.applicationHost>
                """.formatted(bindingInformation);
    }

    @Test
    void malformedXmlNamesFileLineColumnAndTheParsersReason() {
        ConfigException e = refusal("""
                <system.webServer>
                  <modules><add name="A"></modules>
                </system.webServer>
                """);
        assertThat(e.source().file()).isEqualTo(ConfigText.LABEL);
        assertThat(e.source().line()).isEqualTo(18);
        assertThat(e.source().column()).isPositive();
        assertThat(e.reason()).startsWith("malformed XML").contains("add");
    }

    /**
     * An element left open is reported where it was opened, not hundreds of lines below where the
     * parser gave up (the end of its parent), which is named too.
     */
    @Test
    void anElementLeftOpenIsReportedWhereItWasOpened() throws Exception {
        String embedded;
        try (InputStream in =
                ApplicationHostConfig.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String broken =
                embedded.replaceFirst("<directoryBrowse enabled=\"false\" />", "<directoryBrowse enabled=\"false\">");
        assertThat(broken).isNotEqualTo(embedded);
        int openedAt = (int) broken.substring(0, broken.indexOf("<directoryBrowse"))
                        .chars()
                        .filter(c -> c == '\n')
                        .count()
                + 1;
        int lastLine = (int) broken.lines().count();
        ConfigException e = Assertions.catchThrowableOfType(
                ConfigException.class,
                () -> ApplicationHostConfig.parse(
                        "applicationHost.config",
                        new ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8)),
                        Path.of("."),
                        Map.of("WEIR_SITE_ROOT", ".")));
        assertThat(e).isNotNull();
        assertThat(lastLine - openedAt).as("the parser gives up far below").isGreaterThan(100);
        assertThat(e.source().line()).isEqualTo(openedAt);
        assertThat(e.source().column()).isPositive();
        assertThat(e.reason())
                .startsWith("malformed XML: the element <directoryBrowse> opened here is never closed")
                .containsPattern("the parser stopped at line (\\d+)");
        int stoppedAt = Integer.parseInt(e.reason().replaceAll("(?s).*stopped at line (\\d+).*", "$1"));
        assertThat(stoppedAt).isGreaterThan(openedAt + 100);
    }

    @Test
    void externalEntitiesAreNotRead() {
        assertThatThrownBy(() -> ConfigText.parseDocument("""
                <?xml version="1.0"?>
                <!DOCTYPE configuration [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
                <configuration><x a="&secret;" /></configuration>
                """, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.source().line()).isEqualTo(3);
                    assertThat(e.reason()).startsWith("malformed XML");
                });
    }

    @Test
    void anUndeclaredSectionIsRefusedWithItsPosition() {
        ConfigException e = refusal("""
                <system.webServer>
                    <rewrite><rules /></rewrite>
                </system.webServer>
                """);
        assertThat(e.source()).isEqualTo(new ConfigSource(ConfigText.LABEL, 18, 5));
        assertThat(e.reason()).contains("system.webServer/rewrite", "not declared");
    }

    @Test
    void theRootMustBeConfiguration() {
        assertThatThrownBy(() -> ConfigText.parseDocument("<settings/>", Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("test.config:1:1: the root element must be <configuration>, not <settings>"));
    }

    @Test
    void aMissingFileIsReportedByItsPath() {
        Path missing = Path.of("target", "no-such-dir", "applicationHost.config");
        assertThatThrownBy(() -> ApplicationHostConfig.load(missing, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.source().file()).isEqualTo(missing.toString());
                    assertThat(e.reason()).contains("cannot read");
                });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "*:http:|'http' is not a port number",
                "*:80|host part is missing",
                "*:70000:|outside 0-65535",
                "1.2.3.999:80:|not an IP address",
                "localhost:80:|not an IP address",
                "[::1:80:|brackets",
                "80|has no port"
            })
    void aBadBindingIsRefusedAtItsAttribute(String information, String reason) {
        ConfigException e = refusal(site(information));
        assertThat(e.source().line()).isEqualTo(19);
        assertThat(e.source().column()).isEqualTo(40);
        assertThat(e.reason()).contains(information, reason);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "*:80:|*|80|''",
                ":8080:localhost|*|8080|localhost",
                "127.0.0.1:0:|127.0.0.1|0|''",
                "[::1]:443:www.example.com|::1|443|www.example.com",
                "[fe80::1%eth0]:80:|fe80::1%eth0|80|''"
            })
    void goodBindingsAreParsed(String information, String ip, int port, String host) {
        SiteConfig.BindingConfig binding =
                ConfigText.parse(site(information)).sites().get(0).bindings().get(0);
        assertThat(binding.ip()).isEqualTo(ip);
        assertThat(binding.port()).isEqualTo(port);
        assertThat(binding.host()).isEqualTo(host);
        assertThat(binding.source().line()).isEqualTo(19);
    }

    @Test
    void otherProtocolsAreKeptAsWritten() {
        SiteConfig.BindingConfig binding = ConfigText.parse(site("808:*").replace("\"http\"", "\"net.tcp\""))
                .sites()
                .get(0)
                .bindings()
                .get(0);
        assertThat(binding.protocol()).isEqualTo("net.tcp");
        assertThat(binding.host()).isEqualTo("808:*");
        assertThat(binding.port()).isZero();
    }

    @Test
    void duplicateSiteNamesAndIdsAreRefused() {
        String first =
                "<site name=\"A\" id=\"1\"><application path=\"/\"><virtualDirectory path=\"/\" physicalPath=\"w\" />"
                        + "</application></site>\n";
        ConfigException sameName = refusal("<system.applicationHost><sites>\n" + first
                + first.replace("id=\"1\"", "id=\"2\"") + "</sites></system.applicationHost>\n");
        assertThat(sameName.source().line()).isEqualTo(19);
        assertThat(sameName.reason()).contains("duplicate", "'A'");
        ConfigException sameId = refusal("<system.applicationHost><sites>\n" + first
                + first.replace("name=\"A\"", "name=\"B\"") + "</sites></system.applicationHost>\n");
        assertThat(sameId.source()).isEqualTo(new ConfigSource(ConfigText.LABEL, 19, 16));
        assertThat(sameId.reason()).contains("id 1", "'A'");
    }

    @Test
    void aSiteNeedsARootApplicationAndAnApplicationARootDirectory() {
        ConfigException noRootApplication = refusal("""
                <system.applicationHost><sites>
                  <site name="S" id="1"><application path="/app"><virtualDirectory path="/" physicalPath="w" />
                  </application></site>
                </sites></system.applicationHost>
                """);
        assertThat(noRootApplication.source()).isEqualTo(new ConfigSource(ConfigText.LABEL, 18, 3));
        assertThat(noRootApplication.reason()).contains("no root application");
        ConfigException noRootDirectory = refusal("""
                <system.applicationHost><sites>
                  <site name="S" id="1">
                    <application path="/"><virtualDirectory path="/docs" physicalPath="w" /></application></site>
                </sites></system.applicationHost>
                """);
        assertThat(noRootDirectory.source()).isEqualTo(new ConfigSource(ConfigText.LABEL, 19, 5));
        assertThat(noRootDirectory.reason()).contains("no root virtual directory");
    }

    /** The typed schema refuses a malformed value when the file is read, naming its position. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "<directoryBrowse enabled=\"yes\" />|20|'enabled' of <directoryBrowse> must be 'true' or 'false', not 'yes'",
                "<directoryBrowse showFlags=\"Date, Hour\" />|20|'Hour' is not one of them",
                "<staticContent><clientCache cacheControlMode=\"UseMaxAgeX\" /></staticContent>|31|must be one of NoControl, DisableCache, UseMaxAge, UseExpires, not 'UseMaxAgeX'",
                "<staticContent><clientCache cacheControlMaxAge=\"1.25:00:00\" /></staticContent>|31|time span",
                "<handlers><add name=\"h\" path=\"*\" verb=\"*\" responseBufferLimit=\"-1\" /></handlers>|45|unsigned integer",
                "<handlers><add name=\"h\" path=\"*\" verb=\"*\" responseBufferLimit=\"lots\" /></handlers>|45|must be an unsigned integer (0 to 4294967295), not 'lots'",
                "<handlers><add name=\"h\" path=\"*\" verb=\"*\" resourceType=\"Folder\" /></handlers>|45|must be one of File, Directory, Either, Unspecified",
                "<handlers><add name=\"h\" verb=\"*\" /></handlers>|13|missing the required attribute 'path'",
                "<directoryBrowse enable=\"true\" />|20|unrecognized attribute 'enable'",
                "<directoryBrowse><files /></directoryBrowse>|20|unrecognized element <files>"
            })
    void malformedTypedValuesAreRefusedWithTheirPosition(String xml, int column, String reason) {
        // column: where the offending attribute (or element) starts on line 18, after the 2-space indent
        assertThatThrownBy(() -> ConfigText.parse("<system.webServer>\n  " + xml + "\n</system.webServer>\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.source().file()).isEqualTo(ConfigText.LABEL);
                    assertThat(e.source().line()).isEqualTo(18);
                    assertThat(e.source().column()).isEqualTo(column);
                    assertThat(e.reason()).contains(reason);
                });
    }

    /** The typed getters still take the caller's default when no file sets the attribute. */
    @Test
    void typedGettersKeepTheCallersDefault() {
        ConfigElement cache = ConfigText.parse("""
                <system.webServer><staticContent><clientCache setEtag="TRUE" /></staticContent></system.webServer>
                """)
                .effectiveConfig("S", "/")
                .section("system.webServer/staticContent")
                .child("clientCache")
                .orElseThrow();
        assertThat(cache.booleanAttribute("setEtag", false)).isTrue();
        assertThat(cache.attribute("cacheControlMode")).contains("NoControl");
        assertThat(cache.enumAttribute("cacheControlMode", CacheControlMode.class, CacheControlMode.DISABLE_CACHE))
                .isEqualTo(CacheControlMode.DISABLE_CACHE);
        assertThat(cache.timeSpanAttribute("cacheControlMaxAge", Duration.ofSeconds(5)))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(cache.longAttribute("absent", 7)).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"UseMaxAge|USE_MAX_AGE", "usemaxage|USE_MAX_AGE", "0|NO_CONTROL", "NoControl|NO_CONTROL"})
    void enumsMatchFriendlyNames(String written, CacheControlMode expected) {
        ConfigElement cache = ConfigText.parse("""
                <system.webServer><staticContent><clientCache cacheControlMode="%s" /></staticContent></system.webServer>
                """.formatted(written))
                .effectiveConfig("S", "/")
                .section("system.webServer/staticContent")
                .child("clientCache")
                .orElseThrow();
        assertThat(cache.enumAttribute("cacheControlMode", CacheControlMode.class, CacheControlMode.DISABLE_CACHE))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "00:00:30|PT30S",
                "1.00:00:00|PT24H",
                "7.02:03:04.5|PT170H3M4.5S",
                "00:00:00.0000001|PT0.0000001S",
                "-00:01:00|PT-1M"
            })
    void timeSpansParse(String written, Duration expected) {
        ConfigElement cache = ConfigText.parse("""
                <system.webServer><staticContent><clientCache cacheControlMaxAge="%s" /></staticContent></system.webServer>
                """.formatted(written))
                .effectiveConfig("S", "/")
                .section("system.webServer/staticContent")
                .child("clientCache")
                .orElseThrow();
        assertThat(cache.timeSpanAttribute("cacheControlMaxAge", Duration.ZERO)).isEqualTo(expected);
    }
}
