package io.weir.testkit;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tiny HTTP/1.1 client over a raw socket, for tests that must control the bytes: malformed
 * requests, pipelining, keep-alive, framing. Not thread-safe; one connection per instance.
 *
 * <pre>{@code
 * try (RawHttp http = RawHttp.connect(server.port())) {
 *     http.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
 *     RawHttp.Response a = http.readResponse(), b = http.readResponse();
 * }
 * }</pre>
 */
public final class RawHttp implements AutoCloseable {

    /**
     * A response as read off the wire.
     *
     * @param statusLine the status line without CRLF
     * @param status     the status code
     * @param headers    the header fields in order, names as sent
     * @param body       the entity, after removing chunked coding; empty for HEAD, 1xx, 204 and 304
     */
    public record Response(String statusLine, int status, List<Map.Entry<String, String>> headers, byte[] body) {

        /**
         * @param name a header name, any case
         * @return the first value, or empty when absent
         */
        public Optional<String> header(String name) {
            for (Map.Entry<String, String> e : headers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return Optional.of(e.getValue());
                }
            }
            return Optional.empty();
        }

        /**
         * @param name a header name, any case
         * @return every value in order, empty when absent
         */
        public List<String> headers(String name) {
            List<String> values = new ArrayList<>();
            for (Map.Entry<String, String> e : headers) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    values.add(e.getValue());
                }
            }
            return values;
        }

        /** @return the body decoded as UTF-8 */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    /**
     * Connects to 127.0.0.1 with a 10 second read timeout.
     *
     * @param port the port
     * @return the connection
     * @throws UncheckedIOException when the connection fails
     */
    public static RawHttp connect(int port) {
        return connect("127.0.0.1", port);
    }

    /**
     * Connects to the host and port of a URI with a 10 second read timeout.
     *
     * @param uri an http URI with an explicit port
     * @return the connection
     * @throws UncheckedIOException when the connection fails
     */
    public static RawHttp connect(URI uri) {
        return connect(uri.getHost(), uri.getPort());
    }

    /**
     * Connects with a 10 second read timeout.
     *
     * @param host the host
     * @param port the port
     * @return the connection
     * @throws UncheckedIOException when the connection fails
     */
    public static RawHttp connect(String host, int port) {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            return new RawHttp(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    /**
     * Sends one request to 127.0.0.1 on a fresh connection and reads one response.
     *
     * @param port    the port
     * @param request the raw request bytes, as ISO-8859-1 text
     * @return the response
     * @throws UncheckedIOException on a socket error, a timeout, or a connection closed early
     */
    public static Response exchange(int port, String request) {
        try (RawHttp http = connect(port)) {
            http.send(request);
            return http.readResponse(request.regionMatches(true, 0, "HEAD ", 0, 5));
        }
    }

    /**
     * Sets how long a read may wait for data.
     *
     * @param timeout the read timeout, positive
     * @return this
     * @throws UncheckedIOException when the socket refuses it
     */
    public RawHttp timeout(Duration timeout) {
        try {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends text as ISO-8859-1 bytes (one byte per char), as is: write CRLF yourself.
     *
     * @param text the bytes to send
     * @return this
     * @throws UncheckedIOException when the write fails (for example after the server closed)
     */
    public RawHttp send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Sends bytes as is.
     *
     * @param bytes the bytes
     * @return this
     * @throws UncheckedIOException when the write fails
     */
    public RawHttp send(byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads one response to a request that is not HEAD.
     *
     * @return the response
     * @throws UncheckedIOException on a socket error, a read timeout, or a connection closed
     *                              before a complete response
     */
    public Response readResponse() {
        return readResponse(false);
    }

    /**
     * Reads one response: status line, headers, then the body by Content-Length, chunked coding,
     * or until the server closes. Interim 1xx responses are returned like any other.
     *
     * @param toHead true when the request was HEAD (no body follows)
     * @return the response
     * @throws UncheckedIOException on a socket error, a read timeout, or a connection closed
     *                              before a complete response
     */
    public Response readResponse(boolean toHead) {
        try {
            String statusLine = line();
            if (statusLine == null) {
                throw new IOException("connection closed before a response");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("not a status line: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            List<Map.Entry<String, String>> headers = readFields();
            Response head = new Response(statusLine, status, headers, new byte[0]);
            if (toHead || status < 200 || status == 204 || status == 304) {
                return head;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            Optional<String> te = head.header("Transfer-Encoding");
            Optional<String> cl = head.header("Content-Length");
            if (te.isPresent() && te.get().toLowerCase().endsWith("chunked")) {
                while (true) {
                    String sizeLine = line();
                    if (sizeLine == null) {
                        throw new IOException("connection closed inside chunked body");
                    }
                    int semicolon = sizeLine.indexOf(';');
                    int size =
                            Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                    if (size == 0) {
                        readFields();
                        break;
                    }
                    body.write(readExactly(size));
                    line();
                }
            } else if (cl.isPresent()) {
                body.write(readExactly(Integer.parseInt(cl.get().trim())));
            } else {
                in.transferTo(body);
            }
            return new Response(statusLine, status, headers, body.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits (up to the read timeout) for the server to close the connection, discarding anything
     * it still sends.
     *
     * @return true when the server closed (end of stream or reset); false on timeout
     */
    public boolean awaitClose() {
        try {
            while (in.read() != -1) {
                // discard
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Reads everything until the server closes.
     *
     * @return the bytes
     * @throws UncheckedIOException on a timeout or socket error
     */
    public byte[] readUntilClose() {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Map.Entry<String, String>> readFields() throws IOException {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + l);
            }
            fields.add(Map.entry(l.substring(0, colon), l.substring(colon + 1).trim()));
        }
        return fields;
    }

    private byte[] readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length != n) {
            throw new IOException("connection closed after " + bytes.length + " of " + n + " body bytes");
        }
        return bytes;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** Closes the socket. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
