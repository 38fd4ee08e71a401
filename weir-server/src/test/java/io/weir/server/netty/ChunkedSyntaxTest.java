package io.weir.server.netty;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chunked grammar check inside {@link RequestDecoder}, fed one byte per read so that every
 * split of a chunk line, of chunk data and of the trailer section is crossed.
 */
class ChunkedSyntaxTest {

    private static final String HEAD = "POST /e HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

    /** What the decoder passed on: "request", body bytes, "end", or "failed: reason". */
    private static List<String> decodeByteByByte(String input) {
        TransportSettings settings = TransportSettings.defaults().withHeadLimits(16384, 64, 100);
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxRequestBytes())
                .setMaxHeaderSize(settings.maxRequestBytes())
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
        EmbeddedChannel channel = new EmbeddedChannel(new RequestDecoder(config, settings));
        List<String> seen = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        try {
            for (byte b : input.getBytes(StandardCharsets.ISO_8859_1)) {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
                HttpObject message;
                while ((message = channel.readInbound()) != null) {
                    try {
                        if (message.decoderResult().isFailure()) {
                            seen.add(
                                    "failed: " + message.decoderResult().cause().getMessage());
                        } else if (message instanceof HttpRequest r) {
                            seen.add("request " + r.uri());
                        } else if (message instanceof HttpContent c) {
                            body.append(c.content().toString(StandardCharsets.ISO_8859_1));
                            if (message instanceof LastHttpContent) {
                                seen.add("body " + body);
                                body.setLength(0);
                            }
                        }
                    } finally {
                        ReferenceCountUtil.release(message);
                    }
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return seen;
    }

    @Test
    void validExtensionsQuotedStringsAndTrailersPassAcrossEverySplit() {
        String body = "5 ;a=b;c = \"d;\\\"e\"\r\nhello\r\n10;x\r\n0123456789abcdef\r\n0;end=1\r\nT: v\r\n\r\n";
        assertThat(decodeByteByByte(HEAD + body + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n"))
                .containsExactly("request /e", "body hello0123456789abcdef", "request /next", "body ");
    }

    @Test
    void dataThatLooksLikeAChunkLineIsNotChecked() {
        assertThat(decodeByteByByte(HEAD + "4\r\n5;\r\n\r\n0\r\n\r\n")).containsExactly("request /e", "body 5;\r\n");
    }

    @Test
    void anEmptyExtensionFailsTheBodyAndNothingAfterItIsParsed() {
        assertThat(decodeByteByByte(HEAD + "5;\r\nhello\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n"))
                .containsExactly("request /e", "failed: invalid chunked body: chunk extension without a name");
    }

    @Test
    void anOverlongChunkLineFails() {
        assertThat(decodeByteByByte(HEAD + "5;a=" + "b".repeat(100) + "\r\nhello\r\n0\r\n\r\n"))
                .containsExactly("request /e", "failed: invalid chunked body: chunk line longer than 64 bytes");
    }

    @Test
    void aBareLfInTheTrailerSectionFails() {
        assertThat(decodeByteByByte(HEAD + "0\r\n\n")).last().asString().startsWith("failed: ");
    }
}
