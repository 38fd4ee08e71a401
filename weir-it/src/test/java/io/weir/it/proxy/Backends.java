package io.weir.it.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/** The backends the proxy tests forward to: the JDK's HTTP server, and a raw socket that answers badly. */
final class Backends {

    private Backends() {}

    /** A JDK HttpServer on 127.0.0.1 with the test resources. */
    static final class JdkBackend implements AutoCloseable {
        final HttpServer server;
        final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        final String name;
        final AtomicInteger requests = new AtomicInteger();
        volatile long uploadPauseMillis;

        JdkBackend(String name, int port) {
            this(name, port, "127.0.0.1");
        }

        JdkBackend(String name, int port, String address) {
            this.name = name;
            try {
                server = HttpServer.create(new InetSocketAddress(address, port), 200);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setExecutor(executor);
            server.createContext("/", this::handle);
            server.start();
        }

        JdkBackend(String name) {
            this(name, 0, "127.0.0.1");
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            try (exchange) {
                if (path.endsWith("/health")) {
                    send(exchange, 200, "healthy " + name);
                } else if (path.endsWith("/big")) {
                    long n = Long.parseLong(query.substring(2));
                    exchange.sendResponseHeaders(200, n);
                    byte[] block = new byte[64 * 1024];
                    Arrays.fill(block, (byte) 'b');
                    OutputStream out = exchange.getResponseBody();
                    for (long sent = 0; sent < n; sent += block.length) {
                        out.write(block, 0, (int) Math.min(block.length, n - sent));
                    }
                } else if (path.endsWith("/slow")) {
                    sleep(Long.parseLong(query.substring(2)));
                    send(exchange, 200, "slow " + name);
                } else if (path.endsWith("/redirect")) {
                    exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/elsewhere?x=1");
                    send(exchange, 302, "moved");
                } else if (path.endsWith("/missing")) {
                    send(exchange, 404, "backend " + name + " has no such thing");
                } else if (path.endsWith("/chunked")) {
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    for (int i = 0; i < 5; i++) {
                        out.write(("part" + i + ";").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                } else {
                    echo(exchange);
                }
            }
        }

        /** Answers with the request as the backend saw it: method, target, headers, body length and CRC. */
        private void echo(HttpExchange exchange) throws IOException {
            long length = 0;
            CRC32 crc = new CRC32();
            byte[] buffer = new byte[64 * 1024];
            InputStream in = exchange.getRequestBody();
            int n;
            long pauseAt = uploadPauseMillis > 0 ? 100L * 1024 * 1024 : Long.MAX_VALUE;
            while ((n = in.read(buffer)) >= 0) {
                crc.update(buffer, 0, n);
                length += n;
                if (length >= pauseAt) {
                    pauseAt = Long.MAX_VALUE;
                    sleep(uploadPauseMillis);
                }
            }
            StringBuilder text = new StringBuilder();
            text.append("backend=").append(name).append('\n');
            text.append("method=").append(exchange.getRequestMethod()).append('\n');
            text.append("target=").append(exchange.getRequestURI().toString()).append('\n');
            Map<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> sorted.put(k, String.join(" | ", v)));
            sorted.forEach((k, v) -> text.append("h.")
                    .append(k.toLowerCase())
                    .append('=')
                    .append(v)
                    .append('\n'));
            text.append("length=").append(length).append('\n');
            text.append("crc=").append(crc.getValue()).append('\n');
            send(exchange, 200, text.toString());
        }

        private void send(HttpExchange exchange, int status, String body) throws IOException {
            exchange.getResponseHeaders().set("X-Backend", name);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A hostile backend: reads a request head and answers with the raw bytes configured for the
     * request's path (after the last '/'), then closes.
     */
    static final class RawBackend implements AutoCloseable {
        final ServerSocket socket;
        final Map<String, String> answers;
        final Thread acceptor;

        RawBackend(Map<String, String> answers) {
            this.answers = answers;
            try {
                socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                StringBuilder head = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0) {
                    head.append((char) c);
                    if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                        break;
                    }
                }
                String target = head.toString().split(" ", 3)[1];
                String key = target.substring(target.lastIndexOf('/') + 1);
                String answer = answers.getOrDefault(key, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
                s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                sleep(200);
            } catch (IOException e) {
                // the proxy closed first
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closed
            }
        }
    }
}
