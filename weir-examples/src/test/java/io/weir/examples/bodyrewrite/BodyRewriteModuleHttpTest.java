package io.weir.examples.bodyrewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.HttpModule;
import io.weir.api.ModuleRegistration;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestConfig;
import io.weir.testkit.WeirTestServer;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The SEND_RESPONSE body-rewriting sample over loopback, on the output of another module: a
 * buffered HTML page is rewritten with a correct {@code Content-Length}, a streamed one send by
 * send, and a non-HTML response is left alone.
 */
class BodyRewriteModuleHttpTest {

    /** A handler that writes HTML or text, buffered or in two flushed parts, as the path asks. */
    private static final ModuleRegistration PAGES = (version, info, server) -> info.setRequestNotifications(
            a -> new HttpModule() {
                @Override
                public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
                    String path = c.request().urlPath();
                    c.response().setHeader("Content-Type", path.endsWith(".txt") ? "text/plain" : "text/html", true);
                    c.response().writeEntityChunks(DataChunk.ofUtf8("<p>Hello, World!</p>"));
                    if (path.startsWith("/streamed")) {
                        c.response().flush(true);
                        c.response().writeEntityChunks(DataChunk.ofUtf8("<p>Goodbye, World.</p>"));
                    }
                    return RequestNotificationStatus.FINISH_REQUEST;
                }
            },
            EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
            EnumSet.noneOf(RequestNotification.class));

    private static WeirTestServer start() {
        return WeirTestServer.start(WeirTestConfig.create()
                .module("BodyRewriteModule", BodyRewriteModuleRegistration.class)
                .module("Pages", PAGES));
    }

    private static RawHttp.Response get(WeirTestServer server, String path) {
        return RawHttp.exchange(server.port(), "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    }

    @Test
    void rewritesABufferedHtmlPageAndItsLength() {
        try (WeirTestServer server = start()) {
            RawHttp.Response r = get(server, "/page.html");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("<p>Hello, Weir!</p>");
            assertThat(r.header("Content-Length")).contains("19");
        }
    }

    @Test
    void rewritesEachSendOfAStreamedPage() {
        try (WeirTestServer server = start()) {
            RawHttp.Response r = get(server, "/streamed.html");
            assertThat(r.header("Transfer-Encoding")).contains("chunked");
            assertThat(r.bodyText()).isEqualTo("<p>Hello, Weir!</p><p>Goodbye, Weir.</p>");
        }
    }

    @Test
    void leavesOtherContentTypesAlone() {
        try (WeirTestServer server = start()) {
            assertThat(get(server, "/notes.txt").bodyText()).isEqualTo("<p>Hello, World!</p>");
        }
    }
}
