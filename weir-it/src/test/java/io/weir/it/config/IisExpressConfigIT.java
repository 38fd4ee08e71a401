package io.weir.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.ApplicationHostConfig;
import io.weir.config.CompatInputs;
import io.weir.core.GlobalModuleStatus;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IIS Express's stock applicationhost.config (shared compatibility input) loads;
 * its {@code %IIS_BIN%\*.dll} images map to the Weir modules that implement them, the others are
 * unavailable, the handlers that need those are skipped, and a folder is served through it with
 * the file's own static handler chain and MIME map, as IIS Express's {@code /path: /port:} does.
 */
class IisExpressConfigIT {

    @TempDir
    Path root;

    private static Path iisExpressFile() {
        return CompatInputs.file("iis-express/applicationhost.config");
    }

    @Test
    void theStockIisExpressFileServesAFolder() throws Exception {
        Files.writeString(root.resolve("index.html"), "<p>iis express</p>");
        Files.writeString(root.resolve("site.css"), "body{}");
        ApplicationHostConfig config = ApplicationHostConfig.load(
                        iisExpressFile(),
                        Map.of(
                                "IIS_BIN",
                                "C:\\Program Files\\IIS Express",
                                "IIS_USER_HOME",
                                root.resolve("home").toString(),
                                "IIS_SITES_HOME",
                                root.toString()))
                .withAddedSite("Default Web Site", root, 0);
        try (WeirTestServer server = WeirTestServer.start(config)) {
            Map<String, GlobalModuleStatus> modules = server.server().engine().modules().stream()
                    .collect(Collectors.toMap(GlobalModuleStatus::name, Function.identity(), (a, b) -> a));
            assertThat(modules.get("StaticFileModule").failure()).isEmpty();
            assertThat(modules.get("StaticFileModule").origin()).contains("static.dll");
            assertThat(modules.get("DefaultDocumentModule").failure()).isEmpty();
            assertThat(modules.get("DirectoryListingModule").failure()).isEmpty();
            assertThat(modules.get("RequestFilteringModule").origin())
                    .contains("RequestFilteringModuleRegistration", "modrqflt.dll");
            assertThat(modules.get("CgiModule").failure()).isEmpty();
            assertThat(modules.get("FastCgiModule").origin()).contains("iisfcgi.dll");
            assertThat(modules.get("ServerSideIncludeModule").failure())
                    .hasValueSatisfying(f -> assertThat(f).contains("no Weir implementation", "iis_ssi.dll"));

            RawHttp.Response page = RawHttp.exchange(server.port(), "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.bodyText()).isEqualTo("<p>iis express</p>");
            RawHttp.Response css = RawHttp.exchange(server.port(), "GET /site.css HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(css.header("Content-Type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
            // The stock file denies .config (requestFiltering) and lists no default document.
            assertThat(RawHttp.exchange(server.port(), "GET /x.config HTTP/1.1\r\nHost: x\r\n\r\n")
                            .status())
                    .isEqualTo(404);
            assertThat(RawHttp.exchange(server.port(), "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                            .status())
                    .isEqualTo(403);
            // OPTIONSVerbHandler needs ProtocolSupportModule: skipped, so StaticFile answers OPTIONS.
            assertThat(RawHttp.exchange(server.port(), "OPTIONS /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
                            .status())
                    .isNotEqualTo(500);
        }
    }
}
