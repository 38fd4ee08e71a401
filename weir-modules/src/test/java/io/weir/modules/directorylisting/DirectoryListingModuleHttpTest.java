package io.weir.modules.directorylisting;

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

/** DirectoryListingModule over real loopback HTTP; browsing is enabled by a <location> for the site root. */
class DirectoryListingModuleHttpTest {

    @TempDir
    static Path root;

    private static LoopbackSite site;

    @BeforeAll
    static void start() throws Exception {
        write(root, "top.txt", "top");
        write(root, "web.config", "<configuration />");
        write(root, "files/b.txt", "bb");
        write(root, "files/A.txt", "a");
        write(root, "files/a b.txt", "space");
        write(root, "files/<img src=x onerror=alert(1)>.txt", "hostile");
        write(root, "files/zdir/x.txt", "x");
        write(root, "files/adir/y.txt", "y");
        write(root, "files/Web.Config", "<configuration />");
        write(root, "denied/a.txt", "a");
        write(root, "short/report.pdf", "%PDF");
        Files.createDirectories(root.resolve("short/folder.d"));
        site = LoopbackSite.serving(
                root,
                "",
                "<directoryBrowse enabled=\"true\" />",
                "denied",
                "<directoryBrowse enabled=\"false\" />",
                "short",
                "<directoryBrowse showFlags=\"Date, Time\" />");
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
    void enabledListingIsHtmlWithDirectoriesFirstSortedByName() throws Exception {
        HttpResponse<byte[]> response = site.get("/files/");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        String html = text(response);
        assertThat(html).contains("[To Parent Directory]").contains("href=\"/\"");
        int adir = html.indexOf("href=\"/files/adir/\"");
        int zdir = html.indexOf("href=\"/files/zdir/\"");
        int a = html.indexOf("href=\"/files/A.txt\"");
        int b = html.indexOf("href=\"/files/b.txt\"");
        assertThat(adir).isPositive();
        assertThat(zdir).isGreaterThan(adir);
        assertThat(a).isGreaterThan(zdir);
        assertThat(b).isGreaterThan(a);
        assertThat(html).contains("&lt;dir&gt;");
        assertThat(html).containsPattern("\\s2 <a href=\"/files/b.txt\">b.txt</a>");
    }

    @Test
    void hostileNamesAreEscapedAndLinksPercentEncoded() throws Exception {
        String html = text(site.get("/files/"));
        assertThat(html).doesNotContain("<img");
        assertThat(html).contains("&lt;img src=x onerror=alert(1)&gt;.txt");
        assertThat(html).contains("href=\"/files/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt\"");
        assertThat(html).contains("href=\"/files/a%20b.txt\"").contains(">a b.txt</a>");
    }

    @Test
    void webConfigIsNotListed() throws Exception {
        assertThat(text(site.get("/files/")).toLowerCase()).doesNotContain("web.config");
        assertThat(text(site.get("/")).toLowerCase()).doesNotContain("web.config");
    }

    @Test
    void siteRootHasNoParentLink() throws Exception {
        HttpResponse<byte[]> response = site.get("/");
        assertThat(response.statusCode()).isEqualTo(200);
        String html = text(response);
        assertThat(html).doesNotContain("[To Parent Directory]");
        assertThat(html).contains("href=\"/files/\"").contains("href=\"/top.txt\"");
    }

    @Test
    void listedLinksLeadToTheFiles() throws Exception {
        assertThat(text(site.get("/files/a%20b.txt"))).isEqualTo("space");
        assertThat(text(site.get("/files/zdir/")))
                .contains("href=\"/files/zdir/x.txt\"")
                .contains("href=\"/files/\"");
    }

    @Test
    void showFlagsWithoutExtensionOrSizeHideThem() throws Exception {
        String html = text(site.get("/short/"));
        assertThat(html).contains("href=\"/short/report.pdf\">report</a>");
        assertThat(html).contains("href=\"/short/folder.d/\">folder.d</a>");
        assertThat(html).doesNotContain("&lt;dir&gt;").doesNotContain(" 4 <a");
    }

    @Test
    void disabledBrowsingIs403_14() throws Exception {
        HttpResponse<byte[]> response = site.get("/denied/");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(text(response)).doesNotContain("a.txt");
    }
}
