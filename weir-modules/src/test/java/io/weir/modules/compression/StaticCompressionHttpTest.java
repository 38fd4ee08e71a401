package io.weir.modules.compression;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StaticCompressionModule over real loopback HTTP: every coding decoded by its library and
 * compared byte for byte with the file, and one test per httpCompression / urlCompression /
 * serverRuntime attribute it reads. Dynamic compression is off for the site here, so what comes
 * compressed was compressed by the static module.
 */
class StaticCompressionHttpTest {

    @TempDir
    static Path root;

    @TempDir
    static Path temp;

    @TempDir
    static Path otherCache;

    private static CompressionSite site;
    private static byte[] text;

    @BeforeAll
    static void start() throws Exception {
        text = GeneratedTextModuleRegistration.text(20_000);
        String s = new String(text, StandardCharsets.US_ASCII);
        for (String f : List.of(
                "a.txt",
                "codings/a.txt",
                "q/a.txt",
                "types/a.png",
                "types/a.weirc",
                "small/a.txt",
                "small/tiny.txt",
                "http10/a.txt",
                "http10off/a.txt",
                "via/a.txt",
                "viaoff/a.txt",
                "range/a.txt",
                "rangeoff/a.txt",
                "cachehdr/a.txt",
                "hits/a.txt",
                "period/a.txt",
                "ignore/a.txt",
                "nostatic/a.txt",
                "schemeoff/a.txt",
                "dir/a.txt",
                "change/a.txt",
                "cpu/a.txt",
                "etag/a.txt",
                "pre/a.js",
                "preoff/a.js",
                "head/a.txt",
                "level/a.txt")) {
            write(root, f, s);
        }
        write(root, "small/tiny.txt", s.substring(0, 2000));
        write(root, "tiny.txt", s.substring(0, 2000));
        Random random = new Random(7);
        Files.createDirectories(root.resolve("limit"));
        for (String f : List.of("limit/r1.txt", "limit/r2.txt")) {
            byte[] noise = new byte[700_000];
            random.nextBytes(noise);
            Files.write(root.resolve(f), noise);
        }
        byte[] sibling = gzipFastest(text);
        Files.write(root.resolve("pre/a.js.gz"), sibling);
        Files.write(root.resolve("preoff/a.js.gz"), sibling);
        site = CompressionSite.start(
                root,
                temp,
                "<serverRuntime frequentHitThreshold=\"1\" />",
                "",
                "<urlCompression doDynamicCompression=\"false\" />",
                "codings",
                "<httpCompression><scheme name=\"deflate\" dll=\"x\" /></httpCompression>",
                "types",
                "<staticContent><mimeMap fileExtension=\".weirc\" mimeType=\"application/x-weir-c\" /></staticContent>"
                        + "<httpCompression><staticTypes><add mimeType=\"application/x-weir-c\" enabled=\"true\" />"
                        + "</staticTypes></httpCompression>",
                "small",
                "<httpCompression minFileSizeForComp=\"1000\" />",
                "http10off",
                "<httpCompression noCompressionForHttp10=\"false\" />",
                "viaoff",
                "<httpCompression noCompressionForProxies=\"false\" />",
                "rangeoff",
                "<httpCompression noCompressionForRange=\"false\" />",
                "cachehdr",
                "<httpCompression sendCacheHeaders=\"true\" cacheControlHeader=\"max-age=5\" "
                        + "expiresHeader=\"Thu, 01 Jan 1998 00:00:00 GMT\" />",
                "ignore",
                "<httpCompression staticCompressionIgnoreHitFrequency=\"true\" />",
                "nostatic",
                "<urlCompression doStaticCompression=\"false\" doDynamicCompression=\"false\" />",
                "schemeoff",
                "<httpCompression><remove name=\"gzip\" /><scheme name=\"gzip\" dll=\"x\" doStaticCompression=\"false\" /></httpCompression>",
                "dir",
                "<httpCompression directory=\"" + otherCache + "\" />",
                "limit",
                "<httpCompression maxDiskSpaceUsage=\"1\" directory=\"" + otherCache.resolve("limited") + "\" />",
                "cpu",
                "<httpCompression staticCompressionDisableCpuUsage=\"0\" staticCompressionEnableCpuUsage=\"0\" />",
                "pre",
                "<httpCompression weirServePrecompressed=\"true\" />",
                "level",
                "<httpCompression><remove name=\"gzip\" /><scheme name=\"gzip\" dll=\"x\" staticCompressionLevel=\"1\" /></httpCompression>");
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    private static byte[] gzipFastest(byte[] data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out) {
            {
                def.setLevel(1);
            }
        }) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static void assertDecodesToText(HttpResponse<byte[]> r, String coding) throws Exception {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Content-Encoding")).isEqualTo(coding);
        assertThat(r.body().length).isLessThan(text.length / 2);
        assertThat(CompressionSite.decode(coding, r.body())).isEqualTo(text);
    }

