package io.weir.config;

import static io.weir.config.WebConfigSites.appHost;
import static io.weir.config.WebConfigSites.folder;
import static io.weir.config.WebConfigSites.values;
import static io.weir.config.WebConfigSites.webConfig;
import static io.weir.config.WebConfigSites.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.config.ConfigElement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * web.config levels and how they merge (docs/reference/configuration-system.md, "Files and levels", "Locations", "Merging attributes and collections"), with real
 * files in a temporary site folder.
 */
class WebConfigMergeTest {

    private static final String DIR = "system.webServer/directoryBrowse";
    private static final String STATIC = "system.webServer/staticContent";
    private static final String DEFDOC = "system.webServer/defaultDocument";

    @TempDir
    Path temp;

    Path root;

    @BeforeEach
    void site() {
        root = folder(temp, "www");
    }

    /** "Files and levels": the web.config in the site's root folder applies to every URL of the site. */
    @Test
    void theSiteRootWebConfigAppliesToEveryUrl() {
        webConfig(root, "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(config.effectiveConfig("S", "/").section(DIR).attribute("enabled"))
                .contains("true");
        assertThat(config.effectiveConfig("S", "/no/such/file.txt").section(DIR).attribute("enabled"))
                .contains("true");
        assertThat(config.appHostConfig("S", "/").section(DIR).attribute("enabled"))
                .contains("false");
    }

    /** "Merging attributes and collections": an attribute set lower replaces the inherited one; unset attributes inherit. */
    @Test
    void aSubFolderWebConfigOverridesAttributesAndInheritsTheRest() {
        webConfig(
                root, "<system.webServer><directoryBrowse enabled=\"true\" showFlags=\"Date\" /></system.webServer>\n");
        webConfig(folder(root, "sub"), "<system.webServer><directoryBrowse enabled=\"false\" /></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        ConfigElement sub = config.effectiveConfig("S", "/sub/x.html").section(DIR);
        assertThat(sub.attribute("enabled")).contains("false");
        assertThat(sub.attribute("showFlags")).contains("Date");
        assertThat(sub.attributeSource("enabled").file()).endsWith("sub/web.config");
        assertThat(config.effectiveConfig("S", "/other").section(DIR).attribute("enabled"))
                .contains("true");
    }

    /** "Merging attributes and collections": add, remove and clear work across applicationHost.config and every web.config level. */
    @Test
    void addRemoveAndClearWorkAcrossFiles() {
        webConfig(root, """
                <system.webServer><staticContent>
                  <remove fileExtension=".css" /><mimeMap fileExtension=".css" mimeType="text/css; charset=utf-8" />
                  <mimeMap fileExtension=".webp" mimeType="image/webp" />
                </staticContent></system.webServer>
                """);
        webConfig(
                folder(root, "a"),
                "<system.webServer><staticContent><remove fileExtension=\".webp\" />"
                        + "</staticContent></system.webServer>\n");
        webConfig(
                folder(root, "a/b"),
                "<system.webServer><staticContent><clear />"
                        + "<mimeMap fileExtension=\".txt\" mimeType=\"text/plain\" /></staticContent></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <system.webServer><staticContent><mimeMap fileExtension=".css" mimeType="text/css" />
                <mimeMap fileExtension=".htm" mimeType="text/html" /></staticContent></system.webServer>
                """);
        assertThat(values(config.effectiveConfig("S", "/"), STATIC, null, "fileExtension"))
                .containsExactly(".htm", ".css", ".webp");
        assertThat(values(config.effectiveConfig("S", "/"), STATIC, null, "mimeType"))
                .containsExactly("text/html", "text/css; charset=utf-8", "image/webp");
        assertThat(values(config.effectiveConfig("S", "/a/"), STATIC, null, "fileExtension"))
                .containsExactly(".htm", ".css");
        assertThat(values(config.effectiveConfig("S", "/a/b/c.txt"), STATIC, null, "fileExtension"))
                .containsExactly(".txt");
    }

    /** "Merging attributes and collections": defaultDocument/files is mergeAppend="false": a level's own entries come first. */
    @Test
    void prependCollectionsPutTheLevelsOwnEntriesFirst() {
        webConfig(
                root,
                "<system.webServer><defaultDocument><files><add value=\"home.htm\" /></files>"
                        + "</defaultDocument></system.webServer>\n");
        webConfig(
                folder(root, "docs"),
                "<system.webServer><defaultDocument><files><add value=\"readme.htm\" />"
                        + "</files></defaultDocument></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <system.webServer><defaultDocument><files><add value="index.html" /></files></defaultDocument>
                <staticContent><mimeMap fileExtension=".a" mimeType="a/a" /></staticContent></system.webServer>
                """);
        assertThat(values(config.effectiveConfig("S", "/docs/"), DEFDOC, "files", "value"))
                .containsExactly("readme.htm", "home.htm", "index.html");
        assertThat(values(config.effectiveConfig("S", "/"), DEFDOC, "files", "value"))
                .containsExactly("home.htm", "index.html");
    }

    /** "Locations": a location in a web.config is relative to its folder, and may name a single file. */
    @Test
    void locationsInAWebConfigAreRelativeToItsFolder() {
        webConfig(folder(root, "app"), """
                <location path="images/avatars"><system.webServer><directoryBrowse enabled="true" />
                </system.webServer></location>
                <location path="page.html"><system.webServer><directoryBrowse showFlags="Size" />
                </system.webServer></location>
                """);
        folder(root, "app/images/avatars");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(config.effectiveConfig("S", "/app/images/avatars/x.png")
                        .section(DIR)
                        .attribute("enabled"))
                .contains("true");
        assertThat(config.effectiveConfig("S", "/app/images/y.png").section(DIR).attribute("enabled"))
                .contains("false");
        assertThat(config.effectiveConfig("S", "/app/page.html").section(DIR).attribute("showFlags"))
                .contains("Size");
        assertThat(config.effectiveConfig("S", "/app/other.html").section(DIR).attribute("showFlags"))
                .contains("Date, Time, Size, Extension");
        assertThat(config.effectiveConfig("S", "/images/avatars/x.png")
                        .section(DIR)
                        .attribute("enabled"))
                .contains("false");
    }

    /** "Files and levels", "Locations": files merge in order, applicationHost.config (with its locations) before any web.config. */
    @Test
    void applicationHostLocationsComeBeforeWebConfigFiles() {
        webConfig(root, "<system.webServer><directoryBrowse enabled=\"false\" /></system.webServer>\n");
        folder(root, "pub");
        ApplicationHostConfig config = appHost(root, "", """
                <location path="S/pub"><system.webServer><directoryBrowse enabled="true" showFlags="Time" />
                </system.webServer></location>
                """);
        ConfigElement pub = config.effectiveConfig("S", "/pub/").section(DIR);
        assertThat(pub.attribute("enabled")).contains("false");
        assertThat(pub.attribute("showFlags")).contains("Time");
    }

    /** "Files and levels": configSource moves a web.config section to a file beside it. */
    @Test
    void configSourceReadsTheSectionFromAnotherFile() {
        webConfig(root, "<system.webServer><staticContent configSource=\"mime.config\" /></system.webServer>\n");
        Path mime = write(
                root.resolve("mime.config"),
                "<staticContent>\n  <mimeMap fileExtension=\".md\" mimeType=\"text/markdown\" />\n</staticContent>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        ConfigElement staticContent = config.effectiveConfig("S", "/").section(STATIC);
        assertThat(values(config.effectiveConfig("S", "/"), STATIC, null, "mimeType"))
                .containsExactly("text/markdown");
        assertThat(staticContent.collection().get(0).source().file()).isEqualTo(mime.toString());
        assertThat(staticContent.collection().get(0).source().line()).isEqualTo(2);
        assertThat(config.consultedFiles()).contains(mime);
    }

    /** "Files and levels": the configSource file must be in the folder of the including file or below it. */
    @Test
    void configSourceMayNotClimbOutOfTheFolder() {
        webConfig(
                folder(root, "a"),
                "<system.webServer><staticContent configSource=\"..\\mime.config\" />" + "</system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(config.effectiveConfig("S", "/a/x").error()).hasValueSatisfying(e -> {
            assertThat(e.reason()).contains("configSource", "relative path");
            assertThat(e.source().line()).isEqualTo(2);
        });
        assertThat(config.effectiveConfig("S", "/").error()).isEmpty();
    }

    /** "Locations": inheritInChildApplications="false" keeps a location's settings out of child applications. */
    @Test
    void inheritInChildApplicationsFalseStopsAtChildApplications() throws IOException {
        Path child = folder(temp, "childapp");
        webConfig(root, """
                <location path="." inheritInChildApplications="false"><system.webServer>
                <directoryBrowse enabled="true" /></system.webServer></location>
                """);
        folder(root, "plain");
        ApplicationHostConfig config = appHost(
                root,
                "<application path=\"/child\"><virtualDirectory path=\"/\"" + " physicalPath=\"" + child
                        + "\" /></application>",
                "");
        assertThat(config.effectiveConfig("S", "/plain/x").section(DIR).attribute("enabled"))
                .contains("true");
        assertThat(config.effectiveConfig("S", "/child/x").section(DIR).attribute("enabled"))
                .contains("false");
    }

    /** "Files and levels": a web.config applies through child applications and virtual directories, which map elsewhere. */
    @Test
    void virtualDirectoriesAndChildApplicationsReadTheirOwnFolders() {
        Path vdir = folder(temp, "elsewhere");
        webConfig(root, "<system.webServer><directoryBrowse showFlags=\"Date\" /></system.webServer>\n");
        webConfig(vdir, "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        ApplicationHostConfig config = appHost(
                root,
                "<application path=\"/v\"><virtualDirectory path=\"/\"" + " physicalPath=\"" + vdir
                        + "\" /></application>",
                "");
        ConfigElement v = config.effectiveConfig("S", "/v/x.html").section(DIR);
        assertThat(v.attribute("enabled")).contains("true");
        assertThat(v.attribute("showFlags")).contains("Date");
    }

    /** "Sites and bindings": allowSubDirConfig="false" on a virtual directory: no web.config below its root folder. */
    @Test
    void allowSubDirConfigFalseStopsTheSearchBelowTheVirtualDirectory() {
        Path vdir = folder(temp, "nosub");
        webConfig(vdir, "<system.webServer><directoryBrowse showFlags=\"Time\" /></system.webServer>\n");
        webConfig(folder(vdir, "deep"), "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        ApplicationHostConfig config = appHost(
                root,
                "<application path=\"/n\"><virtualDirectory path=\"/\"" + " physicalPath=\"" + vdir
                        + "\" allowSubDirConfig=\"false\" /></application>",
                "");
        ConfigElement deep = config.effectiveConfig("S", "/n/deep/x").section(DIR);
        assertThat(deep.attribute("showFlags")).contains("Time");
        assertThat(deep.attribute("enabled")).contains("false");
    }

    /** Canonical instances: the same levels give the same instance; a folder without web.config shares its parent's. */
    @Test
    void effectiveConfigsAreCanonical() {
        webConfig(root, "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        folder(root, "a/b");
        ApplicationHostConfig config = appHost(root, "", "");
        EffectiveConfig top = config.effectiveConfig("S", "/");
        assertThat(config.effectiveConfig("S", "/a/b/c.html")).isSameAs(top);
        assertThat(config.effectiveConfig("S", "/missing/x")).isSameAs(top);
        assertThat(config.effectiveConfig("S", "/a")).isSameAs(config.effectiveConfig("S", "/a/"));
    }

    /** The cache: absent files are listed for watching; invalidate drops exactly what a change affects. */
    @Test
    void invalidateDropsWhatAChangedFileAffects() {
        Path a = folder(root, "a");
        Path b = folder(root, "b");
        ApplicationHostConfig config = appHost(root, "", "");
        EffectiveConfig before = config.effectiveConfig("S", "/a/x");
        EffectiveConfig other = config.effectiveConfig("S", "/b/x");
        assertThat(before.section(DIR).attribute("enabled")).contains("false");
        assertThat(config.consultedFiles())
                .contains(root.resolve("web.config"), a.resolve("web.config"), b.resolve("web.config"));

        webConfig(a, "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        assertThat(config.effectiveConfig("S", "/a/x").section(DIR).attribute("enabled"))
                .contains("false");
        assertThat(config.invalidate(a.resolve("web.config"))).isTrue();
        assertThat(config.effectiveConfig("S", "/a/x").section(DIR).attribute("enabled"))
                .contains("true");
        assertThat(config.effectiveConfig("S", "/b/x")).isSameAs(other);
        assertThat(config.invalidate(temp.resolve("unrelated.txt"))).isFalse();

        Path c = folder(root, "c");
        webConfig(c, "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        assertThat(config.effectiveConfig("S", "/c/x").section(DIR).attribute("enabled"))
                .contains("false");
        assertThat(config.invalidate(c.resolve("web.config"))).isTrue();
        assertThat(config.effectiveConfig("S", "/c/x").section(DIR).attribute("enabled"))
                .contains("true");
    }

    /** "Files and levels": an error in one web.config (here malformed XML) fails only the URLs it governs. */
    @Test
    void aMalformedWebConfigFailsOnlyItsFolder() throws IOException {
        Path bad = folder(root, "bad");
        Files.writeString(bad.resolve("web.config"), "<configuration>\n<system.webServer>\n</configuration>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        EffectiveConfig failed = config.effectiveConfig("S", "/bad/deeper/x.html");
        assertThat(failed.error()).hasValueSatisfying(e -> {
            assertThat(e.source().file()).isEqualTo(bad.resolve("web.config").toString());
            // the element left open (line 2), not the end tag where the parser gave up (line 3)
            assertThat(e.source().line()).isEqualTo(2);
            assertThat(e.reason())
                    .startsWith("malformed XML: the element <system.webServer> opened here is never closed");
        });
        assertThat(failed.section(DIR).attribute("enabled")).contains("false");
        assertThat(config.effectiveConfig("S", "/good.html").error()).isEmpty();
    }

    /** "Declaring sections": sections of the .NET machine.config (system.web, appSettings) load and are ignored. */
    @Test
    void dotNetSectionsAreAcceptedAndIgnored() {
        webConfig(root, """
                <appSettings><add key="a" value="b" /></appSettings>
                <system.web><compilation debug="true" /></system.web>
                <system.webServer><directoryBrowse enabled="true" /></system.webServer>
                """);
        ApplicationHostConfig config = appHost(root, "", "");
        EffectiveConfig effective = config.effectiveConfig("S", "/");
        assertThat(effective.error()).isEmpty();
        assertThat(effective.section(DIR).attribute("enabled")).contains("true");
    }
}
