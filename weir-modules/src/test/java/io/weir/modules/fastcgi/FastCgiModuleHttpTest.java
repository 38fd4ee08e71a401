package io.weir.modules.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FastCgiModule with Debian's php-cgi, over loopback HTTP: the variables PHP sees, bodies streamed
 * both ways, sessions, a script that dies, one that hangs, one that writes to stderr, a pool at
 * maxInstances with its queue overflowing.
 */
class FastCgiModuleHttpTest {

    @TempDir
    static Path root;

    @TempDir
    static Path sessions;

    private static PhpSite site;

    @BeforeAll
    static void start() throws Exception {
        PhpSite.require(PhpSite.PHP_CGI, "php-cgi");
        write("vars.php", """
                <?php
                header('Content-Type: text/plain');
                foreach (['GATEWAY_INTERFACE','SERVER_SOFTWARE','SERVER_PROTOCOL','SERVER_NAME','SERVER_PORT','REMOTE_ADDR',
                          'REQUEST_METHOD','SCRIPT_NAME','SCRIPT_FILENAME','PATH_INFO','PATH_TRANSLATED','REQUEST_URI',
                          'QUERY_STRING','DOCUMENT_ROOT','HTTPS','AUTH_USER','UNENCODED_URL','CONTENT_TYPE',
                          'CONTENT_LENGTH','HTTP_HOST','HTTP_X_CUSTOM_THING','HTTP_PROXY','INSTANCE_NAME','PHP_SELF',
                          'HTTP_X_ORIGINAL_URL','IIS_WasUrlRewritten'] as $k) {
                    echo $k, '=', $_SERVER[$k] ?? '(unset)', "\\n";
                }
                echo 'GET_a=', $_GET['a'] ?? '', "\\n";
                echo 'POST_f=', $_POST['f'] ?? '', "\\n";
                """);
        write(
                "sub/dir/index.php",
                "<?php echo 'index of ', $_SERVER['SCRIPT_NAME'], ' for ', $_SERVER['REQUEST_URI'];");
        write("upload.php", """
                <?php
                $in = fopen('php://input', 'rb');
                $md5 = hash_init('md5');
                $n = 0;
                while (!feof($in)) { $b = fread($in, 65536); $n += strlen($b); hash_update($md5, $b); }
                echo $n, ' ', hash_final($md5);
                """);
        write("download.php", """
                <?php
                header('Content-Type: application/octet-stream');
                $chunk = str_repeat('0123456789abcdef', 4096);
                for ($i = 0; $i < 1600; $i++) { echo $chunk; }
                """);
        write(
                "session.php",
                "<?php session_start(); $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1; echo 'visit ', $_SESSION['n'];");
        write(
                "status.php",
                "<?php http_response_code(418); header('X-Teapot: yes'); setcookie('a', '1'); setcookie('b', '2'); echo 'short and stout';");
        write("redirect.php", "<?php header('Location: /vars.php?from=redirect'); echo 'moved';");
        write("pid.php", "<?php echo getmypid();");
        write("die.php", "<?php echo 'about to die'; flush(); posix_kill(getmypid(), 9);");
        write("hang.php", "<?php sleep(120); echo 'woke up';");
        write("stderr.php", "<?php error_log('something went to stderr'); echo 'the body';");
        write("slow.php", "<?php usleep(1500000); echo 'slow done ', getmypid();");
        write("static.txt", "plain file");
        String common = " -d session.save_path=" + sessions + " -d post_max_size=64M";
        site = PhpSite.start(
                root,
                """
                <application fullPath="/usr/bin/php-cgi" arguments="%s" maxInstances="2" requestTimeout="10" activityTimeout="10" />
                <application fullPath="/usr/bin/php-cgi" arguments="-d display_errors=0" stderrMode="IgnoreAndReturn200" maxInstances="1" />
                <application fullPath="/usr/bin/php-cgi" arguments="-d display_errors=1" stderrMode="ReturnGeneric500" maxInstances="1" />
                <application fullPath="/usr/bin/php-cgi" arguments="-d max_execution_time=0" maxInstances="1" queueLength="1" />
                <application fullPath="/usr/bin/php-cgi" arguments="-d precision=13" maxInstances="1" instanceMaxRequests="2" />
                <application fullPath="/usr/bin/php-cgi" arguments="-d precision=14" maxInstances="1" stderrMode="TerminateProcess" />
                """.formatted(common.strip()),
                PhpSite.handler("PHP-ignore", "ignore-stderr.php", "/usr/bin/php-cgi|-d display_errors=0")
                        + PhpSite.handler("PHP-generic", "generic-stderr.php", "/usr/bin/php-cgi|-d display_errors=1")
                        + PhpSite.handler("PHP-queue", "queued.php", "/usr/bin/php-cgi|-d max_execution_time=0")
                        + PhpSite.handler("PHP-recycle", "recycle.php", "/usr/bin/php-cgi|-d precision=13")
                        + PhpSite.handler("PHP-terminate", "terminate-*.php", "/usr/bin/php-cgi|-d precision=14")
                        + PhpSite.handler("PHP", "*.php", "/usr/bin/php-cgi|" + common.strip()));
        Files.copy(root.resolve("stderr.php"), root.resolve("ignore-stderr.php"));
        Files.copy(root.resolve("stderr.php"), root.resolve("generic-stderr.php"));
        Files.copy(root.resolve("slow.php"), root.resolve("queued.php"));
        Files.copy(root.resolve("pid.php"), root.resolve("recycle.php"));
        Files.copy(root.resolve("pid.php"), root.resolve("terminate-pid.php"));
        Files.copy(root.resolve("stderr.php"), root.resolve("terminate-stderr.php"));
        // URL Rewrite in front of PHP, as IIS sites deploy it
        Files.writeString(root.resolve("web.config"), """
                <configuration><system.webServer><rewrite><rules>
                  <rule name="Pretty"><match url="^pretty/(.*)$" /><action type="Rewrite" url="vars.php?a={R:1}" /></rule>
                </rules></rewrite></system.webServer></configuration>
                """);
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    private static void write(String relative, String text) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    private static String line(String body, String name) {
        return body.lines()
                .filter(l -> l.startsWith(name + "="))
                .findFirst()
                .map(l -> l.substring(name.length() + 1))
                .orElseThrow(() -> new AssertionError(name + " missing in " + body));
    }

    @Test
    void theVariablesPhpSeesAreIisOnes() throws Exception {
        HttpResponse<String> r = site.get("/vars.php?a=1%202&b=x", "X-Custom-Thing", "v1", "Proxy", "http://evil:1");
        assertThat(r.statusCode()).isEqualTo(200);
        String body = r.body();
        int port = site.server.port();
        assertThat(line(body, "GATEWAY_INTERFACE")).isEqualTo("CGI/1.1");
        assertThat(line(body, "SERVER_SOFTWARE")).isNotEmpty();
        assertThat(line(body, "SERVER_PROTOCOL")).isEqualTo("HTTP/1.1");
        assertThat(line(body, "SERVER_NAME")).isEqualTo("127.0.0.1");
        assertThat(line(body, "SERVER_PORT")).isEqualTo(Integer.toString(port));
        assertThat(line(body, "REMOTE_ADDR")).isEqualTo("127.0.0.1");
        assertThat(line(body, "REQUEST_METHOD")).isEqualTo("GET");
        assertThat(line(body, "SCRIPT_NAME")).isEqualTo("/vars.php");
        assertThat(line(body, "PHP_SELF")).isEqualTo("/vars.php");
        assertThat(line(body, "SCRIPT_FILENAME"))
                .isEqualTo(root.resolve("vars.php").toString());
        assertThat(line(body, "PATH_INFO")).isEmpty();
        assertThat(line(body, "PATH_TRANSLATED"))
                .isEqualTo(root.resolve("vars.php").toString());
        assertThat(line(body, "REQUEST_URI")).isEqualTo("/vars.php?a=1%202&b=x");
        assertThat(line(body, "UNENCODED_URL")).isEqualTo("/vars.php?a=1%202&b=x");
        assertThat(line(body, "QUERY_STRING")).isEqualTo("a=1%202&b=x");
        assertThat(Path.of(line(body, "DOCUMENT_ROOT"))).isEqualTo(root);
        assertThat(line(body, "HTTPS")).isEqualTo("off");
        assertThat(line(body, "AUTH_USER")).isEmpty();
        assertThat(line(body, "HTTP_HOST")).isEqualTo("127.0.0.1:" + port);
        assertThat(line(body, "HTTP_X_CUSTOM_THING")).isEqualTo("v1");
        assertThat(line(body, "HTTP_PROXY")).isEqualTo("(unset)");
        assertThat(line(body, "INSTANCE_NAME")).isEqualTo("Default Web Site");
        assertThat(line(body, "GET_a")).isEqualTo("1 2");
        assertThat(line(body, "CONTENT_LENGTH")).isEqualTo("(unset)");
        assertThat(line(body, "HTTP_X_ORIGINAL_URL")).isEqualTo("(unset)");
        assertThat(line(body, "IIS_WasUrlRewritten")).isEqualTo("(unset)");
    }

    @Test
    void afterAUrlRewriteTheScriptSeesTheOriginalUrlAsIisGivesIt() throws Exception {
        HttpResponse<String> r = site.get("/pretty/some-page");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String body = r.body();
        assertThat(line(body, "SCRIPT_NAME")).isEqualTo("/vars.php");
        assertThat(line(body, "SCRIPT_FILENAME"))
                .isEqualTo(root.resolve("vars.php").toString());
        assertThat(line(body, "GET_a")).isEqualTo("some-page");
        assertThat(line(body, "REQUEST_URI")).isEqualTo("/pretty/some-page");
        assertThat(line(body, "HTTP_X_ORIGINAL_URL")).isEqualTo("/pretty/some-page");
        assertThat(line(body, "IIS_WasUrlRewritten")).isEqualTo("1");
    }

    @Test
    void stderrModeTerminateProcessKillsTheProcessAndAnswers500() throws Exception {
        HttpResponse<String> before = site.get("/terminate-pid.php");
        assertThat(before.statusCode()).isEqualTo(200);
        long pid = Long.parseLong(before.body());
        HttpResponse<String> r = site.get("/terminate-stderr.php");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).doesNotContain("the body").contains("TerminateProcess");
        ProcessHandle.of(pid)
                .ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        HttpResponse<String> after = site.get("/terminate-pid.php");
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(after.body()).isNotEqualTo(before.body());
    }