    @Test
    void eachSchemeIsDecodedByItsLibraryToTheFileByteForByte() throws Exception {
        for (String coding : List.of("br", "zstd", "gzip", "deflate")) {
            HttpResponse<byte[]> r = site.awaitEncoded("/codings/a.txt", coding);
            assertDecodesToText(r, coding);
            assertThat(header(r, "Content-Length")).isEqualTo(String.valueOf(r.body().length));
            assertThat(header(r, "Vary")).isEqualTo("Accept-Encoding");
        }
    }

    @Test
    void withoutAcceptEncodingTheFileGoesAsItIsWithVary() throws Exception {
        site.awaitEncoded("/a.txt", "gzip");
        HttpResponse<byte[]> r = site.get("/a.txt");
        assertThat(header(r, "Content-Encoding")).isNull();
        assertThat(r.body()).isEqualTo(text);
        assertThat(header(r, "Vary")).isEqualTo("Accept-Encoding");
    }

    @Test
    void qValuesChooseTheCodingAndTiesGoToTheServersOrder() throws Exception {
        site.awaitEncoded("/q/a.txt", "br");
        site.awaitEncoded("/q/a.txt", "gzip");
        site.awaitEncoded("/q/a.txt", "zstd");
        assertThat(header(site.awaitEncoded("/q/a.txt", "gzip;q=0.9, br;q=0.5"), "Content-Encoding"))
                .isEqualTo("gzip");
        assertThat(header(site.awaitEncoded("/q/a.txt", "gzip, deflate, br, zstd"), "Content-Encoding"))
                .isEqualTo("br");
        assertThat(header(site.awaitEncoded("/q/a.txt", "br;q=0, *;q=0.5"), "Content-Encoding"))
                .isEqualTo("zstd");
        assertThat(header(site.awaitEncoded("/q/a.txt", "x-gzip"), "Content-Encoding"))
                .isEqualTo("gzip");
        HttpResponse<byte[]> identity = site.get("/q/a.txt", "Accept-Encoding", "gzip;q=0.4, identity;q=1");
        assertThat(header(identity, "Content-Encoding")).isNull();
        HttpResponse<byte[]> refused = site.get("/q/a.txt", "Accept-Encoding", "gzip;q=0, br;q=0");
        assertThat(header(refused, "Content-Encoding")).isNull();
        assertThat(refused.body()).isEqualTo(text);
        HttpResponse<byte[]> unknown = site.get("/q/a.txt", "Accept-Encoding", "compress");
        assertThat(header(unknown, "Content-Encoding")).isNull();
    }

