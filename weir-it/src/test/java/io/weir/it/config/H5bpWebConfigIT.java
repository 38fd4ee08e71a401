package io.weir.it.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.CompatInputs;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compatibility proof: h5bp's {@code h5bp-server-config.web.config}, unchanged, as the
 * web.config of a site served by Weir's embedded default configuration with every built-in module.
 * Its {@code httpProtocol/customHeaders}, {@code httpErrors}, {@code security/requestFiltering/verbs}
 * and {@code directoryBrowse} take effect, checked over loopback HTTP.
 *
 * <p>The one change to the server's configuration: the file sets {@code httpCompression}, which IIS
 * (and IIS Express) declare {@code allowDefinition="AppHostOnly"}, so on a stock IIS the file gives
 * 500.19 (docs/reference/configuration-system.md, "Declaring sections"). The test unlocks it, as an administrator who deploys
 * h5bp's file must; Weir does not implement httpCompression and ignores it.
 */
class H5bpWebConfigIT {

    @TempDir
    Path root;

    @TempDir
    Path logs;

    private WeirTestServer server;

    @BeforeEach
    void start() throws IOException {
        Files.copy(CompatInputs.file("web-config/h5bp-server-config.web.config"), root.resolve("web.config"));
        Files.writeString(root.resolve("index.html"), "<!doctype html><title>home</title>");
        Files.writeString(root.resolve("site.css"), "body{}");
        Files.createDirectories(root.resolve("assets"));
        Files.writeString(root.resolve("assets/app.js"), "console.log(1)");
        String config;
        try (InputStream in = H5bpWebConfigIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // the project's httpCompression element is valid in a web.config, as Weir's default declares it
        assertThat(config).contains("<section name=\"httpCompression\" overrideModeDefault=\"Allow\" />");
        // the web.config adds its own scheme and static types; a second entry of one key is refused
        // (500.19), as IIS refuses a duplicate collection entry, so the server level declares none
        String compression = "(?s)<httpCompression\\b.*?</httpCompression>";
        assertThat(config).containsPattern(compression);
        config = config.replaceFirst(compression, "<httpCompression />");
        // the access log (HttpLoggingModule) shows the substatus, which is not on the wire
        String logFile = "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" />";
        assertThat(config).contains(logFile);
        config = config.replace(
                logFile, "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" directory=\"" + logs + "\" />");
        server = WeirTestServer.start(config, Map.of("WEIR_SITE_ROOT", root.toString()));
    }

    @AfterEach
    void stop() {
        if (server != null) { // null when start() was skipped: no compatibility input
            server.close();
        }
    }

    private RawHttp.Response request(String method, String target) {
        return RawHttp.exchange(
                server.port(),
                method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + "Connection: close\r\n\r\n");
    }

    @Test
    void customHeadersAreOnEveryResponseIncludingErrors() {
        for (RawHttp.Response r :
                new RawHttp.Response[] {request("GET", "/site.css"), request("GET", "/nothing.txt")}) {
            assertThat(r.header("X-Content-Type-Options")).contains("nosniff");
            assertThat(r.header("X-Powered-By")).contains("My Little Pony");
            // commented out in the file: must not appear
            assertThat(r.header("X-Frame-Options")).isEmpty();
        }
        RawHttp.Response css = request("GET", "/site.css");
        assertThat(css.status()).isEqualTo(200);
        // the file's staticContent/clientCache: 30 days, UseMaxAge
        assertThat(css.header("Cache-Control"))
                .hasValueSatisfying(v -> assertThat(v).contains("max-age=2592000"));
    }

    @Test
    void httpErrorsCustomModeHidesTheDetailedPageFromALocalClient() {
        // errorMode="Custom": even a loopback client, which gets IIS's detailed page by default
        // (DetailedLocalOnly), gets no module, notification or physical path.
        RawHttp.Response missing = request("GET", "/nothing.txt");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.bodyText())
                .doesNotContain("Detailed Error Information")
                .doesNotContain(root.toString())
                .doesNotContain("MAP_REQUEST_HANDLER");
    }

    @Test
    void theTraceVerbIsDeniedByRequestFiltering() {
        RawHttp.Response trace = request("TRACE", "/index.html");
        // requestFiltering <verbs><add verb="TRACE" allowed="false"/>: IIS's 404.6 (verb denied)
        assertThat(trace.status()).isEqualTo(404);
        assertThat(trace.bodyText()).doesNotContain("TRACE /index.html");
        RawHttp.Response get = request("GET", "/index.html");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.bodyText()).contains("<title>home</title>");
    }

    @Test
    void theAccessLogShowsIisSubstatuses() throws IOException {
        assertThat(request("TRACE", "/index.html").status()).isEqualTo(404);
        assertThat(request("GET", "/assets/").status()).isEqualTo(403);
        assertThat(request("GET", "/nothing.txt").status()).isEqualTo(404);
        server.close(); // writes every queued log line
        Path folder = logs.resolve("W3SVC1");
        List<String> entries;
        try (var files = Files.list(folder)) {
            entries = files.flatMap(f -> {
                        try {
                            return Files.readAllLines(f).stream();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .filter(line -> !line.startsWith("#"))
                    .toList();
        }
        // date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent)
        // cs(Referer) sc-status sc-substatus ...
        assertThat(entries)
                .extracting(e -> {
                    String[] f = e.split(" ");
                    return f[3] + " " + f[4] + " " + f[11] + "." + f[12];
                })
                .contains("TRACE /index.html 404.6", "GET /assets/ 403.14", "GET /nothing.txt 404.0");
    }

    @Test
    void directoryBrowsingIsOff() {
        // a folder without a default document: directoryBrowse enabled="false" → 403.14, no listing
        RawHttp.Response folder = request("GET", "/assets/");
        assertThat(folder.status()).isEqualTo(403);
        assertThat(folder.bodyText()).doesNotContain("app.js");
        assertThat(request("GET", "/assets/app.js").status()).isEqualTo(200);
    }
}
