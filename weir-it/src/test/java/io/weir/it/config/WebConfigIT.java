package io.weir.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.CompatInputs;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * web.config files under a served site, over loopback HTTP (docs/reference/configuration-system.md, "Files and levels", "Delegation and locking"):
 * a web.config changes what its folder serves; one that sets a locked section answers IIS's 500.19
 * with the detailed page for a loopback client, naming the file, line and rule; the other folders
 * keep serving.
 */
class WebConfigIT {

    /** An applicationHost.config declaring sections as Visual Studio's IIS Express file does ("Declaring sections"). */
    static final String CONFIG = """
            <configuration>
              <configSections>
                <sectionGroup name="system.applicationHost">
                  <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                </sectionGroup>
                <sectionGroup name="system.webServer">
                  <section name="globalModules" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                  <section name="modules" allowDefinition="MachineToApplication" overrideModeDefault="Deny" />
                  <section name="handlers" overrideModeDefault="Deny" />
                  <section name="defaultDocument" overrideModeDefault="Allow" />
                  <section name="directoryBrowse" overrideModeDefault="Allow" />
                  <section name="staticContent" overrideModeDefault="Allow" />
                  <section name="httpErrors" overrideModeDefault="Allow" />
                  <section name="httpProtocol" overrideModeDefault="Allow" />
                  <section name="httpCompression" overrideModeDefault="Allow" />
                  <section name="urlCompression" overrideModeDefault="Allow" />
                  <section name="validation" overrideModeDefault="Allow" />
                  <sectionGroup name="security">
                    <section name="requestFiltering" overrideModeDefault="Allow" />
                    <sectionGroup name="authentication">
                      <section name="anonymousAuthentication" overrideModeDefault="Deny" />
                    </sectionGroup>
                  </sectionGroup>
                </sectionGroup>
              </configSections>
              <system.applicationHost><sites>
                <site name="S" id="1">
                  <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                  <application path="/h5bp"><virtualDirectory path="/" physicalPath="%ROOT%/h5bp" /></application>
                  <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                </site>
              </sites></system.applicationHost>
              <system.webServer>
                <globalModules>
                  <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
                  <add name="DefaultDocumentModule" type="io.weir.modules.defaultdocument.DefaultDocumentModuleRegistration" />
                  <add name="DirectoryListingModule" type="io.weir.modules.directorylisting.DirectoryListingModuleRegistration" />
                </globalModules>
                <staticContent>
                  <mimeMap fileExtension=".txt" mimeType="text/plain" />
                  <mimeMap fileExtension=".css" mimeType="text/css" />
                </staticContent>
                <directoryBrowse enabled="false" />
              </system.webServer>
              <location path="" overrideMode="Allow">
                <system.webServer>
                  <modules>
                    <add name="StaticFileModule" /><add name="DefaultDocumentModule" /><add name="DirectoryListingModule" />
                  </modules>
                  <handlers accessPolicy="Read">
                    <add name="StaticFile" path="*" verb="*" resourceType="Either" requireAccess="Read"
                         modules="StaticFileModule,DefaultDocumentModule,DirectoryListingModule" />
                  </handlers>
                </system.webServer>
              </location>
            </configuration>
            """;

    @TempDir
    Path root;

    @BeforeEach
    void site() throws Exception {
        for (String folder : new String[] {"open", "closed", "h5bp"}) {
            Files.createDirectories(root.resolve(folder));
            Files.writeString(root.resolve(folder).resolve("a.txt"), "in " + folder);
        }
        Files.writeString(root.resolve("top.txt"), "top");
        Files.writeString(root.resolve("h5bp/site.css"), "body{}");
        Files.writeString(
                root.resolve("open/web.config"),
                "<configuration><system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>"
                        + "</configuration>");
    }

