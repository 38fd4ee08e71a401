package io.weir.server.netty;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;

/**
 * Fuzz tests of the request parser: Netty's decoder with Weir's strict checks, then the
 * request-line and Host rules. In {@code verify} they run once per input of the committed corpus
 * ({@code src/test/resources/io/weir/server/netty/RequestParserFuzzTestInputs/}); with
 * {@code JAZZER_FUZZ=1} Jazzer generates inputs (see docs/security.md).
 */
class RequestParserFuzzTest {

    /**
     * Any bytes, split in two reads at any point: the decoder never throws, and every request it
     * passes on as valid has a version of exactly HTTP/1.0 or HTTP/1.1, no header line starting
     * with whitespace folded in, and the rules either refuse it or accept a target that is
     * origin-form, absolute-form or {@code *}.
     */
    @FuzzTest(maxDuration = "10s")
    void decoderAndRulesNeverFailOpen(FuzzedDataProvider data) {
        int split = data.consumeInt(0, 4096);
        byte[] bytes = data.consumeRemainingAsBytes();
        TransportSettings settings = TransportSettings.defaults().withHeadLimits(1024, 512, 20);
        HttpDecoderConfig config = new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxRequestBytes())
                .setMaxHeaderSize(settings.maxRequestBytes())
                .setValidateHeaders(true)
                .setStrictLineParsing(true)
                .setAllowDuplicateContentLengths(false)
                .setUseRfc9112TransferEncoding(true);
        EmbeddedChannel channel = new EmbeddedChannel(new RequestDecoder(config, settings));
        try {
            int cut = Math.min(split, bytes.length);
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, cut));
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
            Object message;
            while ((message = channel.readInbound()) != null) {
                try {
                    if (message instanceof HttpRequest request
                            && request.decoderResult().isSuccess()) {
                        String version = request.protocolVersion().text();
                        assertThat(version).isIn("HTTP/1.0", "HTTP/1.1");
                        assertThat(request.headers().size()).isLessThanOrEqualTo(20);
                        RequestRules.Violation violation =
                                RequestRules.checkTarget(request.method().name(), request.uri());
                        if (violation == null) {
                            String uri = request.uri();
                            assertThat(uri.startsWith("/") || "*".equals(uri) || RequestRules.isAbsoluteForm(uri))
                                    .isTrue();
                            if (RequestRules.isAbsoluteForm(uri)) {
                                RequestRules.Rewritten r = RequestRules.rewriteAbsoluteForm(uri);
                                assertThat(r.originForm()).startsWith("/");
                                assertThat(RequestRules.validHost(r.authority()))
                                        .isTrue();
                            }
                        }
                        RequestRules.checkHost(request.headers().getAll(HttpHeaderNames.HOST), true);
                    }
                } finally {
                    ReferenceCountUtil.release(message);
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** The Host rule accepts only {@code host[:port]} with letters, digits, {@code -._~} or an IP literal. */
    @FuzzTest(maxDuration = "5s")
    void hostRuleAcceptsOnlyHostAndPort(FuzzedDataProvider data) {
        String host = data.consumeRemainingAsAsciiString();
        if (RequestRules.validHost(host)) {
            assertThat(host).doesNotContain("@", "/", ",", " ", "?", "#").isNotEmpty();
        }
    }
}
