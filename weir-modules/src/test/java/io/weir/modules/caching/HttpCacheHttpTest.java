package io.weir.modules.caching;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.cache.KernelCacheStatistics;
import io.weir.api.cache.KernelResponseCache;
import io.weir.api.http.StoredContext;
import io.weir.core.inspect.EngineInspection;
import io.weir.modules.LoopbackSite;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HttpCacheModule and the kernel-style cache over real loopback HTTP: each attribute of the
 * {@code caching} section and its profiles, and what the transport answers from the kernel-style
 * cache (whole responses, 304, byte ranges, HEAD) and what it leaves to the pipeline.
 */
class HttpCacheHttpTest {

    @TempDir
    static Path root;

    private static LoopbackSite site;

    @BeforeAll
    static void start() throws Exception {
        site = LoopbackSite.serving(
                root,
                "tp",
                profile("policy=\"CacheForTimePeriod\" duration=\"00:00:02\" location=\"Any\"", ""),
                "uc",
                profile("policy=\"CacheUntilChange\"", ""),
                "q",
                profile("policy=\"CacheForTimePeriod\" duration=\"00:01:00\" varyByQueryString=\"v\"", ""),
                "h",
                profile("policy=\"CacheForTimePeriod\" duration=\"00:01:00\" varyByHeaders=\"X-Lang\"", ""),
                "cl",
                profile("policy=\"CacheForTimePeriod\" duration=\"00:01:00\" location=\"Client\"", ""),
                "outoff",
                profile("policy=\"CacheForTimePeriod\" duration=\"00:01:00\"", " enabled=\"false\""),
                "small",
                profile("policy=\"CacheForTimePeriod\" duration=\"00:01:00\"", " maxResponseSize=\"10\""),
                "nokernel",
                "<caching enableKernelCache=\"false\" />",
                "disabled",
                "<caching><profiles><add extension=\".txt\" policy=\"DisableCache\" /></profiles></caching>",
                "timed",
                "<caching><profiles><add extension=\".txt\" kernelCachePolicy=\"CacheForTimePeriod\""
                        + " duration=\"00:00:01\" varyByQueryString=\"*\" /></profiles></caching>");
    }

