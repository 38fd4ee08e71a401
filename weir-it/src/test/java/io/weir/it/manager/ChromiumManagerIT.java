package io.weir.it.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.manager.WeirManager;
import io.weir.config.ApplicationHostConfig;
import io.weir.it.browser.HeadlessChromium;
import io.weir.server.AdminEndpoint;
import io.weir.server.WeirServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The Weir Manager in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}):
 * the page served by the admin endpoint shows the site, and its edits (a default document, a MIME
 * type, stopping and starting the site, a new binding) are written to the served
 * applicationHost.config by the {@code weir} commands and change what the server answers over
 * HTTP, by hot reload, without a restart. Its feature pages show a section locked by
 * {@code <location overrideMode="Deny">} greyed, with the reason and the file and line where it is
 * locked; edits written to the site's web.config ({@code --commit site}) are served the same way,
 * and a refused one shows the command's refusal; a failed request's trace is listed and opened in
 * the page. Screenshots are kept in {@code target/manager-screenshots}.
 * Also: a request that is not from a local browser, and a change without the page's anti-forgery
 * token, are refused.
 */
class ChromiumManagerIT {

    static final String SITE = "Default Web Site";

    @TempDir
    Path root;

    @TempDir
    Path folder;

    @TempDir
    Path profile;

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    @BeforeEach
    void adminOnAnyFreePort() {
        System.setProperty(AdminEndpoint.PORT_PROPERTY, "0");
        System.setProperty(
                AdminEndpoint.TOKEN_FILE_PROPERTY, folder.resolve("admin.token").toString());
    }

