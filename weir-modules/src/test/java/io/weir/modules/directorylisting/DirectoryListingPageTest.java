package io.weir.modules.directorylisting;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.directorylisting.DirectoryListingSection.ShowFlag;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing page's layout, escaping and columns, rendered from a real directory. */
class DirectoryListingPageTest {

    @TempDir
    Path directory;

    private String render(String urlPath, EnumSet<ShowFlag> flags) throws Exception {
        return new String(
                DirectoryListingPage.render(directory, urlPath, "example.test", flags, ZoneOffset.UTC),
                StandardCharsets.UTF_8);
    }

    @Test
    void listsDirectoriesFirstWithIisColumns() throws Exception {
        Files.writeString(directory.resolve("notes.txt"), "12345");
        Files.createDirectory(directory.resolve("docs"));
        Instant when = Instant.parse("2024-03-01T15:04:00Z");
        Files.setLastModifiedTime(directory.resolve("notes.txt"), FileTime.from(when));
        Files.setLastModifiedTime(directory.resolve("docs"), FileTime.from(when));

        String html = render("/a/b/", EnumSet.copyOf(DirectoryListingSection.DEFAULT_FLAGS));
        assertThat(html).contains("<title>example.test - /a/b/</title>");
        assertThat(html).contains("<a href=\"/a/\">[To Parent Directory]</a>");
        assertThat(html).contains(" 3/1/2024  3:04 PM        &lt;dir&gt; <a href=\"/a/b/docs/\">docs</a><br>");
        assertThat(html).contains(" 3/1/2024  3:04 PM            5 <a href=\"/a/b/notes.txt\">notes.txt</a><br>");
        assertThat(html.indexOf("docs/")).isLessThan(html.indexOf("notes.txt"));
    }

    @Test
    void longDateAndNoExtension() throws Exception {
        Files.writeString(directory.resolve("report.final.pdf"), "x");
        Files.setLastModifiedTime(
                directory.resolve("report.final.pdf"), FileTime.from(Instant.parse("2024-03-01T15:04:00Z")));
        String html = render("/", EnumSet.of(ShowFlag.LongDate));
        assertThat(html).contains("Friday, March 1, 2024 <a href=\"/report.final.pdf\">report.final</a>");
        assertThat(html).doesNotContain("[To Parent Directory]").doesNotContain("PM");
    }

    @Test
    void escapesNamesAndEncodesLinks() throws Exception {
        Files.writeString(directory.resolve("<b onclick='x'>&\".txt"), "x");
        Files.writeString(directory.resolve("Ünïcode name.txt"), "x");
        Files.writeString(directory.resolve("WEB.CONFIG"), "x");
        String html = render("/d d/", EnumSet.of(ShowFlag.Extension));
        assertThat(html).contains("&lt;b onclick=&#39;x&#39;&gt;&amp;&quot;.txt</a>");
        assertThat(html).contains("href=\"/d%20d/%3Cb%20onclick%3D%27x%27%3E%26%22.txt\"");
        assertThat(html).contains("href=\"/d%20d/%C3%9Cn%C3%AFcode%20name.txt\">Ünïcode name.txt</a>");
        assertThat(html).contains("<title>example.test - /d d/</title>");
        assertThat(html.toLowerCase()).doesNotContain("web.config");
    }
}
