package io.weir.modules.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timing settings of a {@code fastCgi/application} with php-cgi over loopback HTTP:
 * {@code activityTimeout} (the longest silence of the application during a request),
 * {@code idleTimeout} (how long an unused process lives) and {@code signalBeforeTerminateSeconds}
 * (SIGTERM, then SIGKILL that much later). {@code requestTimeout} and {@code instanceMaxRequests}
 * are in {@link FastCgiModuleHttpTest}.
 */
class FastCgiTimeoutsHttpTest {

    @TempDir
    static Path root;

    @TempDir
    static Path bin;

    private static PhpSite site;
    private static Path mark;

    @BeforeAll
    static void start() throws Exception {
        PhpSite.require(PhpSite.PHP_CGI, "php-cgi");
        PhpSite.require("/bin/sh", "dash");
        Files.writeString(root.resolve("silent.php"), "<?php sleep(40); echo 'too late';");
        Files.writeString(root.resolve("trickle.php"), """
                <?php
                while (ob_get_level() > 0) { ob_end_flush(); }
                for ($i = 0; $i < 4; $i++) { echo "tick $i\\n"; flush(); sleep(4); }
                echo 'done';
                """);
        Files.writeString(root.resolve("idle.php"), "<?php echo getmypid();");
        Files.writeString(root.resolve("graceful.php"), "<?php echo posix_getppid();");
        // a wrapper that notes SIGTERM (and stops its php-cgi) but does not exit: only SIGKILL ends it
        mark = bin.resolve("mark");
        Path wrapper = bin.resolve("php-wrapper");
        Files.writeString(wrapper, """
                #!/bin/sh
                /usr/bin/php-cgi "$@" &
                child=$!
                trap 'echo TERM >> "$WEIR_TEST_MARK"; kill -9 $child' TERM
                wait $child
                while :; do sleep 1; done
                """);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        site = PhpSite.start(
                root,
                """
                <application fullPath="/usr/bin/php-cgi" arguments="-d precision=10" maxInstances="1" activityTimeout="10" requestTimeout="60" />
                <application fullPath="/usr/bin/php-cgi" arguments="-d precision=11" maxInstances="1" idleTimeout="10" />
                <application fullPath="%s" maxInstances="1" instanceMaxRequests="1" signalBeforeTerminateSeconds="4">
                  <environmentVariables>
                    <environmentVariable name="WEIR_TEST_MARK" value="%s" />
                  </environmentVariables>
                </application>
                """.formatted(wrapper, mark),
                PhpSite.handler("Silent", "silent.php", "/usr/bin/php-cgi|-d precision=10")
                        + PhpSite.handler("Trickle", "trickle.php", "/usr/bin/php-cgi|-d precision=10")
                        + PhpSite.handler("Idle", "idle.php", "/usr/bin/php-cgi|-d precision=11")
                        + PhpSite.handler("Graceful", "graceful.php", wrapper.toString()));
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void anApplicationSilentLongerThanActivityTimeoutGetsA500WhileSteadyOutputDoesNot() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> silent = site.get("/silent.php");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(silent.statusCode()).isEqualTo(500);
        assertThat(silent.body()).contains("activity timeout").doesNotContain("too late");
        assertThat(seconds).isBetween(9L, 20L);

        // 16 s in all, but never 10 s without output: the same limits let it finish
        HttpResponse<String> trickle = site.get("/trickle.php");
        assertThat(trickle.statusCode()).isEqualTo(200);
        assertThat(trickle.body()).isEqualTo("tick 0\ntick 1\ntick 2\ntick 3\ndone");
    }

    @Test
    void aProcessUnusedForIdleTimeoutIsStopped() throws Exception {
        HttpResponse<String> r = site.get("/idle.php");
        assertThat(r.statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        ProcessHandle process = ProcessHandle.of(Long.parseLong(r.body())).orElseThrow();
        Thread.sleep(7000);
        assertThat(process.isAlive()).isTrue();
        process.onExit().get(10, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(seconds).isBetween(9L, 13L);
        // the next request starts a new process
        HttpResponse<String> next = site.get("/idle.php");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.body()).isNotEqualTo(r.body());
    }

    @Test
    void aRecycledProcessGetsSigtermAndIsKilledAfterSignalBeforeTerminateSeconds() throws Exception {
        HttpResponse<String> r = site.client.send(
                HttpRequest.newBuilder(site.uri("/graceful.php"))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        long started = System.nanoTime();
        // instanceMaxRequests="1": the wrapper (php-cgi's parent) is stopped after this request
        Optional<ProcessHandle> wrapper = ProcessHandle.of(Long.parseLong(r.body()));
        assertThat(wrapper).isPresent();
        for (int i = 0; i < 40 && !Files.exists(mark); i++) {
            Thread.sleep(50);
        }
        assertThat(mark).hasContent("TERM");
        Thread.sleep(2000);
        // it ignored SIGTERM: still running two seconds later, within the grace period of four
        assertThat(wrapper.get().isAlive()).isTrue();
        wrapper.get().onExit().get(10, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertThat(seconds).isBetween(3L, 7L);
    }
}