    @Test
    void staticTypesDecideWithWildcardsAndTheMostSpecificEntry() throws Exception {
        HttpResponse<byte[]> added = site.awaitEncoded("/types/a.weirc", "gzip");
        assertThat(CompressionSite.decode("gzip", added.body())).isEqualTo(text);
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> png = site.get("/types/a.png", "Accept-Encoding", "gzip");
            assertThat(header(png, "Content-Encoding")).isNull();
            assertThat(header(png, "Vary")).isNull();
            Thread.sleep(100);
        }
    }

    @Test
    void minFileSizeForCompLeavesSmallerFilesAlone() throws Exception {
        HttpResponse<byte[]> lowered = site.awaitEncoded("/small/tiny.txt", "gzip");
        assertThat(CompressionSite.decode("gzip", lowered.body())).isEqualTo(Arrays.copyOf(text, 2000));
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> tiny = site.get("/tiny.txt", "Accept-Encoding", "gzip");
            assertThat(header(tiny, "Content-Encoding")).isNull();
            assertThat(tiny.body()).hasSize(2000);
            Thread.sleep(100);
        }
    }

    private static RawHttp.Response http10(String path) {
        return RawHttp.exchange(
                site.port(), "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n");
    }

    @Test
    void noCompressionForHttp10() throws Exception {
        site.awaitEncoded("/http10/a.txt", "gzip");
        RawHttp.Response plain = http10("/http10/a.txt");
        assertThat(plain.header("Content-Encoding")).isEmpty();
        assertThat(plain.body()).isEqualTo(text);
        site.awaitEncoded("/http10off/a.txt", "gzip");
        RawHttp.Response coded = http10("/http10off/a.txt");
        assertThat(coded.header("Content-Encoding")).contains("gzip");
        assertThat(CompressionSite.decode("gzip", coded.body())).isEqualTo(text);
    }

    @Test
    void noCompressionForProxiesLooksAtVia() throws Exception {
        site.awaitEncoded("/via/a.txt", "gzip");
        HttpResponse<byte[]> proxied = site.get("/via/a.txt", "Accept-Encoding", "gzip", "Via", "1.1 proxy");
        assertThat(header(proxied, "Content-Encoding")).isNull();
        assertThat(proxied.body()).isEqualTo(text);
        HttpResponse<byte[]> allowed = site.awaitEncoded("/viaoff/a.txt", "gzip", "Via", "1.1 proxy");
        assertDecodesToText(allowed, "gzip");
    }

    @Test
    void noCompressionForRangeAnswersRangesFromTheFileOrFromTheCopy() throws Exception {
        site.awaitEncoded("/range/a.txt", "gzip");
        HttpResponse<byte[]> r = site.get("/range/a.txt", "Accept-Encoding", "gzip", "Range", "bytes=10-19");
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(header(r, "Content-Encoding")).isNull();
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(text, 10, 20));

        HttpResponse<byte[]> whole = site.awaitEncoded("/rangeoff/a.txt", "gzip");
        byte[] coded = whole.body();
        HttpResponse<byte[]> part = site.get("/rangeoff/a.txt", "Accept-Encoding", "gzip", "Range", "bytes=0-99");
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(header(part, "Content-Encoding")).isEqualTo("gzip");
        assertThat(header(part, "Content-Range")).isEqualTo("bytes 0-99/" + coded.length);
        assertThat(part.body()).isEqualTo(Arrays.copyOfRange(coded, 0, 100));
        HttpResponse<byte[]> tail = site.get("/rangeoff/a.txt", "Accept-Encoding", "gzip", "Range", "bytes=100-");
        byte[] joined = new byte[coded.length];
        System.arraycopy(part.body(), 0, joined, 0, 100);
        System.arraycopy(tail.body(), 0, joined, 100, tail.body().length);
        assertThat(CompressionSite.decode("gzip", joined)).isEqualTo(text);
    }

    @Test
    void sendCacheHeadersAddsExpiresAndCacheControlToCompressedResponses() throws Exception {
        HttpResponse<byte[]> r = site.awaitEncoded("/cachehdr/a.txt", "gzip");
        assertThat(header(r, "Cache-Control")).isEqualTo("max-age=5");
        assertThat(header(r, "Expires")).isEqualTo("Thu, 01 Jan 1998 00:00:00 GMT");
        HttpResponse<byte[]> other = site.awaitEncoded("/a.txt", "gzip");
        assertThat(header(other, "Expires")).isNull();
    }

    @Test
    void frequentHitThresholdAndTimePeriodDecideWhenACopyIsMade() throws Exception {
        try (CompressionSite hits = CompressionSite.start(
                root,
                temp.resolve("hits"),
                "<serverRuntime frequentHitThreshold=\"3\" frequentHitTimePeriod=\"00:00:02\" />",
                "",
                "<urlCompression doDynamicCompression=\"false\" />")) {
            for (int i = 0; i < 2; i++) {
                assertThat(header(hits.get("/hits/a.txt", "Accept-Encoding", "gzip"), "Content-Encoding"))
                        .isNull();
            }
            Thread.sleep(2500);
            // the period ran out: the two hits no longer count
            assertThat(header(hits.get("/period/a.txt", "Accept-Encoding", "gzip"), "Content-Encoding"))
                    .isNull();
            assertThat(header(hits.get("/hits/a.txt", "Accept-Encoding", "gzip"), "Content-Encoding"))
                    .isNull();
            Thread.sleep(1000);
            assertThat(header(hits.get("/hits/a.txt", "Accept-Encoding", "gzip"), "Content-Encoding"))
                    .isNull();
            assertThat(CompressionSite.cacheFolder(temp.resolve("hits"))
                            .toFile()
                            .list())
                    .isNullOrEmpty();
            // the third hit within the period makes the copy
            hits.get("/hits/a.txt", "Accept-Encoding", "gzip");
            assertDecodesToText(hits.awaitEncoded("/hits/a.txt", "gzip"), "gzip");
        }
    }

    @Test
    void staticCompressionIgnoreHitFrequencyCompressesOnTheFirstHit() throws Exception {
        try (CompressionSite hits = CompressionSite.start(
                root,
                temp.resolve("ignore"),
                "<serverRuntime frequentHitThreshold=\"50\" />",
                "",
                "<urlCompression doDynamicCompression=\"false\" />",
                "ignore",
                "<httpCompression staticCompressionIgnoreHitFrequency=\"true\" />")) {
            assertDecodesToText(hits.awaitEncoded("/ignore/a.txt", "gzip"), "gzip");
            for (int i = 0; i < 5; i++) {
                assertThat(header(hits.get("/a.txt", "Accept-Encoding", "gzip"), "Content-Encoding"))
                        .isNull();
            }
        }
    }

    @Test
    void doStaticCompressionOfUrlCompressionAndOfASchemeTurnItOff() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> r = site.get("/nostatic/a.txt", "Accept-Encoding", "gzip");
            assertThat(header(r, "Content-Encoding")).isNull();
            assertThat(r.body()).isEqualTo(text);
            Thread.sleep(100);
        }
        assertThat(header(site.awaitEncoded("/schemeoff/a.txt", "gzip, br"), "Content-Encoding"))
                .isEqualTo("br");
        for (int i = 0; i < 3; i++) {
            assertThat(header(site.get("/schemeoff/a.txt", "Accept-Encoding", "gzip"), "Content-Encoding"))
                    .isNull();
            Thread.sleep(100);
        }
    }

    @Test
    void directoryHoldsTheCopiesAndAChangedFileGetsANewOneAndLosesTheOld() throws Exception {
        HttpResponse<byte[]> r = site.awaitEncoded("/dir/a.txt", "gzip");
        assertDecodesToText(r, "gzip");
        try (Stream<Path> files = Files.list(otherCache)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("a.txt.") && n.endsWith(".gz"));
        }
        site.awaitEncoded("/change/a.txt", "gzip");
        Path cache = CompressionSite.cacheFolder(temp);
        long before;
        try (Stream<Path> files = Files.list(cache)) {
            before = files.filter(p -> p.getFileName().toString().endsWith(".gz"))
                    .count();
        }
        byte[] changed = GeneratedTextModuleRegistration.text(30_000);
        Files.write(root.resolve("change/a.txt"), changed);
        Files.setLastModifiedTime(
                root.resolve("change/a.txt"), FileTime.from(Instant.now().plusSeconds(5)));
        long deadline = System.nanoTime() + 15_000_000_000L;
        byte[] decoded = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<byte[]> now = site.get("/change/a.txt", "Accept-Encoding", "gzip");
            decoded = "gzip".equals(header(now, "Content-Encoding"))
                    ? CompressionSite.decode("gzip", now.body())
                    : now.body();
            if (decoded.length == changed.length && header(now, "Content-Encoding") != null) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(decoded).isEqualTo(changed);
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".gz"))
                            .count())
                    .isEqualTo(before);
        }
    }

    @Test
    void maxDiskSpaceUsageDeletesTheLeastRecentlyServedCopies() throws Exception {
        Path limited = otherCache.resolve("limited");
        site.awaitEncoded("/limit/r1.txt", "gzip");
        site.awaitEncoded("/limit/r2.txt", "gzip");
        try (Stream<Path> files = Files.list(limited)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertThat(names).hasSize(1);
            assertThat(names.get(0)).startsWith("r2.txt.");
        }
        HttpResponse<byte[]> r1 = site.get("/limit/r1.txt", "Accept-Encoding", "gzip");
        assertThat(r1.body()).isEqualTo(Files.readAllBytes(root.resolve("limit/r1.txt")));
    }

    @Test
    void staticCompressionDisableCpuUsageSuspendsIt() throws Exception {
        for (int i = 0; i < 4; i++) {
            HttpResponse<byte[]> r = site.get("/cpu/a.txt", "Accept-Encoding", "gzip");
            assertThat(header(r, "Content-Encoding")).isNull();
            Thread.sleep(200);
        }
    }

    @Test
    void etagsDifferPerCodingAndRevalidateTo304() throws Exception {
        HttpResponse<byte[]> plain = site.get("/etag/a.txt");
        String tag = header(plain, "ETag");
        HttpResponse<byte[]> gz = site.awaitEncoded("/etag/a.txt", "gzip");
        HttpResponse<byte[]> br = site.awaitEncoded("/etag/a.txt", "br");
        assertThat(header(gz, "ETag")).isEqualTo(tag.substring(0, tag.length() - 1) + "-gzip\"");
        assertThat(header(br, "ETag")).isEqualTo(tag.substring(0, tag.length() - 1) + "-br\"");
        HttpResponse<byte[]> revalidated =
                site.get("/etag/a.txt", "Accept-Encoding", "gzip", "If-None-Match", header(gz, "ETag"));
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(header(revalidated, "ETag")).isEqualTo(header(gz, "ETag"));
        HttpResponse<byte[]> stale =
                site.get("/etag/a.txt", "Accept-Encoding", "gzip", "If-None-Match", "\"other-gzip\"");
        assertThat(stale.statusCode()).isEqualTo(200);
        HttpResponse<byte[]> ifRange = site.get(
                "/etag/a.txt", "Accept-Encoding", "gzip", "Range", "bytes=0-9", "If-Range", header(gz, "ETag"));
        assertThat(ifRange.statusCode()).isEqualTo(200);
        assertThat(CompressionSite.decode("gzip", ifRange.body())).isEqualTo(text);
    }

    @Test
    void precompressedSiblingsAreServedOnlyWhenTurnedOn() throws Exception {
        byte[] sibling = Files.readAllBytes(root.resolve("pre/a.js.gz"));
        HttpResponse<byte[]> on = site.get("/pre/a.js", "Accept-Encoding", "gzip");
        assertThat(header(on, "Content-Encoding")).isEqualTo("gzip");
        assertThat(on.body()).isEqualTo(sibling);
        assertThat(header(on, "Content-Type")).isEqualTo("text/javascript");
        HttpResponse<byte[]> off = site.awaitEncoded("/preoff/a.js", "gzip");
        assertThat(off.body()).isNotEqualTo(sibling);
        assertThat(CompressionSite.decode("gzip", off.body())).isEqualTo(text);
    }

    @Test
    void headGetsTheHeadersOfTheCompressedResponse() throws Exception {
        HttpResponse<byte[]> get = site.awaitEncoded("/head/a.txt", "gzip");
        HttpResponse<byte[]> head = site.send("HEAD", "/head/a.txt", "Accept-Encoding", "gzip");
        assertThat(header(head, "Content-Encoding")).isEqualTo("gzip");
        assertThat(header(head, "Content-Length")).isEqualTo(String.valueOf(get.body().length));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void staticCompressionLevelChangesTheCopy() throws Exception {
        HttpResponse<byte[]> fast = site.awaitEncoded("/level/a.txt", "gzip");
        HttpResponse<byte[]> standard = site.awaitEncoded("/a.txt", "gzip");
        assertThat(CompressionSite.decode("gzip", fast.body())).isEqualTo(text);
        assertThat(fast.body().length).isGreaterThan(standard.body().length);
    }
}
