package io.weir.server.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder made as strict as http.sys where Netty is lenient, with http.sys's
 * head limits:
 * <ul>
 *   <li>a message carrying both Content-Length and Transfer-Encoding fails (RFC 9112 section 6.3) instead
 *       of having its Content-Length silently dropped;</li>
 *   <li>obsolete line folding (a header line starting with a space or tab, RFC 9112 section 5.2) fails
 *       instead of being joined to the previous value;</li>
 *   <li>the version must be {@code HTTP/1.0} or {@code HTTP/1.1} exactly (RFC 9112 section 2.3: the name is
 *       case-sensitive): another well-formed {@code HTTP/d.d} fails as unsupported (505), anything
 *       else as malformed (400);</li>
 *   <li>a request line longer than the limit whose method has not ended (no space) is malformed
 *       (400), not a long target (414);</li>
 *   <li>a header line longer than {@link TransportSettings#maxFieldLength()} (http.sys's
 *       {@code MaxFieldLength}) fails (400), as does a head with more than
 *       {@link TransportSettings#maxHeaderCount()} fields (431);</li>
 *   <li>a chunked body must follow the chunked coding's grammar, extensions included
 *       ({@link ChunkedSyntax}): Netty ignores what follows a chunk size's {@code ;}.</li>
 * </ul>
 * These checks look at the head's bytes before Netty parses them: Netty consumes the head one
 * complete line at a time, so while a head is being received the buffer always starts at the
 * beginning of a line. A failure is passed on as a request whose decoder result carries a
 * {@link Refusal}, and everything after it on the connection is discarded.
 */
final class RequestDecoder extends HttpRequestDecoder {

    /** Why a request was refused by the decoder, and with which status. */
    static final class Refusal extends IllegalArgumentException {
        private final int status;

        Refusal(int status, String reason) {
            super(reason, null);
            this.status = status;
        }

        /** @return the HTTP status to answer */
        int status() {
            return status;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private final int maxRequestBytes;
    private final int maxFieldLength;
    private final int maxHeaderCount;
    /** Between two requests or inside a head: the head checks apply. */
    private boolean inHead = true;
    /** The current head's request line has been parsed by Netty. */
    private boolean requestLineParsed;
    /** Bytes of the current head Netty has consumed (the lines before the buffer's start). */
    private int headBytes;
    /** When the first byte of the head being received arrived ({@code nanoTime}, never 0), or 0. */
    private long headStartNanos;
    /** A refusal was passed on: everything after it is discarded. */
    private boolean refused;
    /** The grammar check of the chunked body being received, or null. */
    private ChunkedSyntax chunked;
    /** Bytes after the reader index that {@link #chunked} has already checked. */
    private int chunkedScanned;

    RequestDecoder(HttpDecoderConfig config, TransportSettings settings) {
        super(config);
        this.maxRequestBytes = settings.maxRequestBytes();
        this.maxFieldLength = settings.maxFieldLength();
        this.maxHeaderCount = settings.maxHeaderCount();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
        if (refused) {
            buffer.skipBytes(buffer.readableBytes());
            return;
        }
        if (inHead) {
            if (headStartNanos == 0 && buffer.isReadable()) {
                headStartNanos = System.nanoTime() | 1;
            }
            Refusal refusal = checkHead(buffer);
            if (refusal != null) {
                refused = true;
                buffer.skipBytes(buffer.readableBytes());
                DefaultFullHttpRequest failed = new DefaultFullHttpRequest(
                        HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request", Unpooled.EMPTY_BUFFER);
                failed.setDecoderResult(DecoderResult.failure(refusal));
                out.add(failed);
                return;
            }
        }
        if (chunked != null) {
            int from = buffer.readerIndex() + chunkedScanned;
            int stop = chunked.scan(buffer, from, buffer.writerIndex());
            if (chunked.error() != null) {
                // the head went out already: the body fails as Netty's own chunk errors do
                DefaultLastHttpContent failed = new DefaultLastHttpContent();
                failed.setDecoderResult(
                        DecoderResult.failure(new Refusal(400, "invalid chunked body: " + chunked.error())));
                out.add(failed);
                refused = true;
                chunked = null;
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            chunkedScanned = stop - buffer.readerIndex();
        }
        int before = out.size();
        int consumedFrom = buffer.readerIndex();
        super.decode(ctx, buffer, out);
        int consumed = buffer.readerIndex() - consumedFrom;
        if (inHead) {
            headBytes += consumed;
        }
        if (chunked != null) {
            chunkedScanned -= consumed;
        }
        for (int i = before, n = out.size(); i < n; i++) {
            Object message = out.get(i);
            if (message instanceof HttpMessage m) {
                inHead = false;
                headStartNanos = 0;
                headBytes = 0;
                if (m.decoderResult().isFailure()) {
                    refused = true;
                } else if (m.headers().size() > maxHeaderCount) {
                    m.setDecoderResult(
                            DecoderResult.failure(new Refusal(431, "more than " + maxHeaderCount + " header fields")));
                    refused = true;
                } else if (HttpUtil.isTransferEncodingChunked(m)) {
                    // Netty returns right after a chunked head: the buffer now starts at the body
                    chunked = new ChunkedSyntax(maxFieldLength);
                    chunkedScanned = 0;
                }
            }
            if (message instanceof LastHttpContent) {
                chunked = null;
                inHead = true;
                requestLineParsed = false;
                headBytes = 0;
            }
        }
    }

    /**
     * Looks at the head bytes received so far (from a line start) for what Netty tolerates and for
     * http.sys's size limits.
     *
     * @return the refusal, or null when nothing is wrong so far
     */
    private Refusal checkHead(ByteBuf buffer) {
        int start = buffer.readerIndex();
        int i = start;
        int end = buffer.writerIndex();
        if (!requestLineParsed) {
            // Netty skips control characters and whitespace before the request line
            while (i < end && (buffer.getByte(i) & 0xFF) <= ' ') {
                i++;
            }
            int lineStart = i;
            while (i < end) {
                byte b = buffer.getByte(i);
                if (b == ' ' || b == '\n' || b == '\r') {
                    break;
                }
                i++;
            }
            boolean methodEnded = i < end;
            if (i - lineStart > maxRequestBytes || !methodEnded && i - lineStart >= maxRequestBytes) {
                return new Refusal(400, "method too long");
            }
            int lf = methodEnded ? buffer.indexOf(i, end, (byte) '\n') : -1;
            if ((lf < 0 ? end : lf) - lineStart > maxRequestBytes) {
                return new Refusal(414, "request line longer than " + maxRequestBytes + " bytes");
            }
            if (lf < 0) {
                return null;
            }
            i = lf + 1;
        }
        while (i < end) {
            byte first = buffer.getByte(i);
            if (first == '\r' || first == '\n') {
                return null; // the empty line: the head ends here
            }
            if (first == ' ' || first == '\t') {
                return new Refusal(400, "obsolete line folding");
            }
            int lf = buffer.indexOf(i, end, (byte) '\n');
            int lineEnd = lf < 0 ? end : lf;
            if (lineEnd - i > maxFieldLength + 1) {
                return new Refusal(400, "header line longer than " + maxFieldLength + " bytes");
            }
            if (headBytes + (lineEnd - start) > maxRequestBytes) {
                return new Refusal(431, "request head larger than " + maxRequestBytes + " bytes");
            }
            if (lf < 0) {
                return null;
            }
            i = lf + 1;
        }
        return null;
    }

    /**
     * Returns when the first byte of the request head now being received arrived, for the header
     * wait timeout.
     *
     * @return a {@link System#nanoTime()} value, or 0 when no head is under way
     */
    long headStartNanos() {
        return headStartNanos;
    }

    @Override
    protected HttpMessage createMessage(String[] initialLine) throws Exception {
        String version = initialLine[2];
        if (!"HTTP/1.1".equals(version) && !"HTTP/1.0".equals(version)) {
            boolean wellFormed = version.length() == 8
                    && version.startsWith("HTTP/")
                    && isDigit(version.charAt(5))
                    && version.charAt(6) == '.'
                    && isDigit(version.charAt(7));
            throw wellFormed
                    ? new Refusal(505, "unsupported version " + version)
                    : new Refusal(400, "malformed version");
        }
        requestLineParsed = true;
        return super.createMessage(initialLine);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(new Refusal(400, "both Content-Length and Transfer-Encoding")));
    }
}
