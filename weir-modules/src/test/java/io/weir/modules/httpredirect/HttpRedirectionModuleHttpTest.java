package io.weir.modules.httpredirect;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.LoopbackSite;
import io.weir.testkit.RawHttp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HttpRedirectionModule over loopback: one {@code <location>} per behaviour. Requests carry
 * {@code Host: 127.0.0.1}, so relative destinations come back as {@code http://127.0.0.1/...}.
 */
class HttpRedirectionModuleHttpTest {

    private static final String HOST = "http://127.0.0.1";

    @TempDir
    static Path root;

    private static LoopbackSite site;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        write(root, "old/keep/a.txt", "kept");
        write(root, "child/sub/a.txt", "child sub");
        write(root, "loop/inner/a.txt", "inner");
        site = LoopbackSite.serving(
                root,
                "old",
                "<httpRedirect enabled=\"true\" destination=\"/new\" />",
                "old/keep",
                "<httpRedirect enabled=\"false\" />",
                "perm",
                "<httpRedirect enabled=\"true\" destination=\"http://example.com/\" exactDestination=\"true\" "
                        + "httpResponseStatus=\"Permanent\" />",
                "temp",
                "<httpRedirect enabled=\"true\" destination=\"http://example.com/t\" httpResponseStatus=\"Temporary\" />",
                "perm308",
                "<httpRedirect enabled=\"true\" destination=\"http://example.com/p\" "
                        + "httpResponseStatus=\"PermRedirect\" />",
                "child",
                "<httpRedirect enabled=\"true\" destination=\"http://example.com/c/\" childOnly=\"true\" />",
                "vars",
                "<httpRedirect enabled=\"true\" destination=\"http://example.com/x$S?from=$V&amp;$P\" />",
                "wild",
                """
                        <httpRedirect enabled="true" exactDestination="true" httpResponseStatus="Permanent">
                          <add wildcard="/keep/*" destination="!" />
                          <add wildcard="*.php" destination="/index.html" />
                          <add wildcard="/docs/*/*.htm" destination="/manual/$1/$2.html$Q" />
                        </httpRedirect>""",
                "loop",
                "<httpRedirect enabled=\"true\" destination=\"/loop/inner\" />",
                "self",
                "<httpRedirect enabled=\"true\" destination=\"/self/a\" exactDestination=\"true\" />");
        port = site.uri("/").getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static RawHttp.Response get(String target) {
        return RawHttp.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    private static void assertRedirect(RawHttp.Response response, int status, String location) {
        assertThat(response.status()).as(response.statusLine()).isEqualTo(status);
        assertThat(response.header("Location")).hasValue(location);
    }

    @Test
    void aRelativeDestinationGetsThePathBelowTheConfiguredFolderAndTheQuery() {
        assertRedirect(get("/old/a/b.txt?x=1&y=2"), 302, HOST + "/new/a/b.txt?x=1&y=2");
        assertRedirect(get("/old"), 302, HOST + "/new");
        assertRedirect(get("/OLD/page.htm"), 302, HOST + "/new/page.htm");
        assertRedirect(get("/old/caf%C3%A9%20x.txt"), 302, HOST + "/new/caf%C3%A9%20x.txt");
    }

    @Test
    void aFolderBelowCanSwitchTheRedirectOff() {
        RawHttp.Response kept = get("/old/keep/a.txt");
        assertThat(kept.status()).isEqualTo(200);
        assertThat(kept.bodyText()).isEqualTo("kept");
    }

    @Test
    void httpResponseStatusChoosesTheCode() {
        assertRedirect(get("/perm/anything?q=1"), 301, "http://example.com/");
        assertRedirect(get("/temp/a"), 307, "http://example.com/t/a");
        assertRedirect(get("/perm308/a"), 308, "http://example.com/p/a");
    }

    @Test
    void childOnlyRedirectsOnlyContentDirectlyInTheFolderToTheFileName() {
        assertRedirect(get("/child/page.htm"), 302, "http://example.com/c/page.htm");
        RawHttp.Response sub = get("/child/sub/a.txt");
        assertThat(sub.status()).isEqualTo(200);
        assertThat(sub.bodyText()).isEqualTo("child sub");
    }

    @Test
    void variablesAreSubstituted() {
        assertRedirect(get("/vars/a/b?k=v"), 302, "http://example.com/x/a/b?from=/vars/a/b&k=v");
    }

    @Test
    void wildcardsMatchInOrderWithCapturesAndExclusions() {
        assertRedirect(get("/wild/old/page.php?id=3"), 301, HOST + "/index.html");
        assertRedirect(get("/wild/docs/guide/intro.htm?v=2"), 301, HOST + "/manual/guide/intro.html?v=2");
        assertThat(get("/wild/keep/x.php").status()).isEqualTo(404);
        assertThat(get("/wild/other.txt").status()).isEqualTo(404);
    }

    @Test
    void aRedirectIntoItsOwnFolderDoesNotLoop() {
        assertRedirect(get("/loop/a.txt"), 302, HOST + "/loop/inner/a.txt");
        RawHttp.Response inner = get("/loop/inner/a.txt");
        assertThat(inner.status()).isEqualTo(200);
        assertThat(inner.bodyText()).isEqualTo("inner");
        assertRedirect(get("/self/b"), 302, HOST + "/self/a");
        assertThat(get("/self/a").status()).isEqualTo(404);
    }

    @Test
    void folderssWithoutTheSectionAreNotRedirected() {
        assertThat(get("/new/a.txt").status()).isEqualTo(404);
        assertThat(get("/old/keep/missing").status()).isEqualTo(404);
    }
}