    @AfterEach
    void noAdminForOtherTests() {
        System.clearProperty(AdminEndpoint.PORT_PROPERTY);
        System.clearProperty(AdminEndpoint.TOKEN_FILE_PROPERTY);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls a URL until the answer satisfies the test (a refused connection counts as status -1). */
    private String awaitServed(String url, Predicate<HttpResponse<String>> wanted, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = get(url);
                last = r.statusCode() + " "
                        + r.headers().firstValue("Content-Type").orElse("") + " " + r.body();
                if (wanted.test(r)) {
                    return last;
                }
            } catch (IOException e) {
                last = "refused: " + e;
                if (wanted.test(null)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + ": last answer " + last);
    }

    private static void screenshot(ChromeDriver driver, String name) throws IOException {
        Path dir = Path.of("target", "manager-screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    private static String awaitText(ChromeDriver driver, String id, Predicate<String> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            text = driver.findElement(By.id(id)).getText();
            if (wanted.test(text)) {
                return text;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("#" + id + " never matched; it shows: " + text);
    }

    private static void type(ChromeDriver driver, String id, String value) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private static void click(ChromeDriver driver, String id) throws Exception {
        String before = driver.findElement(By.id("result")).getText();
        driver.findElement(By.id(id)).click();
        awaitText(driver, "result", t -> !t.equals(before) && (t.contains("Done") || t.contains("Refused")));
    }

    @Test
    void editsMadeInThePageChangeWhatTheServerServes() throws Exception {
        HeadlessChromium.requireInstalled();
        Files.writeString(root.resolve("home.html"), "home page");
        Files.writeString(root.resolve("data.foo"), "foo data");
        int port = freePort();
        String text;
        try (InputStream in = ChromiumManagerIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text).contains("bindingInformation=\"*:8080:\"");
        Path file = folder.resolve("applicationHost.config");
        Files.writeString(
                file, text.replace("bindingInformation=\"*:8080:\"", "bindingInformation=\"127.0.0.1:" + port + ":\""));
        Map<String, String> variables = Map.of("WEIR_SITE_ROOT", root.toString());
        WeirServer server = WeirServer.start(ApplicationHostConfig.load(file, variables));
        server.watch(file, variables, Duration.ofMillis(100));
        assertThat(WeirManager.mount(server, file, variables)).isTrue();
        int admin = server.adminEndpoint().orElseThrow().port();
        String site = "http://127.0.0.1:" + port;
        try (HeadlessChromium chromium = HeadlessChromium.start(profile, "--window-size=1200,1600")) {
            ChromeDriver driver = chromium.driver();
            assertThat(get(site + "/").statusCode()).isEqualTo(403); // no default document yet: 403.14
            assertThat(get(site + "/data.foo").statusCode()).isEqualTo(404); // no MIME type: 404.3

            driver.get("http://127.0.0.1:" + admin + "/manager/");
            awaitText(driver, "site-name", SITE::equals);
            assertThat(driver.findElement(By.id("tree")).getText()).contains("Server", SITE);
            assertThat(driver.findElement(By.id("site-state")).getText()).isEqualTo("Started");
            assertThat(driver.findElement(By.id("bindings")).getAttribute("value"))
                    .isEqualTo("http/127.0.0.1:" + port + ":");
            driver.findElement(By.id("explain")).click();
            assertThat(awaitText(driver, "explain-output", t -> t.contains("StaticFile")))
                    .contains("DefaultDocumentModule");
            screenshot(driver, "1-site");

            // these edits go to applicationHost.config (<location path="Default Web Site">)
            driver.findElement(By.cssSelector("#level option[value=apphost]")).click();
            type(driver, "default-document", "home.html");
            click(driver, "add-default-document");
            assertThat(driver.findElement(By.id("result")).getText()).contains("Done", "files.[value='home.html']");
            awaitServed(site + "/", r -> r != null && r.body().equals("home page"), "the new default document");

            type(driver, "mime-extension", ".foo");
            type(driver, "mime-type", "text/x-foo");
            click(driver, "add-mime-type");
            awaitServed(
                    site + "/data.foo",
                    r -> r != null
                            && r.statusCode() == 200
                            && r.headers().firstValue("Content-Type").orElse("").equals("text/x-foo"),
                    "the new MIME type");
            screenshot(driver, "2-edited");

            // the same extension again: refused by the command, and nothing is written
            byte[] before = Files.readAllBytes(file);
            click(driver, "add-mime-type");
            assertThat(driver.findElement(By.id("result")).getText()).contains("Refused", "duplicate collection entry");
            assertThat(Files.readAllBytes(file)).isEqualTo(before);

            click(driver, "stop-site");
            awaitText(driver, "site-state", "Stopped"::equals);
            awaitServed(site + "/", r -> r == null, "the stopped site");
            click(driver, "start-site");
            awaitServed(site + "/", r -> r != null && r.body().equals("home page"), "the started site");

            int moved = freePort();
            type(driver, "bindings", "http/127.0.0.1:" + moved + ":");
            click(driver, "save-bindings");
            awaitServed(
                    "http://127.0.0.1:" + moved + "/",
                    r -> r != null && r.body().equals("home page"),
                    "the new binding");
            screenshot(driver, "3-moved");
            assertThat(Files.readString(file))
                    .contains(
                            "<mimeMap fileExtension=\".foo\" mimeType=\"text/x-foo\" />",
                            "<add value=\"home.html\" />");
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void aChangeNeedsTheAntiForgeryTokenAndARemoteHostNeedsTheAdminToken() throws Exception {
        Path file = folder.resolve("applicationHost.config");
        try (InputStream in = ChromiumManagerIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            Files.write(file, in.readAllBytes());
        }
        int port = freePort();
        String text = Files.readString(file).replace("*:8080:", "127.0.0.1:" + port + ":");
        Files.writeString(file, text);
        Map<String, String> variables = Map.of("WEIR_SITE_ROOT", root.toString());
        WeirServer server = WeirServer.start(ApplicationHostConfig.load(file, variables));
        try {
            assertThat(WeirManager.mount(server, file, variables)).isTrue();
            String base =
                    "http://127.0.0.1:" + server.adminEndpoint().orElseThrow().port() + "/manager/";
            HttpResponse<String> page = get(base);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                    .contains("script-src 'self'")
                    .doesNotContain("unsafe-inline");
            HttpResponse<String> forged = client.send(
                    HttpRequest.newBuilder(URI.create(base + "api/action"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("action=stopSite&site=Default+Web+Site"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(forged.statusCode()).isEqualTo(403);
            assertThat(Files.readString(file)).isEqualTo(text);
            // a name that resolves to 127.0.0.1 but is not a loopback name (DNS rebinding) is not a local browser
            String rebound;
            try (Socket socket =
                    new Socket("127.0.0.1", server.adminEndpoint().orElseThrow().port())) {
                socket.getOutputStream()
                        .write("GET /manager/api/state HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                rebound = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            assertThat(rebound).startsWith("HTTP/1.1 401 ").doesNotContain("csrf");
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }

    /**
     * The served file for the feature-page tests: the embedded default on a free port, with Error
     * Pages locked for the site by {@code <location overrideMode="Deny">}, and failed-request
     * tracing of every 404 into {@code traces}.
     */
    private Path lockedAndTracedConfig(int port, Path traces) throws IOException {
        String text;
        try (InputStream in = ChromiumManagerIT.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[][] edits = {
            {"bindingInformation=\"*:8080:\"", "bindingInformation=\"127.0.0.1:" + port + ":\""},
            {
                "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" />",
                "<logFile logFormat=\"W3C\" enabled=\"true\" period=\"Daily\" />"
                        + "<traceFailedRequestsLogging enabled=\"true\" directory=\"" + traces + "\" />"
            },
            {
                "<globalModules>",
                "<globalModules><add name=\"FailedRequestsTracingModule\""
                        + " type=\"io.weir.modules.failedrequeststracing.FailedRequestsTracingModuleRegistration\" />"
            },
            {
                "</configuration>",
                "  <location path=\"Default Web Site\" overrideMode=\"Deny\">\n    <system.webServer>\n"
                        + "      <httpErrors />\n      <tracing><traceFailedRequests><add path=\"*\">"
                        + "<failureDefinitions statusCodes=\"404\" /></add></traceFailedRequests></tracing>\n"
                        + "    </system.webServer>\n  </location>\n  <location path=\"Default Web Site\">\n"
                        + "    <system.webServer>\n      <directoryBrowse lockAttributes=\"enabled\" />\n"
                        + "    </system.webServer>\n  </location>\n</configuration>"
            }
        };
        for (String[] edit : edits) {
            assertThat(text).contains(edit[0]);
            text = text.replace(edit[0], edit[1]);
        }
        Path file = folder.resolve("applicationHost.config");
        Files.writeString(file, text);
        return file;
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " is not in " + file);
    }

    @Test
    void featurePagesShowALockedSectionReadOnlyEditTheWebConfigAndOpenAFailedRequestTrace() throws Exception {
        HeadlessChromium.requireInstalled();
        Files.writeString(root.resolve("home.html"), "home page");
        Path traces = folder.resolve("traces");
        int port = freePort();
        Path file = lockedAndTracedConfig(port, traces);
        int lockLine = lineOf(file, "overrideMode=\"Deny\"");
        Map<String, String> variables = Map.of("WEIR_SITE_ROOT", root.toString());
        WeirServer server = WeirServer.start(ApplicationHostConfig.load(file, variables));
        server.watch(file, variables, Duration.ofMillis(100));
        assertThat(WeirManager.mount(server, file, variables)).isTrue();
        int admin = server.adminEndpoint().orElseThrow().port();
        String site = "http://127.0.0.1:" + port;
        try (HeadlessChromium chromium = HeadlessChromium.start(profile, "--window-size=1200,2400")) {
            ChromeDriver driver = chromium.driver();
            assertThat(get(site + "/missing.txt").statusCode()).isEqualTo(404); // traced
            driver.get("http://127.0.0.1:" + admin + "/manager/");
            awaitText(driver, "site-name", SITE::equals);

            // Error Pages is locked for the site's web.config: greyed, with the reason and where
            WebElement errors = driver.findElement(By.cssSelector(".feature[data-feature=httpErrors]"));
            awaitAttribute(errors, "data-locked", "true");
            assertThat(errors.findElement(By.className("locked")).getText())
                    .contains("Locked", "overrideMode=\"Deny\"", file + ":" + lockLine);
            assertThat(driver.findElement(By.id("add-error-page")).isEnabled()).isFalse();
            WebElement documents = driver.findElement(By.cssSelector(".feature[data-feature=defaultDocument]"));
            assertThat(documents.getAttribute("data-locked")).isEqualTo("false");
            assertThat(documents.getText()).contains("index.html", "applicationHost.config:");
            screenshot(driver, "4-locked-feature");
            // written to applicationHost.config instead, the same feature is editable
            driver.findElement(By.cssSelector("#level option[value=apphost]")).click();
            awaitAttribute(errors, "data-locked", "false");
            assertThat(driver.findElement(By.id("add-error-page")).isEnabled()).isTrue();
            driver.findElement(By.cssSelector("#level option[value=site]")).click();

            // a default document added in the site's web.config is served without a restart
            assertThat(get(site + "/").statusCode()).isEqualTo(403);
            type(driver, "default-document", "home.html");
            click(driver, "add-default-document");
            assertThat(driver.findElement(By.id("result")).getText())
                    .contains(
                            "Done", "--commit site", root.resolve("web.config").toString());
            assertThat(Files.readString(root.resolve("web.config"))).contains("<add value=\"home.html\" />");
            assertThat(Files.readString(file)).doesNotContain("home.html");
            awaitServed(
                    site + "/", r -> r != null && r.body().equals("home page"), "the web.config's default document");
            awaitText(driver, "site", t -> t.contains("home.html"));

            // a header added there too; the same again is refused with the file, line and reason
            type(driver, "header-name", "X-Weir-Test");
            type(driver, "header-value", "yes");
            click(driver, "add-header");
            awaitServed(
                    site + "/",
                    r -> r != null
                            && r.headers().firstValue("X-Weir-Test").orElse("").equals("yes"),
                    "the web.config's response header");
            byte[] webConfig = Files.readAllBytes(root.resolve("web.config"));
            click(driver, "add-header");
            assertThat(driver.findElement(By.id("result")).getText())
                    .contains("Refused", root.resolve("web.config").toString(), "line ", "X-Weir-Test");
            assertThat(Files.readAllBytes(root.resolve("web.config"))).isEqualTo(webConfig);
            screenshot(driver, "5-web-config-edits");

            // the failed request's trace: listed, and opened in the page
            driver.findElement(By.id("refresh-traces")).click();
            awaitText(driver, "traces", t -> t.contains("fr000001.html"));
            driver.findElement(By.cssSelector("#traces button[data-file='fr000001.html']"))
                    .click();
            String trace = awaitText(driver, "trace-view", t -> t.contains("Failed request trace"));
            assertThat(trace).contains("/missing.txt", "404", "Request notifications");
            screenshot(driver, "6-failed-request-trace");
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }

    private static void awaitAttribute(WebElement element, String name, String value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!value.equals(element.getAttribute(name))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " never became " + value + ": " + element.getAttribute(name));
            }
            Thread.sleep(100);
        }
    }

    @Test
    void theFeatureAndTraceResourcesOverHttp() throws Exception {
        Path traces = folder.resolve("traces");
        int port = freePort();
        Path file = lockedAndTracedConfig(port, traces);
        Map<String, String> variables = Map.of("WEIR_SITE_ROOT", root.toString());
        WeirServer server = WeirServer.start(ApplicationHostConfig.load(file, variables));
        try {
            assertThat(WeirManager.mount(server, file, variables)).isTrue();
            String base =
                    "http://127.0.0.1:" + server.adminEndpoint().orElseThrow().port() + "/manager/";
            String query = "?site=Default+Web+Site";
            HttpResponse<String> features = get(base + "api/features" + query);
            assertThat(features.statusCode()).isEqualTo(200);
            assertThat(features.headers().firstValue("Content-Security-Policy").orElse(""))
                    .doesNotContain("unsafe-inline");
            String json = features.body();
            assertThat(json)
                    .contains("\"webConfig\": \"" + root.resolve("web.config") + "\"")
                    .containsPattern(
                            "\"id\": \"httpErrors\"[\\s\\S]*?\"locked\": \"this configuration section cannot be used"
                                    + " at this path: section 'system.webServer/httpErrors' is locked by overrideMode")
                    .containsPattern("\"id\": \"defaultDocument\"[\\s\\S]*?\"locked\": null")
                    // a granular lock on what the page writes: lockAttributes on a <location> above
                    .contains("\"locked\": \"lock violation: attribute 'enabled' of <directoryBrowse> is locked by"
                            + " lockAttributes=\\\"enabled\\\" (" + file + ":" + lineOf(file, "lockAttributes"));
            assertThat(get(base + "api/features?site=Nowhere").statusCode()).isEqualTo(404);

            // an edit of the locked section in the web.config: refused with where it is locked, nothing written
            String csrf = get(base + "api/state").body().replaceAll("(?s).*\"csrf\": \"([^\"]+)\".*", "$1");
            HttpResponse<String> refused = client.send(
                    HttpRequest.newBuilder(URI.create(base + "api/action"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-Weir-Manager", csrf)
                            .POST(HttpRequest.BodyPublishers.ofString("action=addErrorPage&site=Default+Web+Site"
                                    + "&level=site&statusCode=410&path=%2Fgone.html"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.body())
                    .contains("\"exitCode\": 1", "--commit site", "locked by overrideMode", file.toString());
            assertThat(root.resolve("web.config")).doesNotExist();
            // the same at the applicationHost.config level is written
            HttpResponse<String> written = client.send(
                    HttpRequest.newBuilder(URI.create(base + "api/action"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-Weir-Manager", csrf)
                            .POST(HttpRequest.BodyPublishers.ofString("action=addErrorPage&site=Default+Web+Site"
                                    + "&level=apphost&statusCode=410&path=%2Fgone.html"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(written.body()).contains("\"exitCode\": 0");
            assertThat(Files.readString(file)).contains("statusCode=\"410\" path=\"/gone.html\"");

            // traces: the site's folder, then a file in it; nothing outside it can be named
            Files.createDirectories(traces.resolve("W3SVC1"));
            Files.writeString(traces.resolve("W3SVC1/fr000007.html"), "<h1>Failed request trace</h1>");
            Files.writeString(traces.resolve("W3SVC1/notes.html"), "not a trace");
            String list = get(base + "api/traces" + query).body();
            assertThat(list)
                    .contains("\"folder\": \"" + traces.resolve("W3SVC1") + "\"", "\"name\": \"fr000007.html\"")
                    .doesNotContain("notes.html");
            HttpResponse<String> trace = get(base + "api/trace" + query + "&file=fr000007.html");
            assertThat(trace.statusCode()).isEqualTo(200);
            assertThat(trace.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(trace.body()).isEqualTo("<h1>Failed request trace</h1>");
            assertThat(get(base + "api/trace" + query + "&file=notes.html").statusCode())
                    .isEqualTo(404);
            assertThat(get(base + "api/trace" + query + "&file=..%2F..%2Fapplicationhost.config")
                            .statusCode())
                    .isEqualTo(404);
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }
}
