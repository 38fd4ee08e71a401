package io.weir.it.staticsite;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.config.ConfigElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Serves a real multi-page static site, a Javadoc site unpacked from Maven Central by the build
 * ({@code static-site.*} properties in this module's pom.xml), with Weir's embedded default
 * configuration, and walks every file of it over loopback HTTP: byte-identical bodies with the
 * Content-Type of the server's own {@code system.webServer/staticContent} MIME map (404.3 for an
 * unmapped extension), 304 on revalidation, 206 for a range, 301 for a folder without its slash.
 */
class StaticSiteIT {

    /** Set by failsafe (pom.xml); the default is the same folder relative to the module. */
    private static final String SITE_PROPERTY = "weir.it.staticSite";

    private static final int PARALLEL_REQUESTS = 4;

    /** The kinds of file the site must contain at least one of. */
    enum Kind {
        HTML,
        CSS,
        JAVASCRIPT,
        IMAGE,
        FONT,
        OTHER_MAPPED,
        UNMAPPED
    }

    /** One regular file of the site: its URL path (percent-encoded), contents and expected type. */
    record SiteFile(Path file, String urlPath, byte[] bytes, Optional<String> expectedType) {
        Kind kind() {
            if (expectedType.isEmpty()) {
                return Kind.UNMAPPED;
            }
            String t = expectedType.get();
            if (t.equals("text/html")) {
                return Kind.HTML;
            } else if (t.equals("text/css")) {
                return Kind.CSS;
            } else if (t.equals("text/javascript") || t.equals("application/javascript")) {
                return Kind.JAVASCRIPT;
            } else if (t.startsWith("image/")) {
                return Kind.IMAGE;
            } else if (t.startsWith("font/")
                    || t.startsWith("application/font-")
                    || t.equals("application/vnd.ms-fontobject")) {
                return Kind.FONT;
            }
            return Kind.OTHER_MAPPED;
        }

        @Override
        public String toString() {
            return urlPath;
        }
    }

    private static Path site;
    private static List<SiteFile> files;
    private static List<Path> directories;
    private static WeirTestServer server;
    private static HttpClient client;
    private static ExecutorService pool;

    @BeforeAll
    static void serveTheSite() throws IOException {
        site = Path.of(System.getProperty(SITE_PROPERTY, "target/static-site"))
                .toAbsolutePath()
                .normalize();
        assertThat(site)
                .as("the static site unpacked by maven-dependency-plugin in pre-integration-test "
                        + "(run this test through `mvn -pl weir-it verify`)")
                .isDirectory();

        Map<String, String> mimeMap = mimeMapOfTheEmbeddedDefault(site);
        assertThat(mimeMap).as("the embedded default's staticContent MIME map").isNotEmpty();

        List<SiteFile> found = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(site)) {
            for (Path p : walk.sorted().toList()) {
                if (Files.isRegularFile(p)) {
                    found.add(new SiteFile(
                            p,
                            urlPath(site.relativize(p)),
                            Files.readAllBytes(p),
                            mimeTypeOf(mimeMap, p.getFileName().toString())));
                } else if (Files.isDirectory(p) && !p.equals(site)) {
                    dirs.add(p);
                }
            }
        }
        files = List.copyOf(found);
        directories = List.copyOf(dirs);

        server = WeirTestServer.serving(site);
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        pool = Executors.newFixedThreadPool(PARALLEL_REQUESTS);

