package io.weir.it.requestmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.cli.WeirCommand;
import io.weir.core.WeirEngine;
import io.weir.core.internal.pipeline.ExecutingRequests;
import io.weir.server.AdminEndpoint;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The requests in flight and the runtime status (IIS's RequestMonitorModule and
 * {@code appcmd list requests}, docs/reference/configuration-system.md, "Run-time requests"): the engine's
 * list, the local admin endpoint (127.0.0.1, bearer token from a 0600 file) and
 * {@code weir list requests}. Modules are those of {@link BlockingModules}: B is declared blocking,
 * A and H run on the event loop.
 */
class ListRequestsIT {

    /** The outcome of one in-process run of {@code weir ARGS}. */
    private record CommandRun(int exitCode, String out, String err) {
        static CommandRun of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            picocli.CommandLine commandLine = WeirCommand.commandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));
            int exitCode = commandLine.execute(args);
            return new CommandRun(exitCode, out.toString(), err.toString());
        }
    }

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path root;

    @TempDir
    Path home;

    private WeirTestServer start() {
        Map<String, String> modules = new LinkedHashMap<>();
        modules.put("A", "NonBlocking");
        modules.put("B", "Blocking");
        modules.put("C", "NonBlocking");
        modules.put("H", "NonBlocking");
        return WeirTestServer.start(BlockingModulesIT.config(modules), Map.of("ROOT", root.toString()));
    }

    private CompletableFuture<HttpResponse<String>> send(WeirTestServer server, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                .header("X-Test-Id", "list")
                .timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits (up to 20 s) until a request with each given URL is listed in the given state. */
    private static List<ExecutingRequests.Snapshot> awaitRequests(WeirEngine engine, String state, String... urls)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<ExecutingRequests.Snapshot> now = List.of();
        while (System.nanoTime() < deadline) {
            now = engine.executingRequests(Duration.ofMillis(500));
            List<ExecutingRequests.Snapshot> seen = now;
            if (seen.stream().anyMatch(s -> s.state().equals(state))
                    && Arrays.stream(urls)
                            .allMatch(u -> seen.stream().anyMatch(s -> s.url().equals(u)))) {
                return now;
            }
            Thread.sleep(10);
        }
        return now;
    }

    /** Each request in flight is listed with its URL, notification, module and state; ended ones are not. */
    @Test
    void requestsInFlightAreListedWithNotificationModuleAndState() throws Exception {
        try (WeirTestServer server = start()) {
            WeirEngine engine = server.server().engine();
            assertThat(send(server, "/done").get().statusCode()).isEqualTo(200);
            CompletableFuture<HttpResponse<String>> pending = send(server, "/parked", "X-Pending", "A:8000");
            CompletableFuture<HttpResponse<String>> blocking = send(server, "/blocking", "X-Sleep", "B:8000");
            List<ExecutingRequests.Snapshot> list = awaitRequests(engine, "BLOCKING", "/parked", "/blocking");
            assertThat(list).anySatisfy(s -> {
                assertThat(s.url()).isEqualTo("/parked");
                assertThat(s.notification()).isEqualTo("BEGIN_REQUEST");
                assertThat(s.module()).isEqualTo("A");
                assertThat(s.state()).isEqualTo("PENDING");
                assertThat(s.site()).isEqualTo("Test");
                assertThat(s.verb()).isEqualTo("GET");
            });
            assertThat(list).anySatisfy(s -> {
                assertThat(s.url()).isEqualTo("/blocking");
                assertThat(s.module()).isEqualTo("B");
                assertThat(s.state()).isEqualTo("BLOCKING");
            });
            assertThat(list).noneSatisfy(s -> assertThat(s.url()).isEqualTo("/done"));
            assertThat(engine.runtimeStatus().requestsInFlight()).isEqualTo(2);
            assertThat(pending.get().statusCode()).isEqualTo(200);
            assertThat(blocking.get().statusCode()).isEqualTo(200);
            for (int i = 0;
                    i < 500 && !engine.executingRequests(Duration.ofMillis(200)).isEmpty();
                    i++) {
                Thread.sleep(10);
            }
            assertThat(engine.executingRequests(Duration.ofMillis(200))).isEmpty();
        }
    }

    /** An event loop held by a module does not answer: its call is listed as HELD, from the watchdog's view. */
    @Test
    void aHeldEventLoopIsReportedWithTheModuleHoldingIt() throws Exception {
        try (WeirTestServer server = start()) {
            WeirEngine engine = server.server().engine();
            CompletableFuture<HttpResponse<String>> held = send(server, "/held", "X-Sleep", "H:5000");
            List<ExecutingRequests.Snapshot> list = awaitRequests(engine, "HELD", "/held");
            assertThat(list).anySatisfy(s -> {
                assertThat(s.url()).isEqualTo("/held");
                assertThat(s.module()).isEqualTo("H");
                assertThat(s.notification()).isEqualTo("BEGIN_REQUEST");
                assertThat(s.state()).isEqualTo("HELD");
            });
            assertThat(held.get().statusCode()).isEqualTo(200);
        }
    }

    /** The admin endpoint: token file created 0600, unsafe permissions refused, 401 without the token, JSON with it. */
    @Test
    void adminEndpointNeedsTheTokenFromAPrivateFile() throws Exception {
        try (WeirTestServer server = start()) {
            WeirEngine engine = server.server().engine();
            Path unsafe = home.resolve("unsafe.token");
            Files.writeString(unsafe, "secret\n");
            Files.setPosixFilePermissions(unsafe, PosixFilePermissions.fromString("rw-r--r--"));
            assertThatThrownBy(() -> AdminEndpoint.start(engine, 0, unsafe))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("chmod 600");

            Path tokenFile = home.resolve("weir").resolve("admin.token");
            try (AdminEndpoint admin = AdminEndpoint.start(engine, 0, tokenFile)) {
                assertThat(Files.getPosixFilePermissions(tokenFile))
                        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
                String token = Files.readString(tokenFile).trim();
                assertThat(token).hasSizeGreaterThanOrEqualTo(32);
                URI status = URI.create("http://127.0.0.1:" + admin.port() + "/status");
                assertThat(client.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(401);
                assertThat(client.send(
                                        HttpRequest.newBuilder(status)
                                                .header("Authorization", "Bearer nope")
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode())
                        .isEqualTo(401);
                assertThat(send(server, "/x").get().statusCode()).isEqualTo(200);
                // the client has its response before the request ends: module B's END_REQUEST is
                // declared blocking and runs after a hop to the blocking executor
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (engine.requestsEnded() < 1 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                HttpResponse<String> ok = client.send(
                        HttpRequest.newBuilder(status)
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body())
                        .contains(
                                "\"generation\": 1",
                                "\"requestsInFlight\": 0",
                                "\"requestsEnded\": 1",
                                "\"eventLoopOverruns\": 0",
                                "\"budgetMillis\": 50");
            }
        }
    }

    /** {@code weir list requests} prints the status and one REQUEST line per request in flight. */
    @Test
    void weirListRequestsPrintsStatusAndRequests() throws Exception {
        try (WeirTestServer server = start()) {
            Path tokenFile = home.resolve("admin.token");
            try (AdminEndpoint admin = AdminEndpoint.start(server.server().engine(), 0, tokenFile)) {
                CompletableFuture<HttpResponse<String>> pending = send(server, "/slow?q=1", "X-Pending", "A:8000");
                awaitRequests(server.server().engine(), "PENDING", "/slow?q=1");
                CommandRun run = CommandRun.of(
                        "list",
                        "requests",
                        "--port",
                        Integer.toString(admin.port()),
                        "--token-file",
                        tokenFile.toString());
                assertThat(run.exitCode()).as(run.err()).isZero();
                assertThat(run.out()).contains("STATUS (generation:1,requestsInFlight:1,");
                assertThat(run.out())
                        .containsPattern("REQUEST \"GET /slow\\?q=1\" \\(site:Test,time:\\d+ msec,"
                                + "notification:BEGIN_REQUEST,module:A,state:PENDING,thread:");
                assertThat(pending.get().statusCode()).isEqualTo(200);

                CommandRun wrong = CommandRun.of(
                        "list",
                        "requests",
                        "--port",
                        Integer.toString(admin.port()),
                        "--token-file",
                        home.resolve("missing.token").toString());
                assertThat(wrong.exitCode()).isEqualTo(1);
                assertThat(wrong.err()).contains("cannot read the admin token file");
            }
        }
    }
}
