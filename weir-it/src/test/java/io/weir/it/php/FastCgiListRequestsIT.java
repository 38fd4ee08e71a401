package io.weir.it.php;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weir.cli.WeirCommand;
import io.weir.server.AdminEndpoint;
import io.weir.testkit.WeirTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir list requests} while PHP works on a request: the request is listed in
 * EXECUTE_REQUEST_HANDLER, owned by FastCgiModule, in the PENDING state (the module handed the
 * request to its own virtual thread, which waits on the FastCGI socket), as IIS's RequestMonitor
 * shows a request waiting in iisfcgi.dll.
 */
class FastCgiListRequestsIT {

    @TempDir
    Path site;

    @TempDir
    Path home;

    @Test
    void aRequestWaitingForPhpIsListedAsPendingInFastCgiModule() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/php-cgi"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("/usr/bin/php-cgi is missing on CI: .ci/run must install php-cgi");
        }
        assumeTrue(present, "/usr/bin/php-cgi is not installed (apt-get install php-cgi)");
        Files.writeString(site.resolve("wait.php"), "<?php usleep(3000000); echo 'waited';");
        Files.writeString(site.resolve("web.config"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration>
                  <system.webServer>
                    <handlers>
                      <add name="PHP_via_FastCGI" path="*.php" verb="GET,HEAD,POST" modules="FastCgiModule"
                           scriptProcessor="/usr/bin/php-cgi" resourceType="File" requireAccess="Script" />
                    </handlers>
                  </system.webServer>
                </configuration>
                """);
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (WeirTestServer server = WeirTestServer.serving(site)) {
            Path tokenFile = home.resolve("admin.token");
            try (AdminEndpoint admin = AdminEndpoint.start(server.server().engine(), 0, tokenFile)) {
                CompletableFuture<HttpResponse<String>> waiting = client.sendAsync(
                        HttpRequest.newBuilder(server.uri("/wait.php?x=1"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                String out = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                while (!out.contains("module:FastCgiModule") && System.nanoTime() < deadline && !waiting.isDone()) {
                    StringWriter text = new StringWriter();
                    picocli.CommandLine command = WeirCommand.commandLine();
                    command.setOut(new PrintWriter(text, true));
                    command.setErr(new PrintWriter(new StringWriter(), true));
                    int exit = command.execute(
                            "list",
                            "requests",
                            "--port",
                            Integer.toString(admin.port()),
                            "--token-file",
                            tokenFile.toString());
                    assertThat(exit).isZero();
                    out = text.toString();
                    Thread.sleep(50);
                }
                assertThat(out)
                        .containsPattern("REQUEST \"GET /wait\\.php\\?x=1\" \\(site:[^,]+,time:\\d+ msec,"
                                + "notification:EXECUTE_REQUEST_HANDLER,module:FastCgiModule,state:PENDING");
                HttpResponse<String> done = waiting.get();
                assertThat(done.statusCode()).isEqualTo(200);
                assertThat(done.body()).isEqualTo("waited");
            }
        }
    }
}
