package io.weir.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw HTTP/2 client over cleartext (prior knowledge) that writes whatever frames a test wants,
 * attacks included, and collects what the server sends back. Frames are read on a thread of its own.
 */
final class RawH2 implements AutoCloseable {

    static final int DATA = 0;
    static final int HEADERS = 1;
    static final int RST_STREAM = 3;
    static final int SETTINGS = 4;
    static final int PING = 6;
    static final int GOAWAY = 7;
    static final int WINDOW_UPDATE = 8;
    static final int CONTINUATION = 9;

    /** A frame received. @param type the type @param flags the flags @param stream the stream id @param payload the payload */
    record Frame(int type, int flags, int stream, byte[] payload) {
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24)
                    | ((payload[at + 1] & 0xff) << 16)
                    | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }
    }

    /** Marks the end of the connection in the queue. */
    static final Frame CLOSED = new Frame(-1, 0, 0, new byte[0]);

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false, 1 << 20);
    private final Thread reader;

    RawH2(int port, int receiveBuffer, boolean readFrames, byte[] settings) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, settings);
        reader = new Thread(this::readLoop, "raw-h2-reader");
        reader.setDaemon(true);
        if (readFrames) {
            reader.start();
        }
    }

    /**
     * Goes on with HTTP/2 on a connection that was upgraded (its 101 already read): sends the
     * client preface and an empty SETTINGS, and reads frames.
     */
    RawH2(Socket upgraded) throws IOException {
        socket = upgraded;
        out = socket.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
        reader = new Thread(this::readLoop, "raw-h2-reader");
        reader.setDaemon(true);
        reader.start();
    }

    RawH2(int port) throws IOException {
        this(port, 0, true, new byte[0]);
    }

    private void readLoop() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (type == SETTINGS && (flags & 1) == 0) {
                    frame(SETTINGS, 1, 0, new byte[0]);
                }
                received.add(new Frame(type, flags, stream, payload));
            }
        } catch (IOException e) {
            received.add(CLOSED);
        }
    }

    synchronized void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {
            (byte) (payload.length >>> 16),
            (byte) (payload.length >>> 8),
            (byte) payload.length,
            (byte) type,
            (byte) flags,
            (byte) (stream >>> 24),
            (byte) (stream >>> 16),
            (byte) (stream >>> 8),
            (byte) stream
        };
        out.write(head);
        out.write(payload);
    }

    /** Encodes request headers (HPACK, with this connection's dynamic table). */
    byte[] block(String method, String path, String... extra) {
        Http2Headers headers = new DefaultHttp2Headers()
                .method(method)
                .scheme("http")
                .path(path)
                .authority("localhost");
        for (int i = 0; i < extra.length; i += 2) {
            headers.add(extra[i], extra[i + 1]);
        }
        ByteBuf buf = Unpooled.buffer();
        try {
            encoder.encodeHeaders(0, headers, buf);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    /** Sends a whole request head on a stream. */
    void request(int stream, String method, String path, boolean endStream, String... extra) throws IOException {
        frame(HEADERS, 0x4 | (endStream ? 0x1 : 0), stream, block(method, path, extra));
        out.flush();
    }

    void rst(int stream, int error) throws IOException {
        frame(RST_STREAM, 0, stream, new byte[] {
            (byte) (error >>> 24), (byte) (error >>> 16), (byte) (error >>> 8), (byte) error
        });
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Decodes a response HEADERS frame's :status. */
    String status(Frame headers) throws Exception {
        return decoder.decodeHeaders(headers.stream(), Unpooled.wrappedBuffer(headers.payload()))
                .status()
                .toString();
    }

    /** Waits for the next frame matching a type (and stream, when positive), or the end of the connection. */
    Frame await(int type, int stream, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            long left = deadline - System.nanoTime();
            Frame f = received.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (f == null) {
                return null;
            }
            if (f == CLOSED) {
                received.add(CLOSED);
                return f;
            }
            if (f.type() == type && (stream <= 0 || f.stream() == stream)) {
                return f;
            }
        }
    }

    /** Returns the next frame of any kind, {@link #CLOSED} at the end, or null after the time. */
    Frame next(long millis) throws InterruptedException {
        Frame f = received.poll(millis, TimeUnit.MILLISECONDS);
        if (f == CLOSED) {
            received.add(CLOSED);
        }
        return f;
    }

    /** Sends one GET and returns its status, or null when none came. */
    String get(int stream, String path) throws Exception {
        request(stream, "GET", path, true);
        Frame headers = await(HEADERS, stream, 10_000);
        return headers == null || headers == CLOSED ? null : status(headers);
    }

    /** Reads frames until the server closes the connection; true when it did within the time. */
    boolean awaitClosed(long millis) throws InterruptedException {
        Frame f;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        do {
            f = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } while (f != null && f != CLOSED);
        return f == CLOSED;
    }

    void startReading() {
        reader.start();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