    @Test
    void aFormPostReachesPhpWithItsContentTypeAndLength() throws Exception {
        HttpResponse<String> r = site.client.send(
                HttpRequest.newBuilder(site.uri("/vars.php"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("f=hello+world"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(line(r.body(), "REQUEST_METHOD")).isEqualTo("POST");
        assertThat(line(r.body(), "CONTENT_TYPE")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(line(r.body(), "CONTENT_LENGTH")).isEqualTo("13");
        assertThat(line(r.body(), "POST_f")).isEqualTo("hello world");
    }

    @Test
    void aFolderServesIndexPhpAsItsDefaultDocument() throws Exception {
        HttpResponse<String> r = site.get("/sub/dir/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("index of /sub/dir/index.php for /sub/dir/");
    }

    @Test
    void aMissingScriptIsA404BeforePhpIsAsked() throws Exception {
        HttpResponse<String> r = site.get("/nothing-here.php");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).doesNotContain("No input file specified");
        assertThat(site.get("/static.txt").body()).isEqualTo("plain file");
    }

    @Test
    void statusHeadersAndCookiesFromTheScript() throws Exception {
        HttpResponse<String> r = site.get("/status.php");
        assertThat(r.statusCode()).isEqualTo(418);
        assertThat(r.headers().firstValue("X-Teapot")).hasValue("yes");
        assertThat(r.headers().allValues("Set-Cookie")).containsExactly("a=1", "b=2");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(r.body()).isEqualTo("short and stout");

        HttpResponse<String> moved = site.get("/redirect.php");
        assertThat(moved.statusCode()).isEqualTo(302);
        assertThat(moved.headers().firstValue("Location")).hasValue("/vars.php?from=redirect");
    }

    @Test
    void aTwentyMegabyteUploadIsStreamedToPhp() throws Exception {
        byte[] data = new byte[20 * 1024 * 1024];
        new Random(7).nextBytes(data);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        HttpResponse<String> r = site.client.send(
                HttpRequest.newBuilder(site.uri("/upload.php"))
                        .header("Content-Type", "application/octet-stream")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(data.length + " " + md5);
    }

    @Test
    void aHundredMegabyteDownloadIsStreamedFromPhp() throws Exception {
        HttpResponse<InputStream> r = site.client.send(
                HttpRequest.newBuilder(site.uri("/download.php"))
                        .timeout(Duration.ofSeconds(120))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        // past responseBufferLimit (4 MiB) the body goes out as PHP writes it: chunked, no Content-Length
        assertThat(r.headers().firstValue("Content-Length")).isEmpty();
        assertThat(r.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        long total = 0;
        try (InputStream in = r.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md5.update(buffer, 0, n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(1600L * 65536);
        MessageDigest expected = MessageDigest.getInstance("MD5");
        byte[] chunk = "0123456789abcdef".repeat(4096).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 1600; i++) {
            expected.update(chunk);
        }
        assertThat(md5.digest()).isEqualTo(expected.digest());
    }

    @Test
    void aSessionCookieCarriesStateAcrossRequests() throws Exception {
        HttpResponse<String> first = site.get("/session.php");
        assertThat(first.body()).isEqualTo("visit 1");
        String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("PHPSESSID=");
        String pair = cookie.substring(0, cookie.indexOf(';'));
        assertThat(site.get("/session.php", "Cookie", pair).body()).isEqualTo("visit 2");
        assertThat(site.get("/session.php", "Cookie", pair).body()).isEqualTo("visit 3");
        assertThat(site.get("/session.php").body()).isEqualTo("visit 1");
    }

    @Test
    void aScriptThatDiesFailsOnlyItsRequestAndItsProcessIsReplaced() throws Exception {
        HttpResponse<String> r = site.get("/die.php");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).doesNotContain("about to die");
        for (int i = 0; i < 4; i++) {
            assertThat(site.get("/pid.php").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aHangingScriptGetsA500AtRequestTimeoutWhileOtherRequestsAreServed() throws Exception {
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<String>> hang = site.client.sendAsync(
                HttpRequest.newBuilder(site.uri("/hang.php"))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        // the pool has two processes: the other one keeps serving
        for (int i = 0; i < 3; i++) {
            assertThat(site.get("/pid.php").statusCode()).isEqualTo(200);
        }
        HttpResponse<String> r = hang.get(40, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.body()).contains("request timeout");
        assertThat(seconds).isBetween(9L, 20L);
        assertThat(site.get("/pid.php").statusCode()).isEqualTo(200);
    }

    @Test
    void stderrOutputFollowsStderrMode() throws Exception {
        HttpResponse<String> in500 = site.get("/stderr.php");
        assertThat(in500.statusCode()).isEqualTo(500);
        assertThat(in500.body()).contains("something went to stderr").doesNotContain("the body");

        HttpResponse<String> ignored = site.get("/ignore-stderr.php");
        assertThat(ignored.statusCode()).isEqualTo(200);
        assertThat(ignored.body()).isEqualTo("the body");

        HttpResponse<String> generic = site.get("/generic-stderr.php");
        assertThat(generic.statusCode()).isEqualTo(500);
        assertThat(generic.body()).doesNotContain("something went to stderr").doesNotContain("the body");
    }

    @Test
    void aFullPoolQueuesUpToQueueLengthAndRefusesTheNextWith503Point2() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            inFlight.add(site.client.sendAsync(
                    HttpRequest.newBuilder(site.uri("/queued.php"))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
            Thread.sleep(400);
        }
        HttpResponse<String> refused = site.get("/queued.php");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("503.2");
        for (var f : inFlight) {
            HttpResponse<String> ok = f.get(30, TimeUnit.SECONDS);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).startsWith("slow done ");
        }
        // one process served both: maxInstances="1"
        assertThat(inFlight.get(0).get().body()).isEqualTo(inFlight.get(1).get().body());
    }

    @Test
    void aProcessIsReplacedAfterInstanceMaxRequests() throws Exception {
        List<String> pids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = site.get("/recycle.php");
            assertThat(r.statusCode()).isEqualTo(200);
            pids.add(r.body());
        }
        assertThat(pids.get(0)).isEqualTo(pids.get(1));
        assertThat(pids.get(2)).isEqualTo(pids.get(3)).isNotEqualTo(pids.get(1));
        assertThat(pids.get(4)).isEqualTo(pids.get(5)).isNotEqualTo(pids.get(3));
    }
}
