package io.weir.it.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stock StaticFile handler mapping and its chain of modules, docs/reference/native-module-model.md, "Handlers": the
 * mapping lists StaticFileModule, DefaultDocumentModule and DirectoryListingModule, and
 * EXECUTE_REQUEST_HANDLER goes to them in that order until one handles the request. Removing a
 * module from the mapping's list removes its part of the behaviour, as the IIS Modules Overview
 * describes ("removing DefaultDocumentModule makes / return 404 or a listing").
 */
class StaticHandlerChainIT {

    @TempDir
    Path root;

    @BeforeEach
    void site() throws Exception {
        Files.writeString(root.resolve("index.html"), "<p>home</p>");
        Files.writeString(root.resolve("a.txt"), "file a");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/guide.txt"), "guide");
        Files.createDirectories(root.resolve("empty"));
    }

    private static String config(String handlerModules, boolean browse) {
        return """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                      <section name="defaultDocument" /><section name="directoryBrowse" /><section name="staticContent" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="Chain" id="1">
                      <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules>
                      <add name="DefaultDocumentModule" type="io.weir.modules.defaultdocument.DefaultDocumentModuleRegistration" />
                      <add name="DirectoryListingModule" type="io.weir.modules.directorylisting.DirectoryListingModuleRegistration" />
                      <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
                    </globalModules>
                    <modules>
                      <add name="DefaultDocumentModule" /><add name="DirectoryListingModule" /><add name="StaticFileModule" />
                    </modules>
                    <handlers accessPolicy="Read">
                      <add name="StaticFile" path="*" verb="*" modules="@MODULES@" resourceType="Either" requireAccess="Read" />
                    </handlers>
                    <defaultDocument enabled="true"><files><add value="index.html" /></files></defaultDocument>
                    <directoryBrowse enabled="@BROWSE@" />
                    <staticContent>
                      <mimeMap fileExtension=".html" mimeType="text/html" />
                      <mimeMap fileExtension=".txt" mimeType="text/plain" />
                    </staticContent>
                  </system.webServer>
                </configuration>
                """.replace("@MODULES@", handlerModules).replace("@BROWSE@", Boolean.toString(browse));
    }

    private WeirTestServer start(String handlerModules, boolean browse) {
        return WeirTestServer.start(config(handlerModules, browse), Map.of("ROOT", root.toString()));
    }

    private static RawHttp.Response get(WeirTestServer server, String path) {
        return RawHttp.exchange(server.port(), "GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n");
    }

    @Test
    void eachModuleOfTheStockChainHandlesItsCase() {
        try (WeirTestServer server = start("StaticFileModule,DefaultDocumentModule,DirectoryListingModule", false)) {
            RawHttp.Response file = get(server, "/a.txt");
            assertThat(file.status()).isEqualTo(200);
            assertThat(file.bodyText()).isEqualTo("file a");
            RawHttp.Response home = get(server, "/");
            assertThat(home.status()).isEqualTo(200);
            assertThat(home.bodyText()).isEqualTo("<p>home</p>");
            assertThat(home.header("Content-Type")).contains("text/html");
            RawHttp.Response slash = get(server, "/docs");
            assertThat(slash.status()).isEqualTo(301);
            assertThat(slash.header("Location")).get().asString().endsWith("/docs/");
            RawHttp.Response noDefault = get(server, "/docs/");
            assertThat(noDefault.status()).isEqualTo(403);
            assertThat(noDefault.bodyText()).contains("403.14");
            assertThat(get(server, "/missing.txt").status()).isEqualTo(404);
        }
    }

    @Test
    void withBrowsingOnTheLastModuleListsAFolderWithoutADefaultDocument() {
        try (WeirTestServer server = start("StaticFileModule,DefaultDocumentModule,DirectoryListingModule", true)) {
            RawHttp.Response listing = get(server, "/docs/");
            assertThat(listing.status()).isEqualTo(200);
            assertThat(listing.bodyText()).contains("guide.txt");
            assertThat(get(server, "/").bodyText()).isEqualTo("<p>home</p>");
        }
    }

    @Test
    void withoutDefaultDocumentModuleTheRootIsListedOrRefused() {
        try (WeirTestServer browsing = start("StaticFileModule,DirectoryListingModule", true)) {
            RawHttp.Response root = get(browsing, "/");
            assertThat(root.status()).isEqualTo(200);
            assertThat(root.bodyText()).contains("index.html").doesNotContain("<p>home</p>");
        }
        try (WeirTestServer refusing = start("StaticFileModule,DirectoryListingModule", false)) {
            assertThat(get(refusing, "/").status()).isEqualTo(403);
        }
    }

    @Test
    void withOnlyStaticFileModuleAFolderGetsAnEmptyResponse() {
        // IIS Modules Overview: if none of the handler's modules handles a "/" request, the response is empty.
        try (WeirTestServer server = start("StaticFileModule", false)) {
            RawHttp.Response root = get(server, "/");
            assertThat(root.status()).isEqualTo(200);
            assertThat(root.body()).isEmpty();
            assertThat(get(server, "/a.txt").bodyText()).isEqualTo("file a");
        }
    }
}
