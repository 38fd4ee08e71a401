package io.weir.modules.staticfile;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.LoopbackSite;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StaticFileModule over real loopback HTTP, with the embedded default config and <location> variants. */
class StaticFileModuleHttpTest {

    private static final String TEXT = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final Instant MODIFIED = Instant.parse("2024-03-01T12:00:00Z");

    @TempDir
    static Path root;

    private static LoopbackSite site;
    private static byte[] binary;

    @BeforeAll
    static void start() throws Exception {
        write(root, "page.html", "<p>hello</p>");
        write(root, "UPPER.HTML", "<p>upper</p>");
        write(root, "style.css", "p{}");
        write(root, "alpha.txt", TEXT);
        write(root, "empty.txt", "");
        write(root, "data.unknownext", "no mime map");
        write(root, "custom/file.weirtest", "custom type");
        write(root, "data.weirtest", "not mapped here");
        write(root, "maxage/a.txt", TEXT);
        write(root, "nocache/a.txt", TEXT);
        write(root, "expires/a.txt", TEXT);
        write(root, "noetag/a.txt", TEXT);
        Files.setLastModifiedTime(root.resolve("alpha.txt"), FileTime.from(MODIFIED));
        binary = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(binary);
        Files.write(root.resolve("blob.bin"), binary);
        site = LoopbackSite.serving(
                root,
                "custom",
                "<staticContent><mimeMap fileExtension=\".weirtest\" mimeType=\"application/x-weir-test\" /></staticContent>",
                "maxage",
                "<staticContent><clientCache cacheControlMode=\"UseMaxAge\" cacheControlMaxAge=\"01:00:00\" cacheControlCustom=\"public\" /></staticContent>",
                "nocache",
                "<staticContent><clientCache cacheControlMode=\"DisableCache\" /></staticContent>",
                "expires",
                "<staticContent><clientCache cacheControlMode=\"UseExpires\" httpExpires=\"Tue, 19 Jan 2038 03:14:07 GMT\" /></staticContent>",
                "noetag",
                "<staticContent><clientCache setEtag=\"false\" /></staticContent>");
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void contentTypeComesFromTheMimeMap() throws Exception {
        assertThat(header(site.get("/page.html"), "Content-Type")).isEqualTo("text/html");
        assertThat(header(site.get("/style.css"), "Content-Type")).isEqualTo("text/css");
        HttpResponse<byte[]> txt = site.get("/alpha.txt");
        assertThat(txt.statusCode()).isEqualTo(200);
        assertThat(header(txt, "Content-Type")).isEqualTo("text/plain");
        assertThat(text(txt)).isEqualTo(TEXT);
    }

    @Test
    void extensionLookupIgnoresCase() throws Exception {
        HttpResponse<byte[]> response = site.get("/UPPER.HTML");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Type")).isEqualTo("text/html");
        assertThat(text(response)).isEqualTo("<p>upper</p>");
    }

    @Test
    void unknownExtensionIs404_3() throws Exception {
        HttpResponse<byte[]> response = site.get("/data.unknownext");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(text(response)).doesNotContain("no mime map");
    }

    @Test
    void mimeMapAddedInALocationAppliesBelowItsPathOnly() throws Exception {
        HttpResponse<byte[]> mapped = site.get("/custom/file.weirtest");
        assertThat(mapped.statusCode()).isEqualTo(200);
        assertThat(header(mapped, "Content-Type")).isEqualTo("application/x-weir-test");
        assertThat(text(mapped)).isEqualTo("custom type");
        assertThat(site.get("/data.weirtest").statusCode()).isEqualTo(404);
    }

    @Test
    void getSendsValidatorsAndAcceptRanges() throws Exception {
        HttpResponse<byte[]> response = site.get("/alpha.txt");
        assertThat(header(response, "ETag")).startsWith("\"").endsWith("\"");
        assertThat(header(response, "Last-Modified")).isEqualTo("Fri, 01 Mar 2024 12:00:00 GMT");
        assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
        assertThat(header(response, "Content-Length")).isEqualTo(Integer.toString(TEXT.length()));
        assertThat(header(response, "Cache-Control")).isNull();
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody() throws Exception {
        HttpResponse<byte[]> get = site.get("/alpha.txt");
        HttpResponse<byte[]> head = site.send("HEAD", "/alpha.txt");
        assertThat(head.statusCode()).isEqualTo(200);
        for (String name : List.of("Content-Type", "Content-Length", "ETag", "Last-Modified", "Accept-Ranges")) {
            assertThat(header(head, name)).as(name).isNotNull().isEqualTo(header(get, name));
        }
        assertThat(head.body()).isEmpty();
        String raw = site.raw("HEAD /alpha.txt HTTP/1.1");
        assertThat(raw).startsWith("HTTP/1.1 200");
        assertThat(raw.substring(raw.indexOf("\r\n\r\n") + 4)).isEmpty();
    }

    @Test
    void emptyFileIsServedWithZeroLength() throws Exception {
        HttpResponse<byte[]> response = site.get("/empty.txt");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Length")).isEqualTo("0");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void ifNoneMatchWithTheEtagIs304KeepingValidators() throws Exception {
        String etag = header(site.get("/alpha.txt"), "ETag");
        HttpResponse<byte[]> response = site.get("/alpha.txt", "If-None-Match", etag);
        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "ETag")).isEqualTo(etag);
        assertThat(header(response, "Last-Modified")).isNotNull();
        assertThat(site.get("/alpha.txt", "If-None-Match", "\"other\", W/" + etag)
                        .statusCode())
                .isEqualTo(304);
        assertThat(site.get("/alpha.txt", "If-None-Match", "*").statusCode()).isEqualTo(304);
        assertThat(site.send("HEAD", "/alpha.txt", "If-None-Match", etag).statusCode())
                .isEqualTo(304);
        String raw = site.raw("GET /alpha.txt HTTP/1.1\r\nIf-None-Match: " + etag);
        assertThat(raw).startsWith("HTTP/1.1 304");
        assertThat(raw.substring(raw.indexOf("\r\n\r\n") + 4)).isEmpty();
        // RFC 9110 section 8.6: a 304 must not carry a Content-Length other than the 200's; Weir sends none.
        assertThat(raw.substring(0, raw.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT))
                .doesNotContain("content-length");
    }

