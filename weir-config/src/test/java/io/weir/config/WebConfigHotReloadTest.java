package io.weir.config;

import static io.weir.config.WebConfigSites.appHost;
import static io.weir.config.WebConfigSites.folder;
import static io.weir.config.WebConfigSites.values;
import static io.weir.config.WebConfigSites.webConfig;
import static io.weir.config.WebConfigSites.write;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of web.config files: a web.config read valid and then edited into a bad
 * state keeps its last good version in force, and the refusal is logged once per file version;
 * one bad the first time it is read gives 500.19; a valid edit after a bad one applies; deleting
 * the file is a valid edit. Real files in a temporary site folder; edits are applied with
 * {@link ApplicationHostConfig#invalidate}, as the watcher does.
 */
class WebConfigHotReloadTest {

    private static final String DIR = "system.webServer/directoryBrowse";
    private static final String STATIC = "system.webServer/staticContent";
    private static final String BROWSE_ON =
            "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n";
    private static final String BROWSE_OFF =
            "<system.webServer><directoryBrowse enabled=\"false\" /></system.webServer>\n";

    @TempDir
    Path temp;

    Path root;
    Path a;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Logger logger;

    @BeforeEach
    void site() {
        root = folder(temp, "www");
        a = folder(root, "a");
        logger = (Logger) LoggerFactory.getLogger(ConfigTree.class);
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(log);
    }

    private List<String> warnings() {
        return log.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private List<String> errors() {
        return log.list.stream()
                .filter(e -> e.getLevel() == Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static String browse(EffectiveConfig config) {
        return config.section(DIR).attribute("enabled").orElseThrow();
    }

    /** Malformed XML after a good version: the good version keeps serving; one WARN line per file version. */
    @Test
    void aMalformedEditKeepsTheLastGoodVersionAndIsLoggedOncePerVersion() throws IOException {
        Path file = webConfig(a, BROWSE_ON);
        ApplicationHostConfig config = appHost(root, "", "");
        EffectiveConfig sibling = config.effectiveConfig("S", "/other.html");
        assertThat(browse(config.effectiveConfig("S", "/a/x.html"))).isEqualTo("true");

        Files.writeString(
                file,
                "<configuration>\n<system.webServer>\n  <directoryBrowse enabled=\"false\" />\n</configuration>\n");
        assertThat(config.invalidate(file)).isTrue();
        EffectiveConfig after = config.effectiveConfig("S", "/a/x.html");
        assertThat(after.error()).isEmpty();
        assertThat(browse(after)).isEqualTo("true");
        assertThat(after).isSameAs(config.effectiveConfig("S", "/a/y.html"));
        assertThat(config.effectiveConfig("S", "/other.html")).isSameAs(sibling);
        assertThat(warnings()).singleElement().satisfies(w -> {
            assertThat(w)
                    .startsWith("web.config " + file + ":2:1 refused: malformed XML: the element <system.webServer>"
                            + " opened here is never closed");
            assertThat(w).endsWith("its last good version keeps serving S/a");
        });
        assertThat(errors()).isEmpty();

        // the same bytes again (a touch, a new sub-folder dropping the node): not logged again
        config.invalidate(file);
        assertThat(browse(config.effectiveConfig("S", "/a/x.html"))).isEqualTo("true");
        assertThat(warnings()).hasSize(1);

        // another bad version is logged
        Files.writeString(file, "<configuration>\n<system.webServer>\n</configuration>\n");
        config.invalidate(file);
        assertThat(browse(config.effectiveConfig("S", "/a/x.html"))).isEqualTo("true");
        assertThat(warnings()).hasSize(2);
    }

    /** A bad value and an unknown attribute (refused by the schema when merged) fall back too. */
    @Test
    void aBadValueOrUnknownAttributeFallsBack() throws IOException {
        Path file = webConfig(a, BROWSE_ON);
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(browse(config.effectiveConfig("S", "/a/"))).isEqualTo("true");

        webConfig(a, "<system.webServer>\n<directoryBrowse enabled=\"yes\" />\n</system.webServer>\n");
        config.invalidate(file);
        assertThat(config.effectiveConfig("S", "/a/").error()).isEmpty();
        assertThat(browse(config.effectiveConfig("S", "/a/"))).isEqualTo("true");

        webConfig(
                a, "<system.webServer>\n<directoryBrowse enabled=\"false\" colour=\"blue\" />\n</system.webServer>\n");
        config.invalidate(file);
        assertThat(browse(config.effectiveConfig("S", "/a/"))).isEqualTo("true");
        assertThat(warnings()).hasSize(2);
        assertThat(warnings().get(0)).contains(file + ":3:").contains("'yes'");
        assertThat(warnings().get(1)).contains(file + ":3:").contains("colour");
    }

    /** A lock violation shows only when the file is merged with applicationHost.config: it falls back as well. */
    @Test
    void aLockViolationFallsBack() {
        Path file = webConfig(a, BROWSE_ON);
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(browse(config.effectiveConfig("S", "/a/x"))).isEqualTo("true");

        webConfig(
                a,
                BROWSE_OFF
                        + "<system.webServer>\n<security><authentication><anonymousAuthentication enabled=\"false\" />"
                        + "</authentication></security>\n</system.webServer>\n");
        config.invalidate(file);
        EffectiveConfig after = config.effectiveConfig("S", "/a/x");
        assertThat(after.error()).isEmpty();
        assertThat(browse(after)).isEqualTo("true");
        assertThat(warnings()).singleElement().asString().contains(file + ":4:").contains("locked by default");
    }

    /**
     * The file is checked as a whole: an edit whose error shows only below a deeper location of
     * applicationHost.config (here one that locks directoryBrowse for /a/locked) is refused for
     * every URL under the folder, not applied to some and failed for others.
     */
    @Test
    void anEditThatFailsOnlyAtADeeperPathIsRefusedAsAWhole() {
        Path file = webConfig(a, "<system.webServer><defaultDocument enabled=\"false\" /></system.webServer>\n");
        folder(a, "locked");
        ApplicationHostConfig config = appHost(root, "", """
                <location path="S/a/locked" overrideMode="Deny">
                  <system.webServer><directoryBrowse enabled="false" /></system.webServer>
                </location>
                """);
        assertThat(browse(config.effectiveConfig("S", "/a/x"))).isEqualTo("false");
        assertThat(config.effectiveConfig("S", "/a/locked/x").error()).isEmpty();

        webConfig(a, BROWSE_ON);
        config.invalidate(file);
        assertThat(config.effectiveConfig("S", "/a/x").error()).isEmpty();
        assertThat(browse(config.effectiveConfig("S", "/a/x"))).isEqualTo("false");
        assertThat(config.effectiveConfig("S", "/a/locked/x").error()).isEmpty();
        assertThat(config.effectiveConfig("S", "/a/x")
                        .section("system.webServer/defaultDocument")
                        .attribute("enabled"))
                .contains("false");
        assertThat(warnings()).singleElement().asString().contains("locked by overrideMode=\"Deny\"");
    }

    /** A bad configSource (its file malformed, or a missing file named) falls back to the version that read it. */
    @Test
    void aBadConfigSourceFallsBack() throws IOException {
        Path mime = write(
                a.resolve("mime.config"),
                "<staticContent><mimeMap fileExtension=\".md\" mimeType=\"text/markdown\" /></staticContent>\n");
        Path file =
                webConfig(a, "<system.webServer><staticContent configSource=\"mime.config\" /></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(values(config.effectiveConfig("S", "/a/x.md"), STATIC, null, "mimeType"))
                .contains("text/markdown");
        assertThat(config.consultedFiles()).contains(mime);

        Files.writeString(
                mime, "<staticContent><mimeMap fileExtension=\".md\" mimeType=\"text/x-md\" >\n</staticContent>\n");
        assertThat(config.invalidate(mime)).isTrue();
        assertThat(config.effectiveConfig("S", "/a/x.md").error()).isEmpty();
        assertThat(values(config.effectiveConfig("S", "/a/x.md"), STATIC, null, "mimeType"))
                .contains("text/markdown");
        assertThat(warnings())
                .singleElement()
                .asString()
                .contains(mime.toString())
                .contains("malformed XML");

        webConfig(a, "<system.webServer><staticContent configSource=\"missing.config\" /></system.webServer>\n");
        config.invalidate(file);
        assertThat(values(config.effectiveConfig("S", "/a/x.md"), STATIC, null, "mimeType"))
                .contains("text/markdown");
        assertThat(warnings()).hasSize(2).last().asString().contains("missing.config");
        // the refused version's configSource file is watched too, so that creating it is picked up
        assertThat(config.consultedFiles()).contains(a.resolve("missing.config"));

        write(
                a.resolve("missing.config"),
                "<staticContent><mimeMap fileExtension=\".md\" mimeType=\"text/plain\" /></staticContent>\n");
        assertThat(config.invalidate(a.resolve("missing.config"))).isTrue();
        assertThat(values(config.effectiveConfig("S", "/a/x.md"), STATIC, null, "mimeType"))
                .contains("text/plain");
    }

    /** IIS's behaviour when there is nothing good to fall back on: 500.19 for the URLs under the file. */
    @Test
    void aWebConfigBadTheFirstTimeItIsReadGives500Point19() {
        webConfig(a, "<system.webServer>\n<directoryBrowse enabled=\"yes\" />\n</system.webServer>\n");
        Path b = folder(root, "b");
        webConfig(b, "<system.webServer>\n<handlers><clear /></handlers>\n</system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(config.effectiveConfig("S", "/a/x").error())
                .hasValueSatisfying(e -> assertThat(e.source().file())
                        .isEqualTo(a.resolve("web.config").toString()));
        assertThat(config.effectiveConfig("S", "/b/x").error())
                .hasValueSatisfying(e -> assertThat(e.reason()).contains("locked by default"));
        assertThat(config.effectiveConfig("S", "/c").error()).isEmpty();
        assertThat(warnings()).isEmpty();
        assertThat(errors()).hasSize(2).allSatisfy(e -> assertThat(e).contains("get 500.19"));
    }

    /** good → bad → good → bad: the valid edit applies, and the next bad one falls back to it, not to the first. */
    @Test
    void aValidEditAfterABadOneAppliesAndBecomesTheLastGood() throws IOException {
        Path file = webConfig(a, BROWSE_ON);
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(browse(config.effectiveConfig("S", "/a/x"))).isEqualTo("true");
        Files.writeString(file, "<configuration><oops></configuration>");
        config.invalidate(file);
        assertThat(browse(config.effectiveConfig("S", "/a/x"))).isEqualTo("true");

        webConfig(a, BROWSE_OFF);
        config.invalidate(file);
        assertThat(browse(config.effectiveConfig("S", "/a/x"))).isEqualTo("false");

        Files.writeString(file, "<configuration><oops></configuration>");
        config.invalidate(file);
        assertThat(config.effectiveConfig("S", "/a/x").error()).isEmpty();
        assertThat(browse(config.effectiveConfig("S", "/a/x"))).isEqualTo("false");
        // the same bad bytes as before, but after a good version: a new refusal, reported again
        assertThat(warnings()).hasSize(2);
        config.invalidate(file);
        assertThat(browse(config.effectiveConfig("S", "/a/x"))).isEqualTo("false");
        assertThat(warnings()).hasSize(2);
    }

    /** Deleting a web.config is a valid edit: its settings go away; a file created bad afterwards is new (500.19). */
    @Test
    void deletingIsAValidEditAndForgetsTheLastGoodVersion() throws IOException {
        Path file = webConfig(a, BROWSE_ON);
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(browse(config.effectiveConfig("S", "/a/x"))).isEqualTo("true");

        Files.delete(file);
        config.invalidate(file);
        assertThat(config.effectiveConfig("S", "/a/x").error()).isEmpty();
        assertThat(browse(config.effectiveConfig("S", "/a/x"))).isEqualTo("false");

        Files.writeString(file, "<configuration><oops></configuration>");
        config.invalidate(file);
        assertThat(config.effectiveConfig("S", "/a/x").error()).isPresent();
        assertThat(warnings()).isEmpty();
    }

    /** A parent edit that locks what the child's last good version sets: nothing valid to fall back on, 500.19. */
    @Test
    void aLastGoodVersionThatNoLongerMergesGives500Point19() throws IOException {
        Path parent = webConfig(root, "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        Path child = webConfig(a, "<system.webServer>\n<directoryBrowse showFlags=\"Date\" />\n</system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(config.effectiveConfig("S", "/a/x").section(DIR).attribute("showFlags"))
                .contains("Date");

        // the child goes bad: its last good version serves
        Files.writeString(child, "<configuration><oops></configuration>");
        config.invalidate(child);
        assertThat(config.effectiveConfig("S", "/a/x").section(DIR).attribute("showFlags"))
                .contains("Date");

        // the parent (valid edit) now locks showFlags: the child's last good version breaks the lock too
        webConfig(
                root,
                "<system.webServer><directoryBrowse enabled=\"true\" lockAttributes=\"showFlags\" />"
                        + "</system.webServer>\n");
        config.invalidate(parent);
        assertThat(config.effectiveConfig("S", "/x").error()).isEmpty();
        assertThat(config.effectiveConfig("S", "/a/x").error())
                .hasValueSatisfying(e -> assertThat(e.source().file()).isEqualTo(child.toString()));
    }

    /** A bad parent falls back while its child's own settings keep merging over the parent's last good version. */
    @Test
    void aChildMergesOverItsParentsLastGoodVersion() throws IOException {
        Path parent = webConfig(
                root,
                "<system.webServer><staticContent><mimeMap fileExtension=\".md\" mimeType=\"text/markdown\" />"
                        + "</staticContent></system.webServer>\n");
        webConfig(
                a,
                "<system.webServer><staticContent><mimeMap fileExtension=\".adoc\" mimeType=\"text/asciidoc\" />"
                        + "</staticContent></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(values(config.effectiveConfig("S", "/a/x"), STATIC, null, "fileExtension"))
                .containsExactly(".md", ".adoc");

        Files.writeString(
                parent,
                "<configuration>\n<system.webServer><staticContent><mimeMap fileExtension=\".md\" /></staticContent>"
                        + "</system.webServer></configuration>\n");
        config.invalidate(parent);
        assertThat(config.effectiveConfig("S", "/a/x").error()).isEmpty();
        assertThat(values(config.effectiveConfig("S", "/a/x"), STATIC, null, "fileExtension"))
                .containsExactly(".md", ".adoc");
        assertThat(warnings()).singleElement().asString().contains("mimeType");
    }

    /** The last good versions survive an applicationHost.config reload through withWebConfigHistoryOf. */
    @Test
    void theLastGoodVersionSurvivesAnApplicationHostReload() throws IOException {
        Path file = webConfig(a, BROWSE_ON);
        ApplicationHostConfig before = appHost(root, "", "");
        assertThat(browse(before.effectiveConfig("S", "/a/x"))).isEqualTo("true");
        Files.writeString(file, "<configuration><oops></configuration>");
        before.invalidate(file);
        assertThat(browse(before.effectiveConfig("S", "/a/x"))).isEqualTo("true");

        ApplicationHostConfig reloaded = appHost(root, "", "");
        assertThat(reloaded.effectiveConfig("S", "/a/x").error())
                .as("a new snapshot without the history")
                .isPresent();
        ApplicationHostConfig continued = appHost(root, "", "").withWebConfigHistoryOf(before);
        assertThat(continued.effectiveConfig("S", "/a/x").error()).isEmpty();
        assertThat(browse(continued.effectiveConfig("S", "/a/x"))).isEqualTo("true");
        assertThat(warnings()).hasSize(1);
    }

    /** A sub-folder (and its web.config) created after its parent was listed is picked up once invalidated. */
    @Test
    void aSubFolderCreatedAfterStartIsPickedUp() {
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(browse(config.effectiveConfig("S", "/a/new/x"))).isEqualTo("false");
        Path created = folder(a, "new");
        assertThat(config.invalidate(created)).isTrue();
        Path file = webConfig(created, BROWSE_ON);
        config.invalidate(file);
        assertThat(browse(config.effectiveConfig("S", "/a/new/x"))).isEqualTo("true");
    }
}