    /** A {@code caching} element without the kernel cache and with one {@code .txt} profile. */
    private static String profile(String attributes, String sectionAttributes) {
        return "<caching enableKernelCache=\"false\"" + sectionAttributes + "><profiles><add extension=\".txt\" "
                + attributes + " /></profiles></caching>";
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static KernelResponseCache kernel() {
        return site.server().server().engine().server().kernelResponseCache().orElseThrow();
    }

    private static long kernelHits() {
        KernelCacheStatistics s = kernel().statistics();
        return s.hits();
    }

    private static OutputCache outputCache() {
        for (StoredContext c :
                EngineInspection.of(site.server().server().engine()).serverStoredContexts()) {
            if (c instanceof OutputCache cache) {
                return cache;
            }
        }
        throw new AssertionError("no output cache");
    }

    private static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String get(String path, String... headers) throws Exception {
        HttpResponse<byte[]> r = site.get(path, headers);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return body(r);
    }

    @Test
    void aFrequentlyHitStaticFileIsAnsweredByTheTransportWithThePipelinesHeaders() throws Exception {
        write(root, "k/a.txt", "kernel cached text");
        HttpResponse<byte[]> first = site.get("/k/a.txt");
        site.get("/k/a.txt"); // the second hit within frequentHitTimePeriod makes it a kernel entry
        long before = kernelHits();
        HttpResponse<byte[]> hit = site.get("/k/a.txt");
        assertThat(kernelHits()).isEqualTo(before + 1);
        assertThat(body(hit)).isEqualTo("kernel cached text");
        for (String h : new String[] {"Content-Type", "ETag", "Last-Modified", "Accept-Ranges", "Server"}) {
            assertThat(hit.headers().firstValue(h))
                    .as(h)
                    .isEqualTo(first.headers().firstValue(h));
        }
        assertThat(hit.headers().firstValue("Date")).isPresent();
        assertThat(kernel().list()).anySatisfy(l -> {
            assertThat(l.rawUrl()).isEqualTo("/k/a.txt");
            assertThat(l.hits()).isPositive();
            assertThat(l.until()).isEqualTo("change");
        });
    }

    @Test
    void aKernelHitIsByteForByteTheResponseThePipelineSentButForItsDate() throws Exception {
        String small = "small kernel body";
        String large = "0123456789abcdef".repeat(6 * 1024); // 96 KiB: head and body leave as two buffers
        write(root, "k/same.txt", small);
        write(root, "k/head.txt", small);
        write(root, "k/large.txt", large);
        write(root, "k/ten.txt", small);
        for (String[] c : new String[][] {
            {"GET", "/k/same.txt", "HTTP/1.1", small},
            {"HEAD", "/k/head.txt", "HTTP/1.1", ""},
            {"GET", "/k/large.txt", "HTTP/1.1", large},
            {"GET", "/k/ten.txt", "HTTP/1.0", small}
        }) {
            String request = c[0] + " " + c[1] + " " + c[2];
            String fromPipeline = site.raw(request);
            site.raw("GET " + c[1] + " HTTP/1.1");
            site.raw("GET " + c[1] + " HTTP/1.1"); // the second hit makes the kernel entry
            long before = kernelHits();
            String hit = site.raw(request);
            assertThat(kernelHits()).as(request).isEqualTo(before + 1);
            assertThat(withoutDate(hit)).as(request).isEqualTo(withoutDate(fromPipeline));
            assertThat(hit).as(request).endsWith("\r\n\r\n" + c[3]);
            Matcher date = Pattern.compile("\r\ndate: ([^\r]+)\r\n").matcher(hit);
            assertThat(date.find()).as(request).isTrue();
            long age = Duration.between(
                            ZonedDateTime.parse(date.group(1), DateTimeFormatter.RFC_1123_DATE_TIME),
                            ZonedDateTime.now())
                    .toSeconds();
            assertThat(age).as("the Date of a hit is the current one").isBetween(-2L, 5L);
        }
    }

    /** @return the response without its {@code date} field */
    private static String withoutDate(String response) {
        return response.replaceFirst("\r\ndate: [^\r]+\r\n", "\r\n");
    }

    @Test
    void aRequestForAnotherTargetOrHostGoesToThePipeline() throws Exception {
        write(root, "k/host.txt", "host");
        get("/k/host.txt");
        get("/k/host.txt");
        long before = kernelHits();
        get("/k/host.txt");
        assertThat(kernelHits()).isEqualTo(before + 1);
        assertThat(get("/k/host.txt?x=1")).isEqualTo("host");
        assertThat(site.raw("GET /k/host.txt HTTP/1.1\r\nX-Pad: 1").replaceAll("(?s).*\r\n\r\n", ""))
                .isEqualTo("host");
        assertThat(kernelHits())
                .as("the query string went to the pipeline, the other request was a hit")
                .isEqualTo(before + 2);
        String otherHost = rawWithHost("GET /k/host.txt HTTP/1.1", "other.example");
        assertThat(otherHost).startsWith("HTTP/1.1 ");
        assertThat(kernelHits()).as("another Host is another entry").isEqualTo(before + 2);
    }

    /** Sends one request with the given Host and returns the raw response. */
    private static String rawWithHost(String requestLine, String host) throws Exception {
        URI base = site.uri("/");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream()
                    .write((requestLine + "\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void theKernelCacheAnswers304RangesAndHead() throws Exception {
        write(root, "k/b.txt", "0123456789");
        HttpResponse<byte[]> first = site.get("/k/b.txt");
        site.get("/k/b.txt");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        long before = kernelHits();
        assertThat(site.get("/k/b.txt", "If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(site.get(
                                "/k/b.txt",
                                "If-Modified-Since",
                                first.headers().firstValue("Last-Modified").orElseThrow())
                        .statusCode())
                .isEqualTo(304);
        HttpResponse<byte[]> range = site.get("/k/b.txt", "Range", "bytes=2-4");
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(body(range)).isEqualTo("234");
        assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 2-4/10");
        assertThat(body(site.get("/k/b.txt", "Range", "bytes=-3"))).isEqualTo("789");
        assertThat(body(site.get("/k/b.txt", "Range", "bytes=2-4", "If-Range", "\"other\"")))
                .isEqualTo("0123456789");
        HttpResponse<byte[]> head = site.send("HEAD", "/k/b.txt");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("10");
        assertThat(kernelHits()).isEqualTo(before + 6);
        // several ranges are the pipeline's to answer
        HttpResponse<byte[]> multi = site.get("/k/b.txt", "Range", "bytes=0-1,4-5");
        assertThat(multi.statusCode()).isEqualTo(206);
        assertThat(kernelHits()).isEqualTo(before + 6);
    }

    @Test
    void requestsHttpSysWouldNotAnswerFromItsCacheGoToThePipeline() throws Exception {
        write(root, "k/c.txt", "c");
        site.get("/k/c.txt");
        site.get("/k/c.txt");
        long before = kernelHits();
        assertThat(get("/k/c.txt", "Authorization", "Bearer x")).isEqualTo("c");
        assertThat(get("/k/c.txt?x=1")).isEqualTo("c");
        assertThat(get("/k/c.txt?x=1")).isEqualTo("c");
        assertThat(site.post("/k/c.txt").statusCode()).isNotEqualTo(200);
        assertThat(kernelHits()).isEqualTo(before);
        assertThat(get("/k/c.txt")).isEqualTo("c");
        assertThat(kernelHits()).isEqualTo(before + 1);
    }

    @Test
    void aChangedFileIsNotAnsweredFromTheKernelCache() throws Exception {
        write(root, "k/d.txt", "old");
        get("/k/d.txt");
        get("/k/d.txt");
        assertThat(get("/k/d.txt")).isEqualTo("old");
        write(root, "k/d.txt", "new content");
        Thread.sleep(1100); // the transport re-reads a file's state at most once a second
        assertThat(get("/k/d.txt")).isEqualTo("new content");
    }

    @Test
    void enableKernelCacheFalseKeepsResponsesOutOfTheKernelCache() throws Exception {
        write(root, "nokernel/a.txt", "n");
        long before = kernelHits();
        for (int i = 0; i < 4; i++) {
            get("/nokernel/a.txt");
        }
        assertThat(kernelHits()).isEqualTo(before);
    }

    @Test
    void aDisableCacheProfileKeepsTheExtensionOutOfEveryCache() throws Exception {
        write(root, "disabled/a.txt", "d");
        long before = kernelHits();
        for (int i = 0; i < 4; i++) {
            get("/disabled/a.txt");
        }
        assertThat(kernelHits()).isEqualTo(before);
    }

    @Test
    void aKernelCachePolicyForATimePeriodExpiresAndMayVaryByTheQueryString() throws Exception {
        write(root, "timed/a.txt", "first");
        get("/timed/a.txt?v=1");
        get("/timed/a.txt?v=1");
        long before = kernelHits();
        assertThat(get("/timed/a.txt?v=1")).isEqualTo("first");
        assertThat(kernelHits()).isEqualTo(before + 1);
        assertThat(site.get("/timed/a.txt?v=1").headers().firstValue("Cache-Control"))
                .hasValue("no-cache"); // location Server
        Thread.sleep(1100);
        assertThat(kernel().list()).noneSatisfy(l -> assertThat(l.rawUrl())
                .isEqualTo("/timed/a.txt?v=1")
                .satisfies(u -> assertThat(l.until()).isNotEqualTo("0")));
    }

    @Test
    void cacheForTimePeriodServesTheStoredResponseUntilItsDurationEnds() throws Exception {
        write(root, "tp/a.txt", "one");
        HttpResponse<byte[]> first = site.get("/tp/a.txt");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("public, max-age=2");
        long hits = outputCache().hits();
        write(root, "tp/a.txt", "two!");
        assertThat(get("/tp/a.txt")).isEqualTo("one");
        assertThat(outputCache().hits()).isEqualTo(hits + 1);
        Thread.sleep(2100);
        assertThat(get("/tp/a.txt")).isEqualTo("two!");
    }

    @Test
    void cacheUntilChangeDropsTheCopyWhenTheFileChanges() throws Exception {
        write(root, "uc/a.txt", "one");
        get("/uc/a.txt");
        long hits = outputCache().hits();
        assertThat(get("/uc/a.txt")).isEqualTo("one");
        assertThat(outputCache().hits()).isEqualTo(hits + 1);
        write(root, "uc/a.txt", "changed");
        assertThat(get("/uc/a.txt")).isEqualTo("changed");
    }

    @Test
    void varyByQueryStringKeepsACopyPerValueAndVaryByHeadersPerHeaderValue() throws Exception {
        write(root, "q/a.txt", "q1");
        assertThat(get("/q/a.txt?v=1&w=1")).isEqualTo("q1");
        write(root, "q/a.txt", "q2");
        assertThat(get("/q/a.txt?v=1&w=2")).isEqualTo("q1"); // w is not varied by
        assertThat(get("/q/a.txt?v=2")).isEqualTo("q2");
        write(root, "h/a.txt", "h1");
        assertThat(get("/h/a.txt", "X-Lang", "en")).isEqualTo("h1");
        write(root, "h/a.txt", "h2");
        assertThat(get("/h/a.txt", "X-Lang", "en")).isEqualTo("h1");
        assertThat(get("/h/a.txt", "X-Lang", "fr")).isEqualTo("h2");
    }

    @Test
    void locationClientSendsPrivateAndKeepsNoServerCopy() throws Exception {
        write(root, "cl/a.txt", "c1");
        HttpResponse<byte[]> r = site.get("/cl/a.txt");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("private, max-age=60");
        write(root, "cl/a.txt", "c2");
        assertThat(get("/cl/a.txt")).isEqualTo("c2");
    }

    @Test
    void enabledFalseAndMaxResponseSizeKeepResponsesOutOfTheOutputCache() throws Exception {
        write(root, "outoff/a.txt", "one");
        get("/outoff/a.txt");
        write(root, "outoff/a.txt", "two");
        assertThat(get("/outoff/a.txt")).isEqualTo("two");
        write(root, "small/a.txt", "more than ten bytes");
        get("/small/a.txt");
        write(root, "small/a.txt", "more than ten bytes, changed");
        assertThat(get("/small/a.txt")).isEqualTo("more than ten bytes, changed");
        write(root, "small/b.txt", "tiny");
        get("/small/b.txt");
        write(root, "small/b.txt", "tiny2");
        assertThat(get("/small/b.txt")).isEqualTo("tiny");
    }
}
