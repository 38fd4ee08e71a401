package io.weir.modules.iprestriction;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.http.HttpContext;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DynamicIpRestrictionModule over loopback. Concurrency is driven by {@link HoldModuleRegistration},
 * a handler that parks requests until the test releases them; the test waits on the handler's queue
 * and on POST_END_REQUEST, never on time. Rate windows are an hour long, so a test never crosses
 * one (the window's reset is covered by {@link ClientActivityTest} with a fake clock).
 */
class DynamicIpRestrictionModuleHttpTest {

    @TempDir
    static Path root;

    private static WeirTestServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        for (String folder : new String[] {"rate", "rate404", "logonly", "rateabort"}) {
            write(root, folder + "/a.txt", "text");
        }
        String embedded;
        try (InputStream in = DynamicIpRestrictionModuleHttpTest.class.getResourceAsStream(
                "/io/weir/config/applicationHost.config")) {
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String xml = embedded.replace(
                        "</globalModules>",
                        "  <add name=\"HoldModule\" type=\"" + HoldModuleRegistration.class.getName()
                                + "\" />\n    </globalModules>")
                .replace(
                        "</configuration>",
                        location("hold", """
                        <modules><add name="HoldModule" /></modules>
                        <handlers><add name="Hold" path="*" verb="*" modules="HoldModule" resourceType="Unspecified" requireAccess="None" /></handlers>
                        <security><dynamicIpSecurity>
                          <denyByConcurrentRequests enabled="true" maxConcurrentRequests="2" />
                        </dynamicIpSecurity></security>""")
                                + location(
                                        "rate",
                                        dynamic(
                                                "",
                                                "<denyByRequestRate enabled=\"true\" maxRequests=\"3\" "
                                                        + "requestIntervalInMilliseconds=\"3600000\" />"))
                                + location(
                                        "rate404",
                                        dynamic(
                                                "denyAction=\"NotFound\"",
                                                "<denyByRequestRate enabled=\"true\" "
                                                        + "maxRequests=\"1\" requestIntervalInMilliseconds=\"3600001\" />"))
                                + location(
                                        "rateabort",
                                        dynamic(
                                                "denyAction=\"AbortRequest\"",
                                                "<denyByRequestRate "
                                                        + "enabled=\"true\" maxRequests=\"1\" requestIntervalInMilliseconds=\"3600002\" />"))
                                + location(
                                        "logonly",
                                        dynamic(
                                                "enableLoggingOnlyMode=\"true\"",
                                                "<denyByRequestRate "
                                                        + "enabled=\"true\" maxRequests=\"1\" requestIntervalInMilliseconds=\"3600003\" />"))
                                + "</configuration>");
        server = WeirTestServer.start(
                xml, Map.of("WEIR_SITE_ROOT", root.toAbsolutePath().toString()));
        port = server.port();
    }

    private static String location(String path, String inner) {
        return "<location path=\"Default Web Site/" + path + "\"><system.webServer>" + inner
                + "</system.webServer></location>\n";
    }

    private static String dynamic(String attributes, String inner) {
        return "<security><dynamicIpSecurity " + attributes + ">" + inner + "</dynamicIpSecurity></security>";
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RawHttp.Response get(String target) {
        return RawHttp.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    /** Sends a request that the handler will hold, and waits until it is held. */
    private static Held hold(String target) throws Exception {
        RawHttp connection = RawHttp.connect(port);
        connection.send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        HttpContext context = HoldModuleRegistration.HELD.poll(30, TimeUnit.SECONDS);
        assertThat(context)
                .as("request " + target + " reached the holding handler")
                .isNotNull();
        return new Held(connection, context);
    }

    private record Held(RawHttp connection, HttpContext context) {}

    private static void awaitEnded(int requests) throws InterruptedException {
        assertThat(HoldModuleRegistration.ENDED.tryAcquire(requests, 30, TimeUnit.SECONDS))
                .as(requests + " request(s) ended")
                .isTrue();
    }

    /** Waits until the server has seen the client close (the request is then resumed after the loss). */
    private static void awaitDisconnected(HttpContext context) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (context.connection().isConnected() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(context.connection().isConnected())
                .as("the server saw the client close")
                .isFalse();
    }

    private static void assertDenied(RawHttp.Response response, int code, int subStatus) {
        assertThat(response.status()).as(response.statusLine()).isEqualTo(code);
        assertThat(response.bodyText())
                .contains("HTTP Error " + code + "." + subStatus + " - ")
                .contains("<th>Module</th><td>DynamicIpRestrictionModule</td>");
    }

    @Test
    void concurrentRequestsOverTheLimitGet403_501AndTheCountFollowsEveryEnd() throws Exception {
        HoldModuleRegistration.ENDED.drainPermits();
        Held first = hold("/hold/1");
        Held second = hold("/hold/2");

        assertDenied(get("/hold/3"), 403, 501);
        awaitEnded(1);

        HoldModuleRegistration.release(first.context());
        assertThat(first.connection().readResponse().bodyText()).isEqualTo("released");
        first.connection().close();
        awaitEnded(1);

        Held third = hold("/hold/4");
        assertDenied(get("/hold/5"), 403, 501);
        awaitEnded(1);

        // a client that goes away: its request still ends, and its count with it
        second.connection().close();
        awaitDisconnected(second.context());
        HoldModuleRegistration.release(second.context());
        awaitEnded(1);
        Held fourth = hold("/hold/6");

        // a failing request (500) is counted and released too
        HoldModuleRegistration.release(third.context());
        assertThat(third.connection().readResponse().status()).isEqualTo(200);
        third.connection().close();
        awaitEnded(1);
        assertThat(get("/hold/throw").status()).isEqualTo(500);
        awaitEnded(1);
        Held fifth = hold("/hold/7");
        assertDenied(get("/hold/8"), 403, 501);
        awaitEnded(1);

        for (Held held : new Held[] {fourth, fifth}) {
            HoldModuleRegistration.release(held.context());
            assertThat(held.connection().readResponse().status()).isEqualTo(200);
            held.connection().close();
        }
        awaitEnded(2);
        Held again = hold("/hold/9");
        Held againToo = hold("/hold/10");
        for (Held held : new Held[] {again, againToo}) {
            HoldModuleRegistration.release(held.context());
            assertThat(held.connection().readResponse().status()).isEqualTo(200);
            held.connection().close();
        }
        awaitEnded(2);
    }

    @Test
    void requestsOverTheRateGet403_502() {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/rate/a.txt").status()).isEqualTo(200);
        }
        assertDenied(get("/rate/a.txt"), 403, 502);
        assertDenied(get("/rate/missing"), 403, 502);
    }

    @Test
    void denyActionAppliesToDynamicRestrictions() throws Exception {
        assertThat(get("/rate404/a.txt").status()).isEqualTo(200);
        assertDenied(get("/rate404/a.txt"), 404, 502);

        assertThat(get("/rateabort/a.txt").status()).isEqualTo(200);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write("GET /rateabort/a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(socket.getInputStream()::read)
                    .isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
    }

    @Test
    void loggingOnlyModeDeniesNothing() {
        for (int i = 0; i < 4; i++) {
            assertThat(get("/logonly/a.txt").status()).isEqualTo(200);
        }
    }

    @Test
    void foldersWithoutDynamicRestrictionsAreNotCounted() {
        for (int i = 0; i < 30; i++) {
            assertThat(get("/rate/../logonly/../missing-" + i).status()).isEqualTo(404);
        }
    }
}