    private static RawHttp.Response get(WeirTestServer server, String path) throws Exception {
        return RawHttp.exchange(server.port(), "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }

    /** "Files and levels": a web.config turns directory browsing on for its folder only. */
    @Test
    void aWebConfigChangesWhatItsFolderServes() throws Exception {
        try (WeirTestServer server = WeirTestServer.start(CONFIG, Map.of("ROOT", root.toString()))) {
            RawHttp.Response open = get(server, "/open/");
            assertThat(open.status()).isEqualTo(200);
            assertThat(open.bodyText()).contains("a.txt");
            assertThat(get(server, "/closed/").status()).isEqualTo(403);
        }
    }

    /** "Delegation and locking": a locked section in a web.config: 500.19 for its folder, detailed for loopback; others serve. */
    @Test
    void aLockedSectionAnswers500_19ForItsFolderOnly() throws Exception {
        Files.writeString(root.resolve("closed/web.config"), """
                <configuration>
                  <system.webServer>
                    <globalModules />
                  </system.webServer>
                </configuration>
                """);
        Files.writeString(root.resolve("open/web.config"), """
                <configuration>
                  <system.webServer>
                    <directoryBrowse enabled="true" />
                    <security><authentication><anonymousAuthentication enabled="false" /></authentication></security>
                  </system.webServer>
                </configuration>
                """);
        Path sub = Files.createDirectories(root.resolve("h5bp/sub"));
        Files.writeString(sub.resolve("web.config"), """
                <configuration>
                  <system.webServer>
                    <modules><clear /></modules>
                  </system.webServer>
                </configuration>
                """);
        Files.writeString(sub.resolve("b.txt"), "b");
        try (WeirTestServer server = WeirTestServer.start(CONFIG, Map.of("ROOT", root.toString()))) {
            RawHttp.Response closed = get(server, "/closed/a.txt");
            assertThat(closed.status()).isEqualTo(500);
            assertThat(closed.bodyText())
                    .contains(
                            "500.19",
                            root.resolve("closed/web.config").toString(),
                            "line 3, column 5",
                            "globalModules",
                            "AppHostOnly");

            RawHttp.Response anonymous = get(server, "/open/a.txt");
            assertThat(anonymous.status()).isEqualTo(500);
            assertThat(anonymous.bodyText())
                    .contains(
                            "500.19",
                            "system.webServer/security/authentication/anonymousAuthentication",
                            "locked",
                            "overrideModeDefault");

            RawHttp.Response modules = get(server, "/h5bp/sub/b.txt");
            assertThat(modules.status()).isEqualTo(500);
            assertThat(modules.bodyText()).contains("500.19", "MachineToApplication");

            RawHttp.Response top = get(server, "/top.txt");
            assertThat(top.status()).isEqualTo(200);
            assertThat(top.bodyText()).isEqualTo("top");
            assertThat(get(server, "/h5bp/a.txt").bodyText()).isEqualTo("in h5bp");
        }
    }

    /**
     * Compatibility input: h5bp's web.config loads at an application root (it sets {@code modules},
     * a MachineToApplication section); its staticContent/clientCache takes effect.
     */
    @Test
    void theH5bpWebConfigTakesEffect() throws Exception {
        Path h5bp = CompatInputs.file("web-config/h5bp-server-config.web.config");
        Files.copy(h5bp, root.resolve("h5bp/web.config"));
        try (WeirTestServer server = WeirTestServer.start(CONFIG, Map.of("ROOT", root.toString()))) {
            RawHttp.Response css = get(server, "/h5bp/site.css");
            assertThat(css.status()).as(css.bodyText()).isEqualTo(200);
            assertThat(css.header("Cache-Control"))
                    .hasValueSatisfying(v -> assertThat(v).contains("max-age=2592000"));
            assertThat(css.header("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
            RawHttp.Response top = get(server, "/top.txt");
            assertThat(top.status()).isEqualTo(200);
            assertThat(top.header("Cache-Control")).isEmpty();
        }
    }
}
