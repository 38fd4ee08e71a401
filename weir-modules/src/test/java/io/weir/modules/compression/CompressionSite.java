package io.weir.modules.compression;

import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStream;
import io.weir.testkit.WeirTestServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * A real Weir on loopback with the embedded default configuration, its compressed-file folder in a
 * test folder (through {@code %TEMP%}), a {@code *.dyn} handler that generates text
 * ({@link GeneratedTextModuleRegistration}), dynamic compression never suspended for CPU load (the
 * test machine may be busy), server-level changes and per-folder {@code <location>}
 * levels; and what the tests need to decode what it sends.
 */
final class CompressionSite implements AutoCloseable {

    private final WeirTestServer server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private CompressionSite(WeirTestServer server) {
        this.server = server;
    }

    /**
     * Starts the site.
     *
     * @param root        the site's folder
     * @param temp        what {@code %TEMP%} expands to (the cache folder is below it)
     * @param serverLevel XML put at the server level of {@code system.webServer} (for example a
     *                    {@code serverRuntime} element), or ""
     * @param locations   folder below the site, then the inner XML of its {@code system.webServer}, in pairs
     * @return the running site
     * @throws Exception if it does not start
     */
    static CompressionSite start(Path root, Path temp, String serverLevel, String... locations) throws Exception {
        String embedded;
        try (InputStream in = CompressionSite.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder levels = new StringBuilder();
        levels.append(location(
                "",
                "<modules><add name=\"GeneratedText\" /></modules><handlers><add name=\"Generated\""
                        + " path=\"*.dyn\" verb=\"*\" modules=\"GeneratedText\" resourceType=\"Unspecified\""
                        + " requireAccess=\"None\" /></handlers>"));
        for (int k = 0; k + 1 < locations.length; k += 2) {
            levels.append(location(locations[k], locations[k + 1]));
        }
        String xml = embedded.replace(
                        "</globalModules>",
                        "  <add name=\"GeneratedText\" type=\"" + GeneratedTextModuleRegistration.class.getName()
                                + "\" />\n    </globalModules>")
                .replace(
                        "    <httpCompression directory=",
                        serverLevel + "\n    <httpCompression "
                                + "dynamicCompressionDisableCpuUsage=\"100\" directory=")
                .replace("</configuration>", levels + "</configuration>");
        return new CompressionSite(WeirTestServer.start(
                xml,
                Map.of(
                        "WEIR_SITE_ROOT", root.toAbsolutePath().normalize().toString(),
                        "TEMP", temp.toAbsolutePath().normalize().toString())));
    }

    private static String location(String path, String inner) {
        String full = path.isEmpty() ? WeirTestServer.DEFAULT_SITE : WeirTestServer.DEFAULT_SITE + "/" + path;
        return "<location path=\"" + full + "\"><system.webServer>" + inner + "</system.webServer></location>\n";
    }

    /** @return the folder the compressed copies go to under {@code temp} */
    static Path cacheFolder(Path temp) {
        return temp.resolve("weir").resolve("IIS Temporary Compressed Files");
    }

    /** @return the running server, for tests that look at its engine */
    WeirTestServer server() {
        return server;
    }

    /** @return the port */
    int port() {
        return server.port();
    }

    /** @return the URI of a path */
    URI uri(String path) {
        return server.uri(path);
    }

    /**
     * Sends a request.
     *
     * @param method  GET or HEAD
     * @param path    the target
     * @param headers name, value, ...
     * @return the response, body undecoded
     * @throws Exception on I/O failure
     */
    HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** GET with headers. */
    HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    /**
     * GETs until the response comes compressed (a static copy is made in the background), for at most 15 s.
     *
     * @return the first compressed response
     * @throws AssertionError if none came
     */
    HttpResponse<byte[]> awaitEncoded(String path, String acceptEncoding, String... more) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String[] headers = new String[more.length + 2];
        headers[0] = "Accept-Encoding";
        headers[1] = acceptEncoding;
        System.arraycopy(more, 0, headers, 2, more.length);
        while (true) {
            HttpResponse<byte[]> r = get(path, headers);
            if (r.headers().firstValue("Content-Encoding").isPresent()) {
                return r;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no compressed response for " + path + " within 15 s");
            }
            Thread.sleep(50);
        }
    }

    /**
     * Decodes a body with the library of its coding.
     *
     * @param coding the Content-Encoding token
     * @param body   the coded bytes
     * @return the decoded bytes
     * @throws IOException if the body is not valid in that coding
     */
    static byte[] decode(String coding, byte[] body) throws IOException {
        InputStream raw = new ByteArrayInputStream(body);
        InputStream in =
                switch (coding) {
                    case "gzip" -> new GZIPInputStream(raw);
                    case "deflate" -> new InflaterInputStream(raw);
                    case "br" -> new BrotliInputStream(raw);
                    case "zstd" -> new ZstdInputStream(raw);
                    default -> throw new IllegalArgumentException("unknown coding " + coding);
                };
        try (in) {
            return in.readAllBytes();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
