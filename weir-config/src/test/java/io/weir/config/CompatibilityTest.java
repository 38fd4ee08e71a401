package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.config.ConfigElement;
import io.weir.config.xml.ConfigXmlReader;
import io.weir.config.xml.XmlElement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every real IIS file of the shared compatibility inputs loads. */
class CompatibilityTest {

    private static final Map<String, String> IIS_EXPRESS_VARIABLES = Map.of(
            "IIS_BIN",
            "/opt/iis-express",
            "IIS_SITES_HOME",
            "/srv/sites",
            "IIS_USER_HOME",
            "/home/iis",
            "SYSTEMDRIVE",
            "C:");

    /** The folder of real IIS files; the calling test is skipped when it is absent (see {@link CompatInputs}). */
    private static Path compat() {
        return CompatInputs.file("iis-express/applicationhost.config")
                .getParent()
                .getParent();
    }

    private static ApplicationHostConfig iisExpress() {
        return ApplicationHostConfig.load(
                compat().resolve("iis-express/applicationhost.config"), IIS_EXPRESS_VARIABLES);
    }

    @Test
    void theIisExpressApplicationHostConfigLoads() {
        ApplicationHostConfig config = iisExpress();
        assertThat(config.fileLabel()).endsWith("applicationhost.config");
        assertThat(config.sites()).isEmpty();
        assertThat(config.globalModules()).hasSizeGreaterThan(30);
        GlobalModuleEntry staticFile = config.globalModules().stream()
                .filter(m -> m.name().equals("StaticFileModule"))
                .findFirst()
                .orElseThrow();
        assertThat(staticFile.image())
                .hasValueSatisfying(image -> assertThat(image).startsWith("/opt/iis-express\\"));
        assertThat(staticFile.source().line()).isPositive();
    }

    @Test
    void itsHandlersAndModulesComeFromTheUnlockedLocation() {
        ApplicationHostConfig config = iisExpress();
        EffectiveConfig effective = config.effectiveConfig("WebSite1", "/index.html");
        List<ConfigElement> handlers =
                effective.section("system.webServer/handlers").collection();
        assertThat(handlers).hasSizeGreaterThan(50);
        assertThat(handlers.get(handlers.size() - 1).attributes())
                .containsEntry("name", "StaticFile")
                .containsEntry("modules", "StaticFileModule,DefaultDocumentModule,DirectoryListingModule");
        assertThat(effective.section("system.webServer/modules").collection())
                .extracting(m -> m.attribute("name").orElseThrow())
                .contains("DefaultDocumentModule", "DirectoryListingModule", "StaticFileModule");
        assertThat(effective.section("system.webServer/staticContent").collection())
                .hasSizeGreaterThan(300);
        assertThat(config.effectiveConfig("Default Web Site", "/"))
                .isNotSameAs(effective)
                .satisfies(site -> assertThat(site.section("system.webServer/handlers"))
                        .isSameAs(effective.section("system.webServer/handlers")));
    }

    @Test
    void itsRequestFilteringSectionMergesWithEveryCollection() {
        ConfigElement filtering =
                iisExpress().effectiveConfig("WebSite1", "/").section("system.webServer/security/requestFiltering");
        assertThat(filtering.child("fileExtensions").orElseThrow().collection())
                .hasSize(44)
                .allSatisfy(e -> assertThat(e.attributes()).containsEntry("allowed", "false"))
                .extracting(e -> e.attribute("fileExtension").orElseThrow())
                .contains(".config", ".cs", ".mdf");
        assertThat(filtering.child("verbs").orElseThrow().collection())
                .singleElement()
                .satisfies(v ->
                        assertThat(v.attributes()).containsEntry("verb", "PUT").containsEntry("allowed", "false"));
        assertThat(filtering
                        .child("requestLimits")
                        .orElseThrow()
                        .child("headerLimits")
                        .orElseThrow()
                        .collection())
                .singleElement()
                .satisfies(h -> assertThat(h.attributes()).containsEntry("sizeLimit", "500"));
        for (String name : List.of(
                "alwaysAllowedUrls", "denyUrlSequences", "alwaysAllowedQueryStrings", "denyQueryStringSequences")) {
            assertThat(filtering.child(name).orElseThrow().collection())
                    .as(name)
                    .hasSize(1);
        }
        assertThat(filtering.child("filteringRules").orElseThrow().collection())
                .singleElement()
                .satisfies(r -> assertThat(r.attributes()).containsEntry("name", "test"));
    }

    @Test
    void itsUnimplementedSectionsAreNamed() {
        List<String> unsupported = iisExpress().unsupportedSections();
        assertThat(unsupported)
                .contains(
                        "system.applicationHost/applicationPools",
                        "system.applicationHost/listenerAdapters",
                        "system.webServer/asp");
        assertThat(unsupported)
                .doesNotContain(
                        "system.applicationHost/sites",
                        "system.webServer/handlers",
                        "system.webServer/staticContent",
                        "system.webServer/security/requestFiltering",
                        "system.webServer/httpErrors",
                        "system.webServer/security/ipSecurity",
                        "system.webServer/httpLogging",
                        "system.webServer/caching",
                        "system.applicationHost/log")
                .doesNotHaveDuplicates();
    }

