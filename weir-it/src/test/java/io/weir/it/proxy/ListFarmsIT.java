package io.weir.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.WeirCommand;
import io.weir.config.ApplicationHostConfig;
import io.weir.server.AdminEndpoint;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir list farms} against a running server: a three-server farm reached through the rule
 * IIS Manager writes, listed through the local admin endpoint while its servers are healthy, one is
 * killed (the health check takes it out), and one is drained with a request still running.
 */
class ListFarmsIT {

    @TempDir
    Path root;

    @TempDir
    Path home;

    final Backends.JdkBackend[] backends = new Backends.JdkBackend[3];
    WeirTestServer weir;
    AdminEndpoint admin;

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (weir != null) {
            weir.close();
        }
        for (Backends.JdkBackend b : backends) {
            if (b != null) {
                b.close();
            }
        }
    }

    String config(String thirdServerAttributes) {
        StringBuilder farm = new StringBuilder("<webFarm name=\"farm\" enabled=\"true\">");
        for (int i = 0; i < 3; i++) {
            farm.append("<server address=\"")
                    .append(RewriteToProxyIT.ADDRESSES[i])
                    .append("\" ")
                    .append(i == 2 ? thirdServerAttributes : "")
                    .append(">")
                    .append("<applicationRequestRouting httpPort=\"")
                    .append(backends[i].port())
                    .append("\" /></server>");
        }
        farm.append("<applicationRequestRouting><healthCheck url=\"http://farm/health\" interval=\"00:00:01\""
                + " timeout=\"00:00:01\" responseMatch=\"healthy\" /></applicationRequestRouting></webFarm>");
        return RewriteToProxyIT.config("true", RewriteToProxyIT.FARM_RULE, farm.toString());
    }

    String listFarms() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine commandLine = WeirCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(
                "list",
                "farms",
                "--port",
                Integer.toString(admin.port()),
                "--token-file",
                home.resolve("admin.token").toString());
        assertThat(exitCode).as(err.toString()).isZero();
        return out.toString();
    }

    String awaitListing(String pattern) {
        String listing = "";
        for (int i = 0; i < 100; i++) {
            listing = listFarms();
            if (Pattern.compile(pattern).matcher(listing).find()) {
                return listing;
            }
            Backends.sleep(100);
        }
        return listing;
    }

    static String server(int i) {
        return "  SERVER \"" + RewriteToProxyIT.ADDRESSES[i].replace(".", "\\.") + ":\\d+\" ";
    }

    @Test
    void listsEachServersStateAndCounters() throws Exception {
        for (int i = 0; i < 3; i++) {
            backends[i] = new Backends.JdkBackend("s" + (i + 1), 0, RewriteToProxyIT.ADDRESSES[i]);
        }
        weir = WeirTestServer.start(config(""), Map.of("ROOT", root.toString()));
        admin = AdminEndpoint.start(weir.server().engine(), 0, home.resolve("admin.token"));

        assertThat(listFarms()).contains("No web farm has been used since the server started.");
        try (RawHttp http = RawHttp.connect(weir.port())) {
            for (int i = 0; i < 6; i++) {
                http.send("GET /page/" + i + " HTTP/1.1\r\nHost: site.example\r\n\r\n");
                assertThat(http.readResponse().status()).isEqualTo(200);
            }
        }
        String healthy = listFarms();
        assertThat(healthy).startsWith("FARM \"farm\"");
        for (int i = 0; i < 3; i++) {
            assertThat(healthy)
                    .containsPattern(server(i) + "\\(state:healthy,weight:100,currentRequests:0,requests:2,"
                            + "failures:0,healthCheckFailures:0,avgResponseMs:\\d+\\.\\d\\)");
        }

        // killed: the health check takes the second server out
        backends[1].close();
        String unhealthy = awaitListing(server(1) + "\\(state:unhealthy,");
        assertThat(unhealthy)
                .containsPattern(server(1) + "\\(state:unhealthy,weight:100,currentRequests:0,requests:2,"
                        + "failures:0,healthCheckFailures:[1-9]");
        assertThat(unhealthy).containsPattern(server(0) + "\\(state:healthy,");

        // drained with a request still running on it, then disabled once it has finished
        List<RawHttp> slow = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            RawHttp http = RawHttp.connect(weir.port());
            http.send("GET /slow?t=2500 HTTP/1.1\r\nHost: site.example\r\n\r\n");
            slow.add(http);
        }
        awaitListing(server(2) + "\\(state:healthy,weight:100,currentRequests:1,");
        weir.server()
                .reload(ApplicationHostConfig.parse(
                        "reloaded",
                        new ByteArrayInputStream(config("enabled=\"false\"").getBytes(StandardCharsets.UTF_8)),
                        root,
                        Map.of("ROOT", root.toString())));
        assertThat(RawHttp.exchange(weir.port(), "GET /after HTTP/1.1\r\nHost: site.example\r\n\r\n")
                        .status())
                .isEqualTo(200);
        String draining = listFarms();
        assertThat(draining).containsPattern(server(2) + "\\(state:draining,weight:100,currentRequests:1,requests:3,");
        assertThat(draining).containsPattern(server(0) + "\\(state:healthy,weight:100,currentRequests:1,requests:4,");
        for (RawHttp http : slow) {
            assertThat(http.readResponse().status()).isEqualTo(200);
            http.close();
        }
        assertThat(awaitListing(server(2) + "\\(state:disabled,"))
                .containsPattern(server(2) + "\\(state:disabled,weight:100,currentRequests:0,requests:3,failures:0,");
    }
}