    @Test
    void ifNoneMatchWithAnotherEtagIs200EvenWhenIfModifiedSinceMatches() throws Exception {
        HttpResponse<byte[]> response = site.get(
                "/alpha.txt", "If-None-Match", "\"stale\"", "If-Modified-Since", "Tue, 19 Jan 2038 03:14:07 GMT");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo(TEXT);
    }

    @Test
    void ifModifiedSinceAtOrAfterLastModifiedIs304() throws Exception {
        String lastModified = header(site.get("/alpha.txt"), "Last-Modified");
        assertThat(site.get("/alpha.txt", "If-Modified-Since", lastModified).statusCode())
                .isEqualTo(304);
        assertThat(site.get("/alpha.txt", "If-Modified-Since", "Fri, 01 Mar 2024 13:00:00 GMT")
                        .statusCode())
                .isEqualTo(304);
        assertThat(site.get("/alpha.txt", "If-Modified-Since", "Friday, 01-Mar-24 12:00:00 GMT")
                        .statusCode())
                .isEqualTo(304);
        HttpResponse<byte[]> older = site.get("/alpha.txt", "If-Modified-Since", "Fri, 01 Mar 2024 11:59:59 GMT");
        assertThat(older.statusCode()).isEqualTo(200);
        assertThat(text(older)).isEqualTo(TEXT);
        assertThat(site.get("/alpha.txt", "If-Modified-Since", "not a date").statusCode())
                .isEqualTo(200);
    }

