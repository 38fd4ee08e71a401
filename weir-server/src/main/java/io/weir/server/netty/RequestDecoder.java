package io.weir.server.netty;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder, except that a message carrying both Content-Length and
 * Transfer-Encoding is marked as failed (answered 400 and closed, RFC 9112 section 6.3) instead of having
 * its Content-Length silently dropped.
 */
final class RequestDecoder extends HttpRequestDecoder {

    /** Thrown into the decoder result of a request with both framings. */
    static final class AmbiguousFramingException extends IllegalArgumentException {
        AmbiguousFramingException() {
            super("both Content-Length and Transfer-Encoding", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    RequestDecoder(HttpDecoderConfig config) {
        super(config);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(new AmbiguousFramingException()));
    }
}
