package io.weir.server.outbound;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.weir.server.netty.ChunkedSyntax;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The HTTP/1.1 client codec of a backend connection, with the framing rules the transport applies
 * to requests applied to responses: Netty's client codec plus
 * <ul>
 *   <li>a status line whose version is not exactly {@code HTTP/1.0} or {@code HTTP/1.1} fails
 *       (RFC 9112 section 2.3: the name is case-sensitive; Netty accepts {@code http/1.1});</li>
 *   <li>a chunked body must follow the chunked coding's grammar, extensions included
 *       (RFC 9112 section 7.1.1; Netty ignores what follows a chunk size's {@code ;}), with chunk
 *       lines no longer than the head limit.</li>
 * </ul>
 * A failure reaches the connection as a decoder failure, which ends the exchange with a protocol
 * error (502.3 for the proxy) and closes the connection. As in Netty's client codec, the method of
 * each request sent is remembered, so that the response to HEAD is read without a body.
 */
final class BackendResponseCodec
        extends CombinedChannelDuplexHandler<BackendResponseCodec.Decoder, BackendResponseCodec.Encoder> {

    /** Methods of the requests sent whose final response has not been read yet, oldest first. */
    private final ArrayDeque<HttpMethod> sent = new ArrayDeque<>(2);

    BackendResponseCodec(HttpDecoderConfig config, int maxChunkLineLength) {
        init(new Decoder(config, maxChunkLineLength), new Encoder());
    }

    /** Remembers each request's method for its response's framing. */
    final class Encoder extends HttpRequestEncoder {
        @Override
        protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            if (msg instanceof HttpRequest request) {
                sent.addLast(request.method());
            }
            super.encode(ctx, msg, out);
        }
    }

    /** Netty's response decoder, strict on the version and on chunked syntax. */
    final class Decoder extends HttpResponseDecoder {
        private final int maxChunkLineLength;
        /** The grammar check of the chunked body being received, or null. */
        private ChunkedSyntax chunked;
        /** Bytes after the reader index that {@link #chunked} has already checked. */
        private int chunkedScanned;
        /** A failure was passed on: everything after it is discarded. */
        private boolean failed;

        Decoder(HttpDecoderConfig config, int maxChunkLineLength) {
            super(config);
            this.maxChunkLineLength = maxChunkLineLength;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (failed) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            if (chunked != null) {
                int stop = chunked.scan(buffer, buffer.readerIndex() + chunkedScanned, buffer.writerIndex());
                if (chunked.error() != null) {
                    DefaultLastHttpContent bad = new DefaultLastHttpContent();
                    bad.setDecoderResult(DecoderResult.failure(
                            new IllegalArgumentException("invalid chunked body: " + chunked.error())));
                    out.add(bad);
                    failed = true;
                    chunked = null;
                    buffer.skipBytes(buffer.readableBytes());
                    return;
                }
                chunkedScanned = stop - buffer.readerIndex();
            }
            int before = out.size();
            int from = buffer.readerIndex();
            super.decode(ctx, buffer, out);
            if (chunked != null) {
                chunkedScanned -= buffer.readerIndex() - from;
            }
            for (int i = before, n = out.size(); i < n; i++) {
                Object message = out.get(i);
                if (message instanceof HttpMessage m) {
                    if (m.decoderResult().isFailure()) {
                        failed = true;
                    } else if (HttpUtil.isTransferEncodingChunked(m)) {
                        // Netty returns right after a chunked head: the buffer now starts at the body
                        chunked = new ChunkedSyntax(maxChunkLineLength);
                        chunkedScanned = 0;
                    }
                }
                if (message instanceof LastHttpContent) {
                    chunked = null;
                }
            }
        }

        @Override
        protected HttpMessage createMessage(String[] initialLine) {
            String version = initialLine[0];
            if (!"HTTP/1.1".equals(version) && !"HTTP/1.0".equals(version)) {
                throw new IllegalArgumentException("invalid version in the status line: " + version);
            }
            return super.createMessage(initialLine);
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpMessage msg) {
            int status = ((HttpResponse) msg).status().code();
            if (status >= 100 && status < 200) {
                return super.isContentAlwaysEmpty(msg); // an interim response: the request's final one is still to come
            }
            HttpMethod method = sent.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }
    }
}