        Map<Kind, Long> perKind = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            perKind.put(k, files.stream().filter(f -> f.kind() == k).count());
        }
        Map<String, Long> perExtension = files.stream()
                .collect(Collectors.groupingBy(
                        f -> extensionOf(f.file().getFileName().toString()), TreeMap::new, Collectors.counting()));
        System.out.printf(
                "StaticSiteIT: %d files in %d folders; per kind %s; per extension %s%n",
                files.size(), directories.size(), perKind, perExtension);
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theSiteHasEveryKindOfFile() {
        assertThat(files).as("regular files in the site").hasSizeGreaterThanOrEqualTo(100);
        for (Kind kind : List.of(Kind.HTML, Kind.CSS, Kind.JAVASCRIPT, Kind.IMAGE, Kind.FONT)) {
            assertThat(files).as("files of kind %s", kind).anyMatch(f -> f.kind() == kind);
        }
    }

    @Test
    void everyFileComesBackByteIdenticalWithTheContentTypeOfTheMimeMap() {
        List<HttpResponse<byte[]>> responses = forEachFile(files, f -> send(get(f.urlPath())));
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < files.size(); i++) {
            SiteFile f = files.get(i);
            HttpResponse<byte[]> r = responses.get(i);
            if (f.expectedType().isPresent()) {
                softly.assertThat(r.statusCode()).as("GET %s status", f).isEqualTo(200);
                softly.assertThat(r.headers().firstValue("Content-Type"))
                        .as("GET %s Content-Type", f)
                        .contains(f.expectedType().get());
                softly.assertThat(r.headers().firstValueAsLong("Content-Length"))
                        .as("GET %s Content-Length", f)
                        .hasValue(f.bytes().length);
                softly.assertThat(Arrays.mismatch(r.body(), f.bytes()))
                        .as(
                                "GET %s: index of the first byte that differs from the file (-1: identical); got %d bytes, "
                                        + "the file has %d",
                                f, r.body().length, f.bytes().length)
                        .isEqualTo(-1);
            } else {
                softly.assertThat(r.statusCode())
                        .as("GET %s (no mimeMap for its extension) status", f)
                        .isEqualTo(404);
                softly.assertThat(new String(r.body(), StandardCharsets.UTF_8))
                        .as("GET %s (no mimeMap for its extension): the local error page names 404.3", f)
                        .contains("404.3");
            }
        }
        softly.assertAll();
    }

    @Test
    void revalidationWithTheEtagOrTheLastModifiedDateGives304() {
        List<SiteFile> served = servedFiles();
        List<String> failures = forEachFile(served, f -> {
                    List<String> problems = new ArrayList<>();
                    HttpResponse<byte[]> full = send(get(f.urlPath()));
                    Optional<String> etag = full.headers().firstValue("ETag");
                    Optional<String> lastModified = full.headers().firstValue("Last-Modified");
                    if (full.statusCode() != 200 || etag.isEmpty() || lastModified.isEmpty()) {
                        problems.add(f + ": GET gave " + full.statusCode() + " with ETag " + etag
                                + " and Last-Modified " + lastModified + ", expected 200 with both");
                        return problems;
                    }
                    HttpResponse<byte[]> byEtag = send(get(f.urlPath()).header("If-None-Match", etag.get()));
                    check(problems, f, "If-None-Match: " + etag.get(), byEtag, etag.get());
                    HttpResponse<byte[]> byDate =
                            send(get(f.urlPath()).header("If-Modified-Since", lastModified.get()));
                    check(problems, f, "If-Modified-Since: " + lastModified.get(), byDate, etag.get());
                    return problems;
                })
                .stream()
                .flatMap(List::stream)
                .toList();
        assertThat(failures).as("revalidation of %d files", served.size()).isEmpty();
    }

    private static void check(
            List<String> problems, SiteFile f, String condition, HttpResponse<byte[]> r, String etag) {
        if (r.statusCode() != 304) {
            problems.add(f + " with " + condition + ": status " + r.statusCode() + ", expected 304");
        }
        if (r.body().length != 0) {
            problems.add(f + " with " + condition + ": " + r.body().length + " body bytes, expected none");
        }
        if (!r.headers().firstValue("ETag").equals(Optional.of(etag))) {
            problems.add(f + " with " + condition + ": 304 carries ETag "
                    + r.headers().firstValue("ETag") + ", expected " + etag);
        }
    }

    /**
     * A 304 has no body (RFC 9110 15.4.5): on one keep-alive connection, two revalidations
     * pipelined ahead of a range request must leave the range response intact. A body written after
     * a 304 would show up as the next response's status line.
     */
    @Test
    void a304EndsAtItsHeadersOnAKeepAliveConnection() {
        List<SiteFile> sample =
                servedFiles().stream().filter(f -> f.bytes().length >= 10).toList();
        assertThat(sample).as("served files of 10 bytes or more").hasSizeGreaterThanOrEqualTo(50);
        List<String> failures = forEachFile(sample, f -> {
                    HttpResponse<byte[]> full = send(get(f.urlPath()));
                    String etag = full.headers().firstValue("ETag").orElse("\"none\"");
                    String lastModified =
                            full.headers().firstValue("Last-Modified").orElse("none");
                    String request = "GET " + f.urlPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
                    try (RawHttp http = RawHttp.connect(server.port())) {
                        http.send(request + "If-None-Match: " + etag + "\r\n\r\n"
                                + request + "If-Modified-Since: " + lastModified + "\r\n\r\n"
                                + request + "Range: bytes=0-9\r\n\r\n");
                        RawHttp.Response byEtag = http.readResponse();
                        RawHttp.Response byDate = http.readResponse();
                        RawHttp.Response range = http.readResponse();
                        String got = byEtag.status() + ", " + byDate.status() + ", " + range.status() + " "
                                + range.header("Content-Range").orElse("(no Content-Range)") + " with "
                                + range.body().length + " bytes";
                        boolean ok = byEtag.status() == 304
                                && byDate.status() == 304
                                && range.status() == 206
                                && range.header("Content-Range").equals(Optional.of("bytes 0-9/" + f.bytes().length))
                                && Arrays.equals(range.body(), Arrays.copyOfRange(f.bytes(), 0, 10));
                        return ok
                                ? ""
                                : f + ": got " + got + ", expected 304, 304, 206 bytes 0-9/" + f.bytes().length
                                        + " with the file's first 10 bytes";
                    } catch (UncheckedIOException e) {
                        return f + ": " + e.getCause();
                    }
                })
                .stream()
                .filter(s -> !s.isEmpty())
                .toList();
        assertThat(failures)
                .as("pipelined revalidations of %d files", sample.size())
                .isEmpty();
    }

    @Test
    void aRangeGives206WithTheExactBytes() {
        List<SiteFile> big =
                servedFiles().stream().filter(f -> f.bytes().length >= 100).toList();
        assertThat(big).as("served files of 100 bytes or more").hasSizeGreaterThanOrEqualTo(50);
        List<HttpResponse<byte[]>> responses =
                forEachFile(big, f -> send(get(f.urlPath()).header("Range", "bytes=10-99")));
        SoftAssertions softly = new SoftAssertions();
        for (int i = 0; i < big.size(); i++) {
            SiteFile f = big.get(i);
            HttpResponse<byte[]> r = responses.get(i);
            softly.assertThat(r.statusCode())
                    .as("GET %s Range: bytes=10-99 status", f)
                    .isEqualTo(206);
            softly.assertThat(r.headers().firstValue("Content-Range"))
                    .as("GET %s Range: bytes=10-99 Content-Range", f)
                    .contains("bytes 10-99/" + f.bytes().length);
            softly.assertThat(r.headers().firstValue("Content-Type"))
                    .as("GET %s Range: bytes=10-99 Content-Type", f)
                    .contains(f.expectedType().orElseThrow());
            softly.assertThat(Arrays.mismatch(r.body(), Arrays.copyOfRange(f.bytes(), 10, 100)))
                    .as(
                            "GET %s Range: bytes=10-99: index of the first byte that differs from bytes 10-99 of the "
                                    + "file (-1: identical); got %d bytes",
                            f, r.body().length)
                    .isEqualTo(-1);
        }
        softly.assertAll();
    }

    @Test
    void aFolderWithoutItsTrailingSlashIsRedirected() {
        assertThat(directories).as("folders of the site").isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        for (Path dir : directories) {
            String path = urlPath(site.relativize(dir));
            HttpRequest request = get(path).build();
            HttpResponse<byte[]> r = send(request.uri());
            softly.assertThat(r.statusCode()).as("GET %s status", path).isEqualTo(301);
            Optional<URI> target =
                    r.headers().firstValue("Location").map(l -> request.uri().resolve(l));
            softly.assertThat(target.map(URI::getPath))
                    .as("GET %s Location", path)
                    .contains(request.uri().getPath() + "/");
        }
        softly.assertAll();
    }

    @Test
    void theRootServesTheSitesIndexPage() throws IOException {
        Path index = site.resolve("index.html");
        assertThat(index).as("the site's index page").isRegularFile();
        HttpResponse<byte[]> r = send(server.uri("/"));
        assertThat(r.statusCode()).as("GET / status").isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .as("GET / Content-Type")
                .contains("text/html");
        assertThat(Arrays.mismatch(r.body(), Files.readAllBytes(index)))
                .as("GET /: index of the first byte that differs from index.html (-1: identical)")
                .isEqualTo(-1);
    }

    // ---------------------------------------------------------------------------------------------

    /** The embedded default's MIME map for the site root: lower-cased file extension → type. */
    private static Map<String, String> mimeMapOfTheEmbeddedDefault(Path root) {
        Map<String, String> map = new HashMap<>();
        List<ConfigElement> items = ApplicationHostConfig.embeddedDefault(Map.of("WEIR_SITE_ROOT", root.toString()))
                .effectiveConfig(WeirTestServer.DEFAULT_SITE, "/")
                .section("system.webServer/staticContent")
                .collection();
        for (ConfigElement item : items) {
            map.put(
                    item.attribute("fileExtension").orElseThrow().toLowerCase(Locale.ROOT),
                    item.attribute("mimeType").orElseThrow());
        }
        return map;
    }

    /** IIS's lookup: the extension from the last dot, without regard to case; "." for none; "*" as the fallback. */
    private static Optional<String> mimeTypeOf(Map<String, String> mimeMap, String fileName) {
        String type = mimeMap.get(extensionOf(fileName));
        return Optional.ofNullable(type != null ? type : mimeMap.get("*"));
    }

    private static String extensionOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "." : fileName.substring(dot).toLowerCase(Locale.ROOT);
    }

    private List<SiteFile> servedFiles() {
        return files.stream().filter(f -> f.expectedType().isPresent()).toList();
    }

    /** A relative path of the site as an absolute URL path, each segment percent-encoded (UTF-8). */
    private static String urlPath(Path relative) {
        StringBuilder sb = new StringBuilder();
        for (Path segment : relative) {
            sb.append('/');
            for (byte b : segment.toString().getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if ((c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '-'
                        || c == '.'
                        || c == '_'
                        || c == '~') {
                    sb.append((char) c);
                } else {
                    sb.append('%')
                            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                }
            }
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    private static HttpRequest.Builder get(String urlPath) {
        return HttpRequest.newBuilder(server.uri(urlPath))
                .timeout(Duration.ofSeconds(60))
                .GET();
    }

    private static HttpResponse<byte[]> send(URI uri) {
        return send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET());
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return client.send(built, BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Runs {@code action} for every file, a few at a time, and returns the results in the files' order. */
    private static <T> List<T> forEachFile(List<SiteFile> of, Function<SiteFile, T> action) {
        List<Future<T>> futures =
                of.stream().map(f -> pool.submit(() -> action.apply(f))).toList();
        List<T> results = new ArrayList<>(futures.size());
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return results;
    }
}
