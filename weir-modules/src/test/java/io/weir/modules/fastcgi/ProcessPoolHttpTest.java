package io.weir.modules.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's life cycle with php-cgi over loopback HTTP: {@code monitorChangesTo} recycles the
 * processes, {@code rapidFailsPerMinute} takes a failing application offline, and
 * {@code environmentVariables} reach the processes.
 */
class ProcessPoolHttpTest {

    @TempDir
    static Path root;

    @TempDir
    static Path watched;

    private static PhpSite site;

    @BeforeAll
    static void start() throws Exception {
        PhpSite.require(PhpSite.PHP_CGI, "php-cgi");
        Files.writeString(root.resolve("monitored.php"), "<?php echo getmypid(), ' ', getenv('WEIR_TEST_GREETING');");
        Files.writeString(
                root.resolve("fragile.php"),
                "<?php if (($_GET['die'] ?? '') === '1') { posix_kill(getmypid(), 9); } echo 'alive';");
        Files.writeString(watched.resolve("php.ini.stamp"), "1");
        site = PhpSite.start(
                root,
                """
                <application fullPath="/usr/bin/php-cgi" arguments="-d precision=10" maxInstances="1" monitorChangesTo="%s">
                  <environmentVariables>
                    <environmentVariable name="WEIR_TEST_GREETING" value="hello from the pool" />
                  </environmentVariables>
                </application>
                <application fullPath="/usr/bin/php-cgi" arguments="-d precision=11" maxInstances="1" rapidFailsPerMinute="2" />
                """.formatted(watched.resolve("php.ini.stamp")),
                PhpSite.handler("Monitored", "monitored.php", "/usr/bin/php-cgi|-d precision=10")
                        + PhpSite.handler("Fragile", "fragile.php", "/usr/bin/php-cgi|-d precision=11"));
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void changingTheMonitoredFileRecyclesTheProcessesAndTheirEnvironmentIsConfigured() throws Exception {
        HttpResponse<String> first = site.get("/monitored.php");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).endsWith(" hello from the pool");
        String pid = first.body().split(" ")[0];
        assertThat(site.get("/monitored.php").body()).startsWith(pid + " ");
        Files.setLastModifiedTime(
                watched.resolve("php.ini.stamp"), FileTime.from(Instant.now().plusSeconds(5)));
        String after = pid;
        for (int i = 0; i < 40 && after.equals(pid); i++) {
            Thread.sleep(100);
            after = site.get("/monitored.php").body().split(" ")[0];
        }
        // the timer checks once a second; the process serving after the change is a new one
        Thread.sleep(1200);
        String recycled = site.get("/monitored.php").body().split(" ")[0];
        assertThat(recycled).isNotEqualTo(pid);
    }

    @Test
    void moreFailuresThanRapidFailsPerMinuteTakeTheApplicationOffline() throws Exception {
        assertThat(site.get("/fragile.php").body()).isEqualTo("alive");
        for (int i = 0; i < 3; i++) {
            assertThat(site.get("/fragile.php?die=1").statusCode()).isEqualTo(500);
        }
        HttpResponse<String> offline = site.get("/fragile.php");
        assertThat(offline.statusCode()).isEqualTo(500);
        assertThat(offline.body()).contains("failed frequently");
        // the other application is not affected
        assertThat(site.get("/monitored.php").statusCode()).isEqualTo(200);
    }
}
