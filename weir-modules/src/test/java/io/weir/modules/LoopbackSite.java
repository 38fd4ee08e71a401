package io.weir.modules;

import io.weir.testkit.WeirTestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real Weir serving a directory on 127.0.0.1 with the embedded default configuration, and an
 * HTTP/1.1 client for it: the built-in modules' HTTP tests talk to it over loopback only.
 */
public final class LoopbackSite implements AutoCloseable {

    private final WeirTestServer server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private LoopbackSite(WeirTestServer server) {
        this.server = server;
    }

    /**
     * Starts a server with the embedded default configuration whose default site's root is
     * {@code root}, plus {@code <location>} levels that override {@code system.webServer} sections
     * for some URLs (as a web.config in that folder would).
     *
     * @param root      the site's physical root
     * @param locations URL path below the site (no leading slash, "" for the root), then the inner
     *                  XML of its {@code <system.webServer>}, and so on in pairs
     * @return the running site
     * @throws Exception if the server does not start
     */
    public static LoopbackSite serving(Path root, String... locations) throws Exception {
        if (locations.length == 0) {
            return new LoopbackSite(WeirTestServer.serving(root));
        }
        String embedded;
        try (InputStream in = LoopbackSite.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            if (in == null) {
                throw new IllegalStateException("the embedded default applicationHost.config is not on the class path");
            }
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder levels = new StringBuilder();
        for (int k = 0; k + 1 < locations.length; k += 2) {
            String path = locations[k].isEmpty() ? "Default Web Site" : "Default Web Site/" + locations[k];
            levels.append("  <location path=\"")
                    .append(path)
                    .append("\">\n    <system.webServer>\n      ")
                    .append(locations[k + 1])
                    .append("\n    </system.webServer>\n  </location>\n");
        }
        int end = embedded.lastIndexOf("</configuration>");
        String xml = embedded.substring(0, end) + levels + embedded.substring(end);
        return new LoopbackSite(WeirTestServer.start(
                xml, Map.of("WEIR_SITE_ROOT", root.toAbsolutePath().normalize().toString())));
    }

    /** @return the running server, for tests that look at its engine */
    public WeirTestServer server() {
        return server;
    }

    /**
     * Returns the absolute URI of a path on the site.
     *
     * @param pathAndQuery for example {@code "/a.txt?x=1"}
     * @return the URI
     */
    public URI uri(String pathAndQuery) {
        return server.uri(pathAndQuery);
    }

    /**
     * Sends a request without a body.
     *
     * @param method       the verb
     * @param pathAndQuery the target
     * @param headers      name, value, name, value, ...
     * @return the response with its body as bytes
     * @throws Exception on I/O failure
     */
    public HttpResponse<byte[]> send(String method, String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Sends a GET.
     *
     * @param pathAndQuery the target
     * @param headers      name, value, name, value, ...
     * @return the response
     * @throws Exception on I/O failure
     */
    public HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws Exception {
        return send("GET", pathAndQuery, headers);
    }

    /**
     * Sends a POST with a small body.
     *
     * @param pathAndQuery the target
     * @return the response
     * @throws Exception on I/O failure
     */
    public HttpResponse<byte[]> post(String pathAndQuery) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("x=1"))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Sends a raw HTTP/1.1 request with {@code Connection: close} and returns everything the server
     * wrote until it closed the connection, for checks a client library would hide (a HEAD's
     * absent body).
     *
     * @param requestHead the request line and headers, without the final empty line and without Host
     * @return the raw response, ISO-8859-1
     * @throws IOException on I/O failure
     */
    public String raw(String requestHead) throws IOException {
        URI base = uri("/");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestHead + "\r\nHost: " + base.getHost() + ":" + base.getPort()
                            + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Writes a text file, creating its directories.
     *
     * @param root     the site root
     * @param relative the path below it, with '/'
     * @param text     the content, UTF-8
     * @return the file
     * @throws IOException on failure
     */
    public static Path write(Path root, String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /**
     * Stops the server.
     *
     * @throws Exception if stopping fails
     */
    @Override
    public void close() throws Exception {
        server.close();
    }
}
