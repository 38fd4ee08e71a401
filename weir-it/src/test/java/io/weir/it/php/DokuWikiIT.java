package io.weir.it.php;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weir.it.browser.HeadlessChromium;
import io.weir.testkit.WeirTestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A real PHP application from Debian's packages, DokuWiki ({@code apt-get install dokuwiki}), served
 * by Weir's embedded configuration with the web.config its IIS users deploy
 * ({@code weir-examples/dokuwiki/web.config}: PHP through FastCgiModule and php-cgi, doku.php as
 * default document, DokuWiki's private folders hidden), walked through over HTTP and in headless
 * Chromium. The installed tree is copied (symbolic links kept, so the configuration and data stay
 * Debian's) so that the web.config can be added without touching /usr/share.
 */
class DokuWikiIT {

    private static final Path DOKUWIKI = Path.of("/usr/share/dokuwiki");

    @TempDir
    static Path work;

    private static WeirTestServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    static void require(Path program, String apt) {
        boolean present = Files.exists(program);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(program + " is missing on CI: .ci/run must install " + apt);
        }
        assumeTrue(present, program + " is not installed (apt-get install " + apt + ")");
    }

    @BeforeAll
    static void start() throws Exception {
        require(Path.of("/usr/bin/php-cgi"), "php-cgi");
        require(DOKUWIKI.resolve("doku.php"), "dokuwiki");
        Path site = work.resolve("dokuwiki");
        Process copy = new ProcessBuilder("cp", "-a", DOKUWIKI.toString(), site.toString())
                .inheritIO()
                .start();
        assertThat(copy.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(copy.exitValue()).isZero();
        Path webConfig = Path.of(System.getProperty("user.dir"))
                .resolveSibling("weir-examples")
                .resolve("dokuwiki/web.config");
        Files.copy(webConfig, site.resolve("web.config"));
        server = WeirTestServer.serving(site);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(pathAndQuery)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesAreRenderedByPhpThroughTheDefaultDocumentAndDokuPhp() throws Exception {
        HttpResponse<String> root = get("/");
        // the start page does not exist in a fresh wiki: DokuWiki says so (with 200: send404 is off)
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.body()).contains("This topic does not exist yet").contains("JSINFO = {\"id\":\"start\"");

        HttpResponse<String> syntax = get("/doku.php?id=wiki:syntax");
        assertThat(syntax.statusCode()).isEqualTo(200);
        assertThat(syntax.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(syntax.body())
                .contains("<h1 class=\"sectionedit1\" id=\"formatting_syntax\">Formatting Syntax</h1>");
        assertThat(syntax.body()).contains("href=\"/doku.php?id=wiki:dokuwiki\"");

        HttpResponse<String> about = get("/doku.php?id=wiki:dokuwiki");
        assertThat(about.statusCode()).isEqualTo(200);
        assertThat(about.body()).contains("DokuWiki is a simple to use and").contains("highly versatile Open Source");
    }

    @Test
    void stylesheetsScriptsAndImagesAreServed() throws Exception {
        HttpResponse<String> css = get("/lib/exe/css.php?t=dokuwiki&tseed=1");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/css"));
        assertThat(css.body()).contains(".dokuwiki");

        HttpResponse<String> js = get("/lib/exe/js.php?t=dokuwiki&tseed=1");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).contains("javascript"));
        assertThat(js.body()).contains("jQuery");

        HttpResponse<String> logo = get("/lib/tpl/dokuwiki/images/logo.png");
        assertThat(logo.statusCode()).isEqualTo(200);
        assertThat(logo.headers().firstValue("Content-Type")).hasValue("image/png");
    }

    @Test
    void thePrivateFoldersAreHiddenByTheWebConfig() throws Exception {
        assertThat(get("/inc/init.php").statusCode()).isEqualTo(404);
        assertThat(get("/bin/indexer.php").statusCode()).isEqualTo(404);
        assertThat(get("/vendor/autoload.php").statusCode()).isEqualTo(404);
        assertThat(get("/web.config").statusCode()).isEqualTo(404);
    }

    /** Runs DokuWiki's indexer for the shipped pages, as the web bug in every page does, so that search finds them. */
    private static void index() throws Exception {
        for (String id : List.of("wiki:syntax", "wiki:dokuwiki")) {
            HttpResponse<String> task = get("/lib/exe/taskrunner.php?id=" + id);
            assertThat(task.statusCode()).isEqualTo(200);
            assertThat(task.headers().firstValue("Content-Type")).hasValue("image/gif");
        }
    }

    @Test
    void searchIndexAndALoginAttemptWithItsSessionCookie() throws Exception {
        index();
        HttpResponse<String> search =
                get("/doku.php?do=search&q=" + URLEncoder.encode("syntax", StandardCharsets.UTF_8));
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).contains("Search").contains("wiki:syntax");

        HttpResponse<String> index = get("/doku.php?id=start&do=index");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("Sitemap").contains("idx=wiki");

        HttpResponse<String> form = get("/doku.php?id=start&do=login");
        assertThat(form.statusCode()).isEqualTo(200);
        List<String> cookies = form.headers().allValues("Set-Cookie");
        String session = cookies.stream()
                .filter(c -> c.startsWith("DokuWiki="))
                .findFirst()
                .orElseThrow();
        String cookie = session.substring(0, session.indexOf(';'));
        Matcher token = Pattern.compile("name=\"sectok\" value=\"([0-9a-f]*)\"").matcher(form.body());
        assertThat(token.find()).isTrue();
        String body = "sectok=" + token.group(1) + "&id=start&do=login&u=nobody&p=wrong";
        HttpResponse<String> login = CLIENT.send(
                HttpRequest.newBuilder(server.uri("/doku.php"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Cookie", cookie)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        // DokuWiki answers a wrong password with its own "403 Login failed"
        assertThat(login.statusCode()).isEqualTo(403);
        assertThat(login.body()).isNotEmpty();
    }

    @Test
    void inHeadlessChromiumTheWikiRendersRunsItsScriptsAndSearches() throws Exception {
        HeadlessChromium.requireInstalled();
        index();
        try (HeadlessChromium chromium = HeadlessChromium.start(work)) {
            ChromeDriver browser = chromium.driver();
            URI page = server.uri("/doku.php?id=wiki:syntax");
            browser.get(page.toString());
            assertThat(browser.getTitle()).contains("syntax");
            assertThat(browser.findElement(By.id("formatting_syntax")).getText())
                    .isEqualTo("Formatting Syntax");
            JavascriptExecutor js = browser;
            // js.php ran: jQuery and DokuWiki's JSINFO exist, and the page's script marked the document
            assertThat(js.executeScript("return typeof jQuery")).isEqualTo("function");
            assertThat(js.executeScript("return JSINFO.id")).isEqualTo("wiki:syntax");
            // css.php applied: the template's layout rules reached the page
            Object rules = js.executeScript("return Array.from(document.styleSheets)"
                    + ".filter(s => s.href && s.href.includes('css.php'))"
                    + ".reduce((n, s) => n + s.cssRules.length, 0)");
            assertThat(((Number) rules).intValue()).isGreaterThan(10);
            assertThat((String) js.executeScript("return document.documentElement.className"))
                    .startsWith("js");

            WebElement query = browser.findElement(By.id("qsearch__in"));
            query.sendKeys("versatile");
            query.submit();
            assertThat(browser.getCurrentUrl()).contains("do=search");
            WebElement hit = browser.findElement(By.cssSelector("a[href*='wiki:dokuwiki']"));
            hit.click();
            assertThat(browser.getCurrentUrl()).contains("id=wiki:dokuwiki");
            assertThat(browser.findElement(By.tagName("body")).getText()).contains("versatile");
        }
    }
}