    @Test
    void failedIfMatchOrIfUnmodifiedSinceIs412() throws Exception {
        String etag = header(site.get("/alpha.txt"), "ETag");
        assertThat(site.get("/alpha.txt", "If-Match", "\"other\"").statusCode()).isEqualTo(412);
        assertThat(site.get("/alpha.txt", "If-Match", "W/" + etag).statusCode()).isEqualTo(412);
        assertThat(site.get("/alpha.txt", "If-Match", "\"other\", " + etag).statusCode())
                .isEqualTo(200);
        assertThat(site.get("/alpha.txt", "If-Match", "*").statusCode()).isEqualTo(200);
        assertThat(site.get("/alpha.txt", "If-Unmodified-Since", "Fri, 01 Mar 2024 11:00:00 GMT")
                        .statusCode())
                .isEqualTo(412);
        assertThat(site.get("/alpha.txt", "If-Unmodified-Since", "Fri, 01 Mar 2024 12:00:00 GMT")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void singleRangeIs206WithExactBytes() throws Exception {
        HttpResponse<byte[]> response = site.get("/alpha.txt", "Range", "bytes=2-5");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 2-5/" + TEXT.length());
        assertThat(header(response, "Content-Type")).isEqualTo("text/plain");
        assertThat(text(response)).isEqualTo("2345");

        HttpResponse<byte[]> suffix = site.get("/alpha.txt", "Range", "bytes=-4");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(text(suffix)).isEqualTo("wxyz");
        assertThat(header(suffix, "Content-Range")).isEqualTo("bytes 32-35/36");

        HttpResponse<byte[]> open = site.get("/alpha.txt", "Range", "bytes=30-");
        assertThat(text(open)).isEqualTo("uvwxyz");
        HttpResponse<byte[]> clamped = site.get("/alpha.txt", "Range", "bytes=34-1000");
        assertThat(header(clamped, "Content-Range")).isEqualTo("bytes 34-35/36");
        assertThat(text(clamped)).isEqualTo("yz");
    }

    @Test
    void severalRangesAreAMultipartByterangesBody() throws Exception {
        HttpResponse<byte[]> response = site.get("/alpha.txt", "Range", "bytes=0-1, 10-12,-2");
        assertThat(response.statusCode()).isEqualTo(206);
        String contentType = header(response, "Content-Type");
        assertThat(contentType).startsWith("multipart/byteranges; boundary=");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9);
        assertThat(header(response, "Content-Length")).isEqualTo(Integer.toString(response.body().length));

        List<String[]> parts = parseMultipart(text(response), boundary);
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0)).containsExactly("text/plain", "bytes 0-1/36", "01");
        assertThat(parts.get(1)).containsExactly("text/plain", "bytes 10-12/36", "abc");
        assertThat(parts.get(2)).containsExactly("text/plain", "bytes 34-35/36", "yz");
    }

    @Test
    void overlappingRangesAreCoalesced() throws Exception {
        HttpResponse<byte[]> response = site.get("/alpha.txt", "Range", "bytes=5-9,0-6");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes 0-9/36");
        assertThat(text(response)).isEqualTo("0123456789");
    }

    @Test
    void unsatisfiableRangeIs416WithTheLength() throws Exception {
        HttpResponse<byte[]> response = site.get("/alpha.txt", "Range", "bytes=100-200");
        assertThat(response.statusCode()).isEqualTo(416);
        assertThat(header(response, "Content-Range")).isEqualTo("bytes */36");
        assertThat(site.get("/alpha.txt", "Range", "bytes=-0").statusCode()).isEqualTo(416);
    }

    @Test
    void invalidRangeIsIgnored() throws Exception {
        for (String range : List.of("bytes=5-2", "bytes=a-b", "items=0-1", "bytes=", "bytes=1-2;3")) {
            HttpResponse<byte[]> response = site.get("/alpha.txt", "Range", range);
            assertThat(response.statusCode()).as(range).isEqualTo(200);
            assertThat(text(response)).as(range).isEqualTo(TEXT);
        }
    }

    @Test
    void ifRangeDecidesBetweenPartAndWhole() throws Exception {
        HttpResponse<byte[]> first = site.get("/alpha.txt");
        String etag = header(first, "ETag");
        HttpResponse<byte[]> mismatch = site.get("/alpha.txt", "Range", "bytes=0-3", "If-Range", "\"old\"");
        assertThat(mismatch.statusCode()).isEqualTo(200);
        assertThat(text(mismatch)).isEqualTo(TEXT);
        HttpResponse<byte[]> oldDate =
                site.get("/alpha.txt", "Range", "bytes=0-3", "If-Range", "Thu, 01 Jan 2015 00:00:00 GMT");
        assertThat(oldDate.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> byTag = site.get("/alpha.txt", "Range", "bytes=0-3", "If-Range", etag);
        assertThat(byTag.statusCode()).isEqualTo(206);
        assertThat(text(byTag)).isEqualTo("0123");
        HttpResponse<byte[]> byDate =
                site.get("/alpha.txt", "Range", "bytes=0-3", "If-Range", header(first, "Last-Modified"));
        assertThat(byDate.statusCode()).isEqualTo(206);
    }

    @Test
    void rangeIsIgnoredForHead() throws Exception {
        HttpResponse<byte[]> response = site.send("HEAD", "/alpha.txt", "Range", "bytes=0-3");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Length")).isEqualTo("36");
    }

    @Test
    void postToAFileIs405WithAllow() throws Exception {
        HttpResponse<byte[]> response = site.post("/alpha.txt");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(header(response, "Allow")).isEqualTo("GET, HEAD, OPTIONS, TRACE");
        assertThat(text(response)).doesNotContain(TEXT);
        assertThat(site.send("DELETE", "/alpha.txt").statusCode()).isEqualTo(405);
    }

    @Test
    void clientCacheUseMaxAgeSendsMaxAgeWithCustomDirectives() throws Exception {
        HttpResponse<byte[]> response = site.get("/maxage/a.txt");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Cache-Control")).isEqualTo("max-age=3600, public");
        HttpResponse<byte[]> notModified = site.get("/maxage/a.txt", "If-None-Match", header(response, "ETag"));
        assertThat(notModified.statusCode()).isEqualTo(304);
        assertThat(header(notModified, "Cache-Control")).isEqualTo("max-age=3600, public");
    }

    @Test
    void clientCacheDisableCacheSendsNoCache() throws Exception {
        assertThat(header(site.get("/nocache/a.txt"), "Cache-Control")).isEqualTo("no-cache");
    }

    @Test
    void clientCacheUseExpiresSendsExpires() throws Exception {
        HttpResponse<byte[]> response = site.get("/expires/a.txt");
        assertThat(header(response, "Expires")).isEqualTo("Tue, 19 Jan 2038 03:14:07 GMT");
        assertThat(header(response, "Cache-Control")).isNull();
    }

    @Test
    void clientCacheSetEtagFalseOmitsTheEtag() throws Exception {
        HttpResponse<byte[]> response = site.get("/noetag/a.txt");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "ETag")).isNull();
        assertThat(header(response, "Last-Modified")).isNotNull();
    }

    @Test
    void binaryFileOfSeveralMebibytesIsByteIdentical() throws Exception {
        HttpResponse<byte[]> response = site.get("/blob.bin");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(header(response, "Content-Length")).isEqualTo(Integer.toString(binary.length));
        assertThat(Arrays.equals(response.body(), binary))
                .as("body equals the file")
                .isTrue();

        HttpResponse<byte[]> part = site.get("/blob.bin", "Range", "bytes=1048570-2097160");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(Arrays.equals(part.body(), Arrays.copyOfRange(binary, 1048570, 2097161)))
                .isTrue();
    }

    /** Splits a multipart/byteranges body into [Content-Type, Content-Range, data] per part. */
    private static List<String[]> parseMultipart(String body, String boundary) {
        List<String[]> parts = new ArrayList<>();
        String delimiter = "--" + boundary;
        int end = body.indexOf(delimiter + "--");
        assertThat(end).as("closing delimiter").isPositive();
        String[] sections = body.substring(0, end).split(Pattern.quote(delimiter), -1);
        for (int k = 1; k < sections.length; k++) {
            String section = sections[k];
            assertThat(section).startsWith("\r\n");
            int blank = section.indexOf("\r\n\r\n");
            String head = section.substring(2, blank);
            String data = section.substring(blank + 4, section.length() - 2);
            assertThat(section).endsWith("\r\n");
            String type = null;
            String range = null;
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Type")) {
                    type = value;
                } else if (name.equalsIgnoreCase("Content-Range")) {
                    range = value;
                }
            }
            parts.add(new String[] {type, range, data});
        }
        return parts;
    }
}
