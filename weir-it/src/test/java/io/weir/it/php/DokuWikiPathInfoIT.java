package io.weir.it.php;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.it.browser.HeadlessChromium;
import io.weir.testkit.WeirTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * DokuWiki (Debian's package) with {@code $conf['userewrite'] = 2}: its links are
 * {@code /doku.php/wiki:page}, and it reads the page from {@code PATH_INFO}, which Weir gives only
 * because the PHP mapping of {@code weir-examples/dokuwiki/web.config} has
 * {@code allowPathInfo="true"}, as on IIS. The copy's {@code inc/preload.php} points DokuWiki's
 * protected settings at a file of the test, so Debian's {@code /etc/dokuwiki} stays untouched.
 */
class DokuWikiPathInfoIT {

    private static final Path DOKUWIKI = Path.of("/usr/share/dokuwiki");

    @TempDir
    static Path work;

    private static WeirTestServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    @BeforeAll
    static void start() throws Exception {
        DokuWikiIT.require(Path.of("/usr/bin/php-cgi"), "php-cgi");
        DokuWikiIT.require(DOKUWIKI.resolve("doku.php"), "dokuwiki");
        Path site = work.resolve("dokuwiki");
        Process copy = new ProcessBuilder("cp", "-a", DOKUWIKI.toString(), site.toString())
                .inheritIO()
                .start();
        assertThat(copy.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(copy.exitValue()).isZero();
        Path settings = work.resolve("userewrite.php");
        Files.writeString(settings, "<?php\n$conf['userewrite'] = 2;\n");
        Files.writeString(
                site.resolve("inc/preload.php"),
                "\n$config_cascade['main'] = array("
                        + "'default' => array(DOKU_CONF . 'dokuwiki.php'),"
                        + " 'local' => array(DOKU_CONF . 'local.php'),"
                        + " 'protected' => array('" + settings + "'));\n",
                StandardOpenOption.APPEND);
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

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(server.uri(pathAndQuery))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesLiveAfterDokuPhpAndTheirLinksAreOfThatForm() throws Exception {
        HttpResponse<String> syntax = get("/doku.php/wiki:syntax");
        assertThat(syntax.statusCode()).isEqualTo(200);
        assertThat(syntax.body())
                .contains("<h1 class=\"sectionedit1\" id=\"formatting_syntax\">Formatting Syntax</h1>")
                .contains("JSINFO = {\"id\":\"wiki:syntax\"")
                .contains("href=\"/doku.php/wiki:dokuwiki\"");
        // DOKU_BASE comes from SCRIPT_NAME: the stylesheets are linked from the site's root
        assertThat(syntax.body()).contains("href=\"/lib/exe/css.php");

        HttpResponse<String> about = get("/doku.php/wiki:dokuwiki");
        assertThat(about.statusCode()).isEqualTo(200);
        assertThat(about.body()).contains("highly versatile Open Source");

        HttpResponse<String> start = get("/");
        assertThat(start.statusCode()).isEqualTo(200);
        assertThat(start.body()).contains("JSINFO = {\"id\":\"start\"");
    }

    @Test
    void inHeadlessChromiumALinkOfThatFormLeadsToItsPage() throws Exception {
        try (HeadlessChromium chromium = HeadlessChromium.start(work)) {
            ChromeDriver browser = chromium.driver();
            browser.get(server.uri("/doku.php/wiki:syntax").toString());
            assertThat(browser.findElement(By.id("formatting_syntax")).getText())
                    .isEqualTo("Formatting Syntax");
            assertThat(browser.executeScript("return JSINFO.id")).isEqualTo("wiki:syntax");
            browser.findElement(By.cssSelector("a[href='/doku.php/wiki:dokuwiki']"))
                    .click();
            assertThat(browser.getCurrentUrl()).endsWith("/doku.php/wiki:dokuwiki");
            assertThat(browser.findElement(By.tagName("body")).getText()).contains("versatile");
        }
    }
}
