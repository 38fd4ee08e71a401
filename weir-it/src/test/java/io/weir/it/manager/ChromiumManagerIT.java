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
 * HTTP, by hot reload, without a restart. Screenshots are kept in {@code target/manager-screenshots}.
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
}
