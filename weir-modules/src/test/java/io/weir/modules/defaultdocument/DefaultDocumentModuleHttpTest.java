package io.weir.modules.defaultdocument;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.LoopbackSite;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DefaultDocumentModule over real loopback HTTP, with the embedded default config and <location> variants. */
class DefaultDocumentModuleHttpTest {

    @TempDir
    static Path root;

    private static LoopbackSite site;

    @BeforeAll
    static void start() throws Exception {
        write(root, "index.html", "<h1>root index</h1>");
        write(root, "sub/index.html", "<h1>sub index</h1>");
        write(root, "sub/other.txt", "other");
        write(root, "a b/index.html", "<h1>spaced</h1>");
        write(root, "order/first.txt", "first");
        write(root, "order/second.txt", "second");
        Files.createDirectories(root.resolve("order/third.txt"));
        write(root, "disabled/index.html", "<h1>not served</h1>");
        Files.createDirectories(root.resolve("empty"));
        site = LoopbackSite.serving(
                root,
                "order",
                "<defaultDocument><files><clear /><add value=\"third.txt\" />"
                        + "<add value=\"missing.html\" /><add value=\"second.txt\" /><add value=\"first.txt\" /></files>"
                        + "</defaultDocument>",
                "disabled",
                "<defaultDocument enabled=\"false\" />");
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void siteRootServesItsDefaultDocument() throws Exception {
        HttpResponse<byte[]> response = site.get("/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(text(response)).isEqualTo("<h1>root index</h1>");
    }

    @Test
    void subDirectoryServesItsDefaultDocument() throws Exception {
        HttpResponse<byte[]> response = site.get("/sub/?q=1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(text(response)).isEqualTo("<h1>sub index</h1>");
        assertThat(response.headers().firstValue("ETag")).isPresent();
    }

    @Test
    void headOfADirectoryHasTheDefaultDocumentsHeadersAndNoBody() throws Exception {
        HttpResponse<byte[]> head = site.send("HEAD", "/sub/");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("18");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void directoryWithoutTrailingSlashIs301ToTheSlashedUrl() throws Exception {
        HttpResponse<byte[]> response = site.get("/sub");
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/sub/"));
        HttpResponse<byte[]> withQuery = site.get("/sub?x=1&y=2");
        assertThat(withQuery.statusCode()).isEqualTo(301);
        assertThat(withQuery.headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/sub/?x=1&y=2"));
    }

    @Test
    void redirectLocationIsPercentEncoded() throws Exception {
        HttpResponse<byte[]> response = site.get("/a%20b");
        assertThat(response.statusCode()).isEqualTo(301);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/a%20b/"));
        assertThat(text(site.get("/a%20b/"))).isEqualTo("<h1>spaced</h1>");
    }

    @Test
    void filesAreTriedInOrderSkippingMissingOnesAndDirectories() throws Exception {
        HttpResponse<byte[]> response = site.get("/order/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(text(response)).isEqualTo("second");
    }

    @Test
    void disabledDefaultDocumentFallsToDirectoryListingWhichDenies403_14() throws Exception {
        HttpResponse<byte[]> response = site.get("/disabled/");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(text(response)).doesNotContain("not served");
    }

    @Test
    void directoryWithoutDefaultDocumentIs403_14() throws Exception {
        assertThat(site.get("/empty/").statusCode()).isEqualTo(403);
    }

    @Test
    void fileUrlsAreNotTouched() throws Exception {
        HttpResponse<byte[]> response = site.get("/sub/other.txt");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response)).isEqualTo("other");
    }
}
