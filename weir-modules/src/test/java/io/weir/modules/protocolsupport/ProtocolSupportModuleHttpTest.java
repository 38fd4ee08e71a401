package io.weir.modules.protocolsupport;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.LoopbackSite;
import io.weir.testkit.RawHttp;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProtocolSupportModule over loopback: custom and redirect headers, keep-alive, TRACE and OPTIONS. */
class ProtocolSupportModuleHttpTest {

    @TempDir
    static Path root;

    private static LoopbackSite site;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        write(root, "a.txt", "root");
        write(root, "headers/a.txt", "headers");
        write(root, "headers/none/a.txt", "none");
        write(root, "close/a.txt", "close");
        write(root, "verbs/a.txt", "verbs");
        site = LoopbackSite.serving(
                root,
                "headers",
                """
                        <httpProtocol>
                          <customHeaders><add name="X-Frame-Options" value="SAMEORIGIN" /><add name="X-Test" value="t 1" /></customHeaders>
                          <redirectHeaders><add name="X-Redirected-By" value="Weir" /></redirectHeaders>
                        </httpProtocol>""",
                "headers/old",
                "<httpRedirect enabled=\"true\" destination=\"/headers\" />",
                "headers/none",
                "<httpProtocol><customHeaders><remove name=\"X-Test\" /></customHeaders></httpProtocol>",
                "close",
                "<httpProtocol allowKeepAlive=\"false\" />",
                "verbs",
                """
                        <handlers>
                          <add name="TRACEVerbHandler" path="*" verb="TRACE" modules="ProtocolSupportModule" requireAccess="None" />
                          <add name="OPTIONSVerbHandler" path="*" verb="OPTIONS" modules="ProtocolSupportModule" requireAccess="None" />
                        </handlers>""");
        port = site.uri("/").getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static RawHttp.Response send(String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return RawHttp.exchange(port, request.append("\r\n").toString());
    }

    @Test
    void customHeadersGoOnEveryResponseIncludingErrors() {
        RawHttp.Response ok = send("GET", "/headers/a.txt");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("X-Test")).hasValue("t 1");
        assertThat(ok.header("X-Frame-Options")).hasValue("SAMEORIGIN");
        assertThat(ok.header("X-Redirected-By")).isEmpty();
        RawHttp.Response missing = send("GET", "/headers/missing.txt");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("X-Test")).hasValue("t 1");
        RawHttp.Response refused = send("DELETE", "/headers/a.txt");
        assertThat(refused.status()).isEqualTo(405);
        assertThat(refused.header("X-Test")).hasValue("t 1");
        RawHttp.Response filtered = send("GET", "/headers/web.config");
        assertThat(filtered.status()).isEqualTo(404);
        assertThat(filtered.header("X-Frame-Options")).hasValue("SAMEORIGIN");
    }

    @Test
    void redirectHeadersGoOnRedirectsOnly() {
        RawHttp.Response redirect = send("GET", "/headers/old/x");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("X-Redirected-By")).hasValue("Weir");
        assertThat(redirect.header("X-Test")).hasValue("t 1");
        RawHttp.Response folder = send("GET", "/headers");
        assertThat(folder.status()).isEqualTo(301);
        assertThat(folder.header("X-Redirected-By")).hasValue("Weir");
    }

    @Test
    void removeInAFolderBelowDropsAnInheritedHeader() {
        RawHttp.Response none = send("GET", "/headers/none/a.txt");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.header("X-Test")).isEmpty();
        assertThat(none.header("X-Frame-Options")).hasValue("SAMEORIGIN");
    }

    @Test
    void theDefaultAddsNoHeaderAndKeepsConnectionsAlive() {
        try (RawHttp connection = RawHttp.connect(port)) {
            for (int i = 0; i < 2; i++) {
                RawHttp.Response response = connection
                        .send("GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .readResponse();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("X-Powered-By")).isEmpty();
                assertThat(response.header("X-Test")).isEmpty();
                assertThat(response.header("Connection")).isNotEqualTo(Optional.of("close"));
            }
        }
    }

    @Test
    void allowKeepAliveFalseClosesTheConnection() {
        try (RawHttp connection = RawHttp.connect(port)) {
            RawHttp.Response response = connection
                    .send("GET /close/a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("Connection")).hasValue("close");
            assertThat(connection.awaitClose()).isTrue();
        }
    }

    @Test
    void optionsIsAnsweredWithIisAllowList() {
        RawHttp.Response options = send("OPTIONS", "/verbs/a.txt");
        assertThat(options.status()).isEqualTo(200);
        assertThat(options.header("Allow")).hasValue(ProtocolSupportModule.ALLOWED_VERBS);
        assertThat(options.header("Public")).hasValue(ProtocolSupportModule.ALLOWED_VERBS);
        assertThat(options.body()).isEmpty();
    }

    @Test
    void traceEchoesTheRequestWithoutCredentials() {
        RawHttp.Response trace = send(
                "TRACE",
                "/verbs/a.txt?q=1",
                "X-Probe: 42",
                "Cookie: session=secret",
                "Authorization: Basic c2VjcmV0OnNlY3JldA==");
        assertThat(trace.status()).isEqualTo(200);
        assertThat(trace.header("Content-Type")).hasValue("message/http");
        assertThat(trace.bodyText())
                .startsWith("TRACE /verbs/a.txt?q=1 HTTP/1.1\r\n")
                .contains("X-Probe: 42")
                .doesNotContain("secret")
                .doesNotContain("c2VjcmV0");
    }

    @Test
    void traceAndOptionsAreNotMappedByDefault() {
        assertThat(send("TRACE", "/a.txt").status()).isEqualTo(405);
        assertThat(send("OPTIONS", "/a.txt").status()).isEqualTo(405);
    }
}
