package io.weir.server.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.weir.api.http.DataChunk;
import io.weir.server.cache.EncodedHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A kernel-style cache hit's head, encoded once ({@link EncodedHead}) and completed per request
 * ({@link EncodedHeadFraming}), is byte for byte the head {@link Http1ResponseHead} writes for the
 * same response, with a current {@code Date}.
 */
class EncodedHeadFramingTest {

    private static final String DATE = "Mon, 07 Dec 2026 22:00:00 GMT";
    private static final byte[] BODY = "0123456789abcdef".repeat(64).getBytes(StandardCharsets.US_ASCII);

    @Test
    void aHitIsTheHeadAndBodyTheResponseWriterEncodes() {
        List<Map.Entry<String, String>> fields = List.of(
                Map.entry("Content-Type", "application/octet-stream"),
                Map.entry("Last-Modified", "Tue, 08 Dec 2026 01:00:00 GMT"),
                Map.entry("ETag", "\"1d9a2b3c4d5e6f7:0\""),
                Map.entry("Accept-Ranges", "bytes"),
                Map.entry("Server", "Microsoft-IIS/10.0"),
                Map.entry("X-Powered-By", "ASP.NET"),
                Map.entry("X-Tab", "a\tb c "),
                Map.entry("X-Latin", "caf\u00e9 \u0100"),
                Map.entry("X-Empty", ""));
        for (boolean close : new boolean[] {false, true}) {
            for (boolean keepAlive : new boolean[] {false, true}) {
                for (String altSvc : new String[] {null, "h3=\":443\"; ma=86400"}) {
                    assertSame(200, "OK", fields, altSvc, close, keepAlive && !close, BODY);
                    assertSame(200, "OK", fields, altSvc, close, keepAlive && !close, new byte[0]);
                }
            }
        }
        assertSame(200, "Fine \u00e9\u0100", List.of(Map.entry("Date", DATE)), null, false, false, BODY);
    }

    @Test
    void theTransportsFramingFieldsReplaceTheEntrysOwn() {
        List<Map.Entry<String, String>> fields = List.of(
                Map.entry("Connection", "close"),
                Map.entry("Content-Length", "99"),
                Map.entry("Transfer-Encoding", "chunked"),
                Map.entry("X-A", "1"));
        EncodedHead head = EncodedHead.of(200, "OK", fields);
        assertThat(head.close()).isTrue();
        assertThat(head.toString()).isEqualTo("HTTP/1.1 200 OK\r\nX-A: 1\r\n");
        assertSame(200, "OK", fields, null, true, false, BODY);
        assertThat(EncodedHead.of(200, "OK", List.of(Map.entry("alt-svc", "h2=\":1\"")))
                        .hasAltSvc())
                .as("an entry's own alt-svc, which a TLS listener's replaces: such hits take the ordinary path")
                .isTrue();
    }

    @Test
    void theDateIsTheCurrentOne() {
        EncodedHead head = EncodedHead.of(200, "OK", List.of(Map.entry("X-A", "1")));
        for (int attempt = 0; ; attempt++) {
            String before = HttpDate.now().toString();
            String bytes = framing(head, null, 3, false, false, "abc".getBytes(StandardCharsets.US_ASCII));
            if (!before.equals(HttpDate.now().toString()) && attempt < 3) {
                continue; // a second boundary passed
            }
            assertThat(bytes)
                    .isEqualTo("HTTP/1.1 200 OK\r\nX-A: 1\r\ncontent-length: 3\r\ndate: " + before + "\r\n\r\nabc");
            return;
        }
    }

    @Test
    void whatTheResponseWriterRefusesIsNotEncoded() {
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("X-Split", "a\r\nSet-Cookie: x=1"),
                Map.entry("X-Nul", "a\u0000b"),
                Map.entry("X-Lead", " a"),
                Map.entry("X-Del", "a\u007fb"),
                Map.entry("Bad Name", "a"),
                Map.entry("Bad:Name", "a"),
                Map.entry("N\u00e9", "a"),
                Map.entry("", "a"))) {
            assertThat(EncodedHead.of(200, "OK", List.of(bad)))
                    .as(bad.toString())
                    .isNull();
        }
        assertThat(EncodedHead.of(200, "OK\r\nX: y", List.of())).isNull();
    }

    private static void assertSame(
            int status,
            String reason,
            List<Map.Entry<String, String>> fields,
            String altSvc,
            boolean close,
            boolean keepAlive,
            byte[] body) {
        EncodedHead head = EncodedHead.of(status, reason, fields);
        assertThat(head).isNotNull();
        for (int attempt = 0; ; attempt++) {
            String before = HttpDate.now().toString();
            String cached = framing(head, altSvc, body.length, close || head.close(), keepAlive, body);
            ByteBuf whole = Http1ResponseHead.encode(
                    ByteBufAllocator.DEFAULT,
                    status,
                    reason,
                    fields,
                    new Http1ResponseHead.Framing(altSvc, body.length, close || head.close(), keepAlive),
                    List.of(new DataChunk.Memory(ByteBuffer.wrap(body))),
                    body.length);
            String encoded;
            try {
                encoded = whole.toString(StandardCharsets.ISO_8859_1);
            } finally {
                whole.release();
            }
            if (!before.equals(HttpDate.now().toString()) && attempt < 3) {
                continue; // a second boundary passed between the two
            }
            assertThat(cached)
                    .as("altSvc=%s close=%s keepAlive=%s body=%d", altSvc, close, keepAlive, body.length)
                    .isEqualTo(encoded);
            return;
        }
    }

    private static String framing(
            EncodedHead head, String altSvc, long contentLength, boolean close, boolean keepAlive, byte[] body) {
        ByteBuffer direct =
                ByteBuffer.allocateDirect(body.length).put(body).flip().asReadOnlyBuffer();
        ByteBuf buf = EncodedHeadFraming.encode(
                ByteBufAllocator.DEFAULT, head, altSvc, contentLength, close, keepAlive, direct);
        try {
            assertThat(direct.remaining()).as("the body is read, not consumed").isEqualTo(body.length);
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }
}
