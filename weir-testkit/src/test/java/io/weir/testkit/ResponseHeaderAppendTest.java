package io.weir.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.HttpModule;
import io.weir.api.ModuleRegistration;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code setHeader(name, value, false)} appends to the existing value after a comma, as IIS's
 * {@code IHttpResponse::SetHeader} with {@code fReplace=FALSE} does; Set-Cookie keeps one field per
 * cookie. Checked on the wire, over loopback.
 */
class ResponseHeaderAppendTest {

    private static final ModuleRegistration APPENDER = (version, info, server) -> info.setRequestNotifications(
            factory -> new HttpModule() {
                @Override
                public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                    context.response().setHeader("X-Trace", "first", false);
                    context.response().setHeader("X-Trace", "second", false);
                    context.response().setHeader("X-Single", "only", false);
                    context.response().setHeader("X-Replaced", "old", false);
                    context.response().setHeader("X-Replaced", "new", true);
                    context.response().setHeader("Set-Cookie", "a=1", false);
                    context.response().setHeader("Set-Cookie", "b=2", false);
                    context.response().setHeader("Content-Type", "text/plain", true);
                    context.response().writeEntityChunks(DataChunk.ofUtf8("ok"));
                    return RequestNotificationStatus.FINISH_REQUEST;
                }
            },
            EnumSet.of(RequestNotification.BEGIN_REQUEST),
            Set.of());

    @Test
    void aSecondValueIsAppendedToTheFirstWithACommaOnOneHeaderLine() {
        try (WeirTestServer server =
                WeirTestServer.start(WeirTestConfig.create().module("Appender", APPENDER))) {
            RawHttp.Response response =
                    RawHttp.exchange(server.port(), "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.headers("X-Trace")).containsExactly("first,second");
            assertThat(response.headers("X-Single")).containsExactly("only");
            assertThat(response.headers("X-Replaced")).containsExactly("new");
            assertThat(response.headers("Set-Cookie")).containsExactly("a=1", "b=2");
        }
    }
}
