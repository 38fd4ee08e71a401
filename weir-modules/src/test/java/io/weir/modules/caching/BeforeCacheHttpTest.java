package io.weir.modules.caching;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.cache.KernelResponseCache;
import io.weir.modules.LoopbackSite;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What must see every request keeps it out of the kernel-style cache, over loopback: URL
 * Rewrite's outbound rules unless {@code rewriteBeforeCache} (then the cache answers with the
 * rewritten response), and IP restrictions with a rule.
 */
class BeforeCacheHttpTest {

    @TempDir
    static Path root;

    private static LoopbackSite site;

    private static String stamp(String beforeCache) {
        return "<rewrite><outboundRules" + beforeCache + "><rule name=\"stamp\">"
                + "<match serverVariable=\"RESPONSE_X_Stamp\" pattern=\".*\" />"
                + "<action type=\"Rewrite\" value=\"stamped\" /></rule></outboundRules></rewrite>";
    }

    private static String inbound(String condition) {
        return "<rewrite><rules><rule name=\"to-a\"><match url=\"^b\\.txt$\" /><conditions>" + condition
                + "</conditions><action type=\"Rewrite\" url=\"a.txt\" /></rule></rules></rewrite>";
    }

    @BeforeAll
    static void start() throws Exception {
        site = LoopbackSite.serving(
                root,
                "everysend",
                stamp(""),
                "beforecache",
                stamp(" rewriteBeforeCache=\"true\""),
                "byurl",
                inbound("<add input=\"{QUERY_STRING}\" pattern=\"^$\" />"),
                "byagent",
                inbound("<add input=\"{HTTP_USER_AGENT}\" pattern=\".*\" />"),
                "ip",
                "<security><ipSecurity allowUnlisted=\"true\"><add ipAddress=\"192.0.2.1\" allowed=\"false\" />"
                        + "</ipSecurity></security>");
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

    private static long hitsAfterFourGets(String path) throws Exception {
        long before = kernel().statistics().hits();
        for (int i = 0; i < 4; i++) {
            HttpResponse<byte[]> r = site.get(path);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("text");
            if (path.startsWith("/everysend/") || path.startsWith("/beforecache/")) {
                assertThat(r.headers().firstValue("X-Stamp")).as(path).hasValue("stamped");
            }
        }
        return kernel().statistics().hits() - before;
    }

    @Test
    void outboundRulesWithoutRewriteBeforeCacheKeepResponsesOutOfTheKernelCache() throws Exception {
        write(root, "everysend/a.txt", "text");
        assertThat(hitsAfterFourGets("/everysend/a.txt")).isZero();
    }

    @Test
    void rewriteBeforeCacheLetsTheKernelCacheAnswerWithTheRewrittenResponse() throws Exception {
        write(root, "beforecache/a.txt", "text");
        assertThat(hitsAfterFourGets("/beforecache/a.txt")).isEqualTo(2);
    }

    @Test
    void anInboundRewriteDecidedByTheUrlAloneMayBeKernelCachedOneReadingAClientHeaderMayNot() throws Exception {
        write(root, "byurl/a.txt", "text");
        write(root, "byagent/a.txt", "text");
        assertThat(hitsAfterFourGets("/byurl/b.txt")).isEqualTo(2);
        assertThat(hitsAfterFourGets("/byagent/b.txt")).isZero();
    }

    @Test
    void ipRestrictionsWithARuleKeepResponsesOutOfTheKernelCache() throws Exception {
        write(root, "ip/a.txt", "text");
        assertThat(hitsAfterFourGets("/ip/a.txt")).isZero();
    }
}
