package io.weir.server.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.weir.api.http.DataChunk;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The head written as bytes is the one Netty's validating headers and encoder write. */
class Http1ResponseHeadTest {

    private static final String DATE = "Mon, 07 Dec 2026 22:00:00 GMT";

    @Test
    void helloIsWhatNettyWrites() {
        List<Map.Entry<String, String>> fields = List.of(
                Map.entry("Content-Type", "text/plain; charset=utf-8"),
                Map.entry("Server", "Weir"),
                Map.entry("Date", DATE),
                Map.entry("X-Tab", "a\tb c "),
                Map.entry("X-Long", "x".repeat(3000)));
        byte[] body = "Hello World".getBytes(StandardCharsets.US_ASCII);
        assertSame(200, "OK", fields, new Http1ResponseHead.Framing(null, body.length, false, false), body);
    }

    @Test
    void transportFieldsReplaceTheModulesAndComeLastInNettysOrder() {
        List<Map.Entry<String, String>> fields = List.of(
                Map.entry("Connection", "keep-alive"),
                Map.entry("alt-svc", "h3=\":1\""),
                Map.entry("Content-Length", "99"),
                Map.entry("Transfer-Encoding", "chunked"),
                Map.entry("X-A", "1"),
                Map.entry("date", DATE));
        assertSame(404, "Not Found", fields, new Http1ResponseHead.Framing("h3=\":443\"", 0, true, false), null);
        assertSame(
                200, "Fine \u00e9\u0100", fields, new Http1ResponseHead.Framing(null, 12345678901L, false, true), null);
    }

    @Test
    void addsTheDateWhenTheModuleSetNone() {
        List<Map.Entry<String, String>> fields = List.of(Map.entry("X-A", "1"));
        for (int attempt = 0; ; attempt++) {
            String before = HttpDate.now().toString();
            String bytes = encode(200, "OK", fields, new Http1ResponseHead.Framing(null, 0, false, false), null);
            if (!before.equals(HttpDate.now().toString()) && attempt < 3) {
                continue; // a second boundary passed
            }
            assertThat(bytes)
                    .isEqualTo("HTTP/1.1 200 OK\r\nX-A: 1\r\ncontent-length: 0\r\ndate: " + before + "\r\n\r\n");
            return;
        }
    }

    @Test
    void refusesWhatNettysValidatingHeadersRefuse() {
        Http1ResponseHead.Framing framing = new Http1ResponseHead.Framing(null, 0, false, false);
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("X-Split", "a\r\nSet-Cookie: x=1"),
                Map.entry("X-Nul", "a\u0000b"),
                Map.entry("X-Lead", " a"),
                Map.entry("X-Del", "a\u007fb"),
                Map.entry("Bad Name", "a"),
                Map.entry("Bad:Name", "a"),
                Map.entry("N\u00e9", "a"),
                Map.entry("", "a"))) {
            assertThatThrownBy(() -> encode(200, "OK", List.of(bad), framing, null))
                    .as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> netty(200, "OK", List.of(bad), framing, null))
                    .as("Netty refuses " + bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> encode(200, "OK\r\nX: y", List.of(), framing, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertSame(
            int status,
            String reason,
            List<Map.Entry<String, String>> fields,
            Http1ResponseHead.Framing f,
            byte[] body) {
        assertThat(encode(status, reason, fields, f, body)).isEqualTo(netty(status, reason, fields, f, body));
    }

    private static String encode(
            int status,
            String reason,
            List<Map.Entry<String, String>> fields,
            Http1ResponseHead.Framing f,
            byte[] body) {
        List<DataChunk> chunks = body == null
                ? null
                : List.of(
                        new DataChunk.Memory(ByteBuffer.wrap(body, 0, body.length / 2)),
                        new DataChunk.Memory(ByteBuffer.allocateDirect(body.length - body.length / 2)
                                .put(body, body.length / 2, body.length - body.length / 2)
                                .flip()));
        ByteBuf buf = Http1ResponseHead.encode(
                ByteBufAllocator.DEFAULT, status, reason, fields, f, chunks, body == null ? 0 : body.length);
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    /** What NettyExchange's Netty-object path writes for the same response. */
    private static String netty(
            int status,
            String reason,
            List<Map.Entry<String, String>> fields,
            Http1ResponseHead.Framing f,
            byte[] body) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(status, reason),
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body),
                DefaultHttpHeadersFactory.headersFactory()
                        .withValidation(true)
                        .withValueValidation(true)
                        .newHeaders(),
                EmptyHttpHeaders.INSTANCE);
        HttpHeaders headers = response.headers();
        for (Map.Entry<String, String> e : fields) {
            String name = e.getKey();
            if (!name.equalsIgnoreCase("connection")
                    && !name.equalsIgnoreCase("content-length")
                    && !name.equalsIgnoreCase("transfer-encoding")) {
                headers.add(name, e.getValue());
            }
        }
        if (f.altSvc() != null) {
            headers.set("alt-svc", f.altSvc());
        }
        headers.set("content-length", f.contentLength());
        if (f.close()) {
            headers.set("connection", "close");
        } else if (f.keepAlive()) {
            headers.set("connection", "keep-alive");
        }
        if (!headers.contains("date")) {
            headers.set("date", HttpDate.now());
        }
        EmbeddedChannel channel = new EmbeddedChannel(new HttpResponseEncoder());
        channel.writeOutbound(response);
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        channel.finishAndReleaseAll();
        return out.toString();
    }
}
