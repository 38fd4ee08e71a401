package io.weir.modules.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Path information after a script name, over loopback HTTP with Debian's php-cgi: a {@code *.php}
 * mapping with {@code allowPathInfo="true"} runs {@code /app/info.php/extra/path} by
 * {@code info.php} with {@code SCRIPT_NAME=/app/info.php} and {@code PATH_INFO=/extra/path}, as IIS
 * does; one without it (and the StaticFile mapping) matches whole paths only, so the same kind of
 * URL is a 404.
 */
class PathInfoHttpTest {

    @TempDir
    static Path root;

    private static PhpSite site;

    @BeforeAll
    static void start() throws Exception {
        PhpSite.require(PhpSite.PHP_CGI, "php-cgi");
        String vars = """
                <?php
                header('Content-Type: text/plain');
                foreach (['SCRIPT_NAME','PATH_INFO','PATH_TRANSLATED','SCRIPT_FILENAME','REQUEST_URI','PHP_SELF','QUERY_STRING'] as $k) {
                    echo $k, '=', $_SERVER[$k] ?? '(unset)', "\\n";
                }
                """;
        Files.createDirectories(root.resolve("app"));
        Files.writeString(root.resolve("app/info.php"), vars);
        Files.writeString(root.resolve("whole.php5"), vars);
        Files.writeString(root.resolve("file.txt"), "plain file");
        site = PhpSite.start(
                root,
                "<application fullPath=\"/usr/bin/php-cgi\" maxInstances=\"1\" />",
                PhpSite.handler("PHP5", "*.php5", "/usr/bin/php-cgi", false)
                        + PhpSite.handler("PHP", "*.php", "/usr/bin/php-cgi", true));
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    private static String line(String body, String name) {
        return body.lines()
                .filter(l -> l.startsWith(name + "="))
                .findFirst()
                .map(l -> l.substring(name.length() + 1))
                .orElseThrow(() -> new AssertionError(name + " missing in " + body));
    }

    @Test
    void theScriptRunsWithThePathAfterItsNameAsPathInfo() throws Exception {
        HttpResponse<String> r = site.get("/app/info.php/extra/a%20b.html?q=1");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String body = r.body();
        assertThat(line(body, "SCRIPT_NAME")).isEqualTo("/app/info.php");
        assertThat(line(body, "PATH_INFO")).isEqualTo("/extra/a b.html");
        assertThat(line(body, "PHP_SELF")).isEqualTo("/app/info.php/extra/a b.html");
        assertThat(line(body, "SCRIPT_FILENAME"))
                .isEqualTo(root.resolve("app/info.php").toString());
        assertThat(line(body, "PATH_TRANSLATED"))
                .isEqualTo(root.resolve("extra/a b.html").toString());
        assertThat(line(body, "REQUEST_URI")).isEqualTo("/app/info.php/extra/a%20b.html?q=1");
        assertThat(line(body, "QUERY_STRING")).isEqualTo("q=1");
    }

    @Test
    void aTrailingSlashIsPathInfoAndNoPathInfoLeavesItEmpty() throws Exception {
        String slash = site.get("/app/info.php/").body();
        assertThat(line(slash, "SCRIPT_NAME")).isEqualTo("/app/info.php");
        assertThat(line(slash, "PATH_INFO")).isEqualTo("/");
        String plain = site.get("/app/info.php").body();
        assertThat(line(plain, "SCRIPT_NAME")).isEqualTo("/app/info.php");
        assertThat(line(plain, "PATH_INFO")).isEmpty();
        assertThat(line(plain, "PATH_TRANSLATED"))
                .isEqualTo(root.resolve("app/info.php").toString());
    }

    @Test
    void aMissingScriptBeforeThePathInfoIsA404BeforePhpIsAsked() throws Exception {
        HttpResponse<String> r = site.get("/app/gone.php/extra");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("SCRIPT_NAME=");
    }

    @Test
    void withoutAllowPathInfoAndForStaticFilesAPathAfterAFileIsA404() throws Exception {
        assertThat(site.get("/whole.php5").statusCode()).isEqualTo(200);
        HttpResponse<String> script = site.get("/whole.php5/x");
        assertThat(script.statusCode()).isEqualTo(404);
        assertThat(script.body()).doesNotContain("SCRIPT_NAME=");
        assertThat(site.get("/file.txt").body()).isEqualTo("plain file");
        HttpResponse<String> r = site.get("/file.txt/extra");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("plain file");
    }
}
