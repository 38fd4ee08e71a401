package io.weir.modules.httplogging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigException;
import io.weir.config.ApplicationHostConfig;
import io.weir.modules.httplogging.LogFileSettings.LogFormat;
import io.weir.modules.httplogging.LogFileSettings.LogPeriod;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding {@code logFile} from {@code sites}: a site's own attributes, then siteDefaults, then IIS's. */
class SiteLogSettingsTest {

    @TempDir
    Path dir;

    private static String config(String sitesInner) {
        return """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>%s</sites></system.applicationHost>
                </configuration>
                """.formatted(sitesInner);
    }

    private static final String SITE = "<application path=\"/\"><virtualDirectory path=\"/\" physicalPath=\".\" />"
            + "</application><bindings><binding protocol=\"http\" bindingInformation=\"*:0:\" /></bindings>";

    private static SiteLogSettings bind(String xml, Map<String, String> vars) {
        ApplicationHostConfig config = ApplicationHostConfig.parse(
                "test",
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                Path.of("").toAbsolutePath(),
                vars);
        return SiteLogSettings.from(config.effectiveConfig("A", "/").section("system.applicationHost/sites"));
    }

    @Test
    void absentLogFileGivesIisDefaultsAndWeirsDefaultFolder() {
        LogFileSettings s = bind(config("<site name=\"A\" id=\"3\">" + SITE + "</site>"), Map.of())
                .forSite(3);
        assertThat(s.enabled()).isTrue();
        assertThat(s.logFormat()).isEqualTo(LogFormat.W3C);
        assertThat(s.period()).isEqualTo(LogPeriod.DAILY);
        assertThat(s.truncateSize()).isEqualTo(20_971_520L);
        assertThat(s.localTimeRollover()).isFalse();
        assertThat(s.fields()).isEqualTo(LogField.IIS_DEFAULTS);
        assertThat(s.logToFile()).isTrue();
        assertThat(s.maxLogLineLength()).isEqualTo(65536);
        assertThat(s.directory()).isEqualTo(LogFileSettings.defaultDirectory());
    }

    @Test
    void theSitesOwnAttributesWinOverSiteDefaults() {
        SiteLogSettings all = bind(
                config("<site name=\"A\" id=\"3\">" + SITE
                        + "<logFile period=\"Hourly\" logExtFileFlags=\"Date, Time, Cookie\" /></site>"
                        + "<site name=\"B\" id=\"4\">" + SITE + "</site>"
                        + "<siteDefaults><logFile directory=\"" + dir
                        + "\" period=\"Weekly\" enabled=\"false\" /></siteDefaults>"),
                Map.of());
        LogFileSettings a = all.forSite(3);
        assertThat(a.period()).isEqualTo(LogPeriod.HOURLY);
        assertThat(a.enabled()).isFalse();
        assertThat(a.directory()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(a.fields()).isEqualTo(EnumSet.of(LogField.DATE, LogField.TIME, LogField.COOKIE));
        LogFileSettings b = all.forSite(4);
        assertThat(b.period()).isEqualTo(LogPeriod.WEEKLY);
        assertThat(b.fields()).isEqualTo(LogField.IIS_DEFAULTS);
        assertThat(all.forSite(99).period()).isEqualTo(LogPeriod.WEEKLY);
    }

    @Test
    void iisDefaultFolderWithoutSystemDriveFallsBackToWeirsFolder() {
        LogFileSettings s = bind(
                        config("<site name=\"A\" id=\"3\">" + SITE
                                + "<logFile directory=\"%SystemDrive%\\inetpub\\logs\\LogFiles\" /></site>"),
                        Map.of())
                .forSite(3);
        assertThat(s.directory()).isEqualTo(LogFileSettings.defaultDirectory());
        LogFileSettings expanded = bind(
                        config("<site name=\"A\" id=\"3\">" + SITE + "<logFile directory=\"%LOGS%\\w3c\" /></site>"),
                        Map.of("LOGS", dir.toString()))
                .forSite(3);
        assertThat(expanded.directory())
                .isEqualTo(dir.resolve("w3c").toAbsolutePath().normalize());
    }

    @Test
    void aRelativeFolderResolvesAgainstTheConfigurationFile() throws Exception {
        Path file = dir.resolve("applicationHost.config");
        Files.writeString(
                file, config("<site name=\"A\" id=\"3\">" + SITE + "<logFile directory=\"logs\\w3c\" /></site>"));
        ApplicationHostConfig config = ApplicationHostConfig.load(file, Map.of());
        LogFileSettings s = SiteLogSettings.from(
                        config.effectiveConfig("A", "/").section("system.applicationHost/sites"))
                .forSite(3);
        assertThat(s.directory())
                .isEqualTo(dir.resolve("logs/w3c").toAbsolutePath().normalize());
    }

    @Test
    void outOfRangeAndUnknownValuesAreRefusedWithTheirPlace() {
        assertThatThrownBy(() -> bind(
                        config("<site name=\"A\" id=\"3\">" + SITE
                                + "<logFile period=\"MaxSize\" truncateSize=\"1000\" /></site>"),
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("truncateSize");
        assertThatThrownBy(() -> bind(
                        config("<site name=\"A\" id=\"3\">" + SITE
                                + "<logFile logExtFileFlags=\"Date, Nonsense\" /></site>"),
                        Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("Nonsense");
        assertThatThrownBy(() -> bind(
                        config("<site name=\"A\" id=\"3\">" + SITE + "<logFile period=\"Yearly\" /></site>"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("period");
    }

    @Test
    void otherFormatsAndTargetsAreRead() {
        LogFileSettings s = bind(
                        config("<site name=\"A\" id=\"3\">" + SITE
                                + "<logFile logFormat=\"NCSA\" logTargetW3C=\"ETW\" logExtFileFlags=\"0\" /></site>"),
                        Map.of())
                .forSite(3);
        assertThat(s.logFormat()).isEqualTo(LogFormat.NCSA);
        assertThat(s.logToFile()).isFalse();
        assertThat(s.fields()).isEmpty();
    }
}