    @Test
    void everyCompatibilityFileIsReadWithPositions() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(compat())) {
            files = walk.filter(p ->
                            p.toString().endsWith(".config") || p.toString().endsWith(".xml"))
                    .toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        for (Path file : files) {
            List<String> lines = Files.readAllLines(file);
            XmlElement root;
            try (InputStream in = Files.newInputStream(file)) {
                root = ConfigXmlReader.read(file.getFileName().toString(), in);
            }
            List<XmlElement> all = new ArrayList<>();
            collect(root, all);
            assertThat(all).as(file.toString()).hasSizeGreaterThan(10);
            for (XmlElement element : all) {
                String line = lines.get(element.source().line() - 1);
                assertThat(line.substring(element.source().column() - 1))
                        .as("%s %s", file, element.source())
                        .startsWith("<" + element.name());
                element.attributes().values().forEach(attribute -> {
                    String attributeLine = lines.get(attribute.source().line() - 1);
                    assertThat(attributeLine.substring(attribute.source().column() - 1))
                            .as("%s %s", file, attribute.source())
                            .startsWith(attribute.name());
                });
            }
        }
    }

    @Test
    void webConfigFilesKeepTheirStructure() throws IOException {
        for (String name : List.of("h5bp-server-config.web.config", "h5bp-mvc5.web.config")) {
            XmlElement root;
            try (InputStream in =
                    Files.newInputStream(compat().resolve("web-config").resolve(name))) {
                root = ConfigXmlReader.read(name, in);
            }
            assertThat(root.name()).isEqualTo("configuration");
            List<XmlElement> all = new ArrayList<>();
            collect(root, all);
            assertThat(all)
                    .filteredOn(e -> e.name().equals("mimeMap"))
                    .hasSizeGreaterThan(20)
                    .allSatisfy(e -> assertThat(e.attribute("fileExtension")).isPresent());
            assertThat(all).filteredOn(e -> e.name().equals("system.webServer")).hasSize(1);
        }
    }

    /** Declarations as Visual Studio's IIS Express file writes them (httpCompression delegated, "Declaring sections"). */
    private static final String VS_DECLARATIONS = """
            <section name="httpCompression" overrideModeDefault="Allow" />
            <section name="urlCompression" overrideModeDefault="Allow" />
            <section name="validation" overrideModeDefault="Allow" />
            """;

    /** Item 6: both h5bp web.config files load at a site's root and their implemented sections take effect. */
    @ParameterizedTest
    @ValueSource(strings = {"h5bp-server-config.web.config", "h5bp-mvc5.web.config"})
    void theH5bpWebConfigsTakeEffectUnderASite(String name, @TempDir Path temp) throws IOException {
        Path root = Files.createDirectories(temp.resolve("www"));
        Files.copy(compat().resolve("web-config").resolve(name), root.resolve("web.config"));
        ApplicationHostConfig config = WebConfigSites.appHost(root, "", """
                <location path="" overrideMode="Allow"><system.webServer><modules><add name="StaticFileModule" />
                </modules></system.webServer></location>
                """.replace(
                        "<location",
                        "<configSections><sectionGroup name=\"system.webServer\">" + VS_DECLARATIONS
                                + "</sectionGroup></configSections><location"));
        EffectiveConfig effective = config.effectiveConfig("S", "/css/site.css");
        assertThat(effective.error()).isEmpty();
        ConfigElement staticContent = effective.section("system.webServer/staticContent");
        ConfigElement clientCache = staticContent.child("clientCache").orElseThrow();
        assertThat(clientCache.attribute("cacheControlMode")).contains("UseMaxAge");
        assertThat(clientCache.timeSpanAttribute("cacheControlMaxAge", Duration.ZERO))
                .isEqualTo(Duration.ofDays(30));
        assertThat(staticContent.collection()).hasSizeGreaterThan(20).anySatisfy(m -> assertThat(m.attributes())
                .containsEntry("fileExtension", ".js"));
        assertThat(effective.section("system.webServer/directoryBrowse").attribute("enabled"))
                .contains("false");
        assertThat(effective
                        .section("system.webServer/httpProtocol")
                        .child("customHeaders")
                        .orElseThrow()
                        .collection())
                .anySatisfy(h -> assertThat(h.attributes())
                        .containsEntry("name", "X-Content-Type-Options")
                        .containsEntry("value", "nosniff"));
        assertThat(effective.section("system.webServer/httpErrors").collection())
                .extracting(e -> e.attribute("statusCode").orElseThrow() + " "
                        + e.attribute("responseMode").orElseThrow())
                .contains("404 ExecuteURL", "500 ExecuteURL");
        assertThat(effective
                        .section("system.webServer/security/requestFiltering")
                        .child("verbs")
                        .orElseThrow()
                        .collection())
                .anySatisfy(v -> assertThat(v.attributes())
                        .containsEntry("verb", "TRACE")
                        .containsEntry("allowed", "false"));
        assertThat(effective.section("system.webServer/modules").attribute("runAllManagedModulesForAllRequests"))
                .contains("false");
    }

    /**
     * IIS Express's stock file declares httpCompression AppHostOnly, so IIS itself refuses h5bp's
     * web.config under it (500.19); so does Weir, naming the section, for that folder only.
     */
    @Test
    void underTheStockIisExpressFileH5bpGets500_19ForHttpCompression(@TempDir Path temp) throws IOException {
        Path root = Files.createDirectories(temp.resolve("www"));
        Path sub = Files.createDirectories(root.resolve("h5bp"));
        Files.copy(compat().resolve("web-config/h5bp-server-config.web.config"), sub.resolve("web.config"));
        ApplicationHostConfig config = iisExpress().withAddedSite("Default Web Site", root, 0);
        assertThat(config.effectiveConfig("Default Web Site", "/h5bp/x.css").error())
                .hasValueSatisfying(e -> {
                    assertThat(e.source().file())
                            .isEqualTo(sub.resolve("web.config").toString());
                    assertThat(e.reason()).contains("system.webServer/httpCompression", "AppHostOnly");
                });
        assertThat(config.effectiveConfig("Default Web Site", "/x.css").error()).isEmpty();
    }

    private static void collect(XmlElement element, List<XmlElement> into) {
        into.add(element);
        element.children().forEach(child -> collect(child, into));
    }
}
