package io.weir.modules.compression;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code urlCompression dynamicCompressionBeforeCache} with HttpCacheModule's output cache, over
 * loopback: false (IIS's default) keeps uncompressed copies and compresses each response as it is
 * sent; true keeps one compressed copy per {@code Accept-Encoding}, answered as it is. Every body
 * is decoded by its coding's library and compared with what the handler wrote.
 */
class CompressionCacheHttpTest {

    @TempDir
    static Path root;

    @TempDir
    static Path temp;

    private static CompressionSite site;
    private static final byte[] TEXT = GeneratedTextModuleRegistration.text(20_000);

    private static String profile(String beforeCache) {
        return "<urlCompression dynamicCompressionBeforeCache=\"" + beforeCache + "\" />"
                + "<caching><profiles><add extension=\".dyn\" policy=\"CacheUntilChange\""
                + " kernelCachePolicy=\"CacheUntilChange\" varyByQueryString=\"n\" /></profiles></caching>";
    }

    @BeforeAll
    static void start() throws Exception {
        write(root, "after/x.dyn", "");
        write(root, "before/x.dyn", "");
        site = CompressionSite.start(root, temp, "", "after", profile("false"), "before", profile("true"));
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    private static long kernelHits() {
        return site.server()
                .server()
                .engine()
                .server()
                .kernelResponseCache()
                .orElseThrow()
                .statistics()
                .hits();
    }

    private static void decodesToTheText(HttpResponse<byte[]> r, String coding) throws Exception {
        assertThat(r.statusCode()).isEqualTo(200);
        if (coding == null) {
            assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(r.body()).isEqualTo(TEXT);
        } else {
            assertThat(r.headers().firstValue("Content-Encoding")).hasValue(coding);
            assertThat(CompressionSite.decode(coding, r.body())).isEqualTo(TEXT);
        }
    }

    @Test
    void afterTheCacheEachResponseIsCompressedAsItIsSentAndNeverKernelCached() throws Exception {
        long before = kernelHits();
        for (int i = 0; i < 3; i++) {
            decodesToTheText(site.get("/after/x.dyn?n=20000", "Accept-Encoding", "gzip"), "gzip");
            decodesToTheText(site.get("/after/x.dyn?n=20000", "Accept-Encoding", "br"), "br");
        }
        assertThat(kernelHits()).isEqualTo(before);
    }

    @Test
    void beforeTheCacheEachCodingHasItsCopyAndTheKernelCacheAnswersWithIt() throws Exception {
        long before = kernelHits();
        for (int i = 0; i < 4; i++) {
            decodesToTheText(site.get("/before/x.dyn?n=20000", "Accept-Encoding", "gzip"), "gzip");
            decodesToTheText(site.get("/before/x.dyn?n=20000", "Accept-Encoding", "zstd"), "zstd");
            decodesToTheText(site.get("/before/x.dyn?n=20000"), null);
        }
        assertThat(kernelHits()).isGreaterThan(before);
    }
}
