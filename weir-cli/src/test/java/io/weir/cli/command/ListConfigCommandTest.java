package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.CommandRun;
import io.weir.cli.ConfigFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir list config}: effective values of a URL with the file and line each comes from. */
class ListConfigCommandTest {

    @TempDir
    Path temp;

    /**
     * The embedded default with a known {@code <modules>} list and no {@code httpRedirect} section
     * (so the tests do not depend on what else the default enables), plus a location that changes
     * directoryBrowse and the module list under /files.
     */
    private Path config() throws IOException {
        Path config = ConfigFiles.write(temp, ConfigFiles.embeddedDefault());
        Files.writeString(
                config,
                Files.readString(config)
                        .replaceFirst("(?ms)^[ \\t]*<modules>.*?</modules>", """
                        <modules>
                                <add name="DefaultDocumentModule" />
                                <add name="DirectoryListingModule" />
                                <add name="StaticFileModule" />
                                <add name="RequestFilteringModule" />
                              </modules>""")
                        .replaceAll("<httpRedirect [^>]*/>", "")
                        .replace("</configuration>", """
                  <location path="Default Web Site/files">
                    <system.webServer>
                      <directoryBrowse showFlags="Date" />
                      <modules>
                        <remove name="DefaultDocumentModule" />
                        <add name="DefaultDocumentModule" />
                      </modules>
                    </system.webServer>
                  </location>
                </configuration>
                """));
        return config;
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    private static int lastLineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    @Test
    void eachAttributeNamesTheLevelItsValueComesFrom() throws IOException {
        Path config = config();

        CommandRun run = CommandRun.of(
                "list", "config", "/files/a.txt", "--section", "directoryBrowse", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Effective configuration of \"Default Web Site\" /files/a.txt in ")
                .containsPattern("  enabled=\"false\"\\s+\\S*applicationHost\\.config:"
                        + lineOf(config, "<directoryBrowse enabled=\"false\"") + ":22")
                .containsPattern("  showFlags=\"Date\"\\s+\\S*applicationHost\\.config:"
                        + lineOf(config, "showFlags=\"Date\"") + ":\\d+");
    }

    @Test
    void collectionsComeInEffectiveOrder() throws IOException {
        Path config = config();

        CommandRun files = CommandRun.of(
                "list", "config", "Default Web Site/files", "--section", "modules", "--config", config.toString());
        CommandRun root =
                CommandRun.of("list", "config", "--section", "system.webServer/modules", "--config", config.toString());

        assertThat(names(files.out()))
                .containsExactly(
                        "DirectoryListingModule",
                        "StaticFileModule",
                        "RequestFilteringModule",
                        "DefaultDocumentModule");
        assertThat(files.out())
                .as("the re-added entry comes from the location")
                .containsPattern("<add name=\"DefaultDocumentModule\" />\\s+\\S*applicationHost\\.config:"
                        + lastLineOf(config, "<add name=\"DefaultDocumentModule\" />") + ":");
        assertThat(names(root.out()))
                .containsExactly(
                        "DefaultDocumentModule",
                        "DirectoryListingModule",
                        "StaticFileModule",
                        "RequestFilteringModule");
        assertThat(root.out()).contains("Effective configuration of \"Default Web Site\" / in ");
    }

    @Test
    void withoutASectionEverySectionSomeLevelSetsIsShown() throws IOException {
        CommandRun run = CommandRun.of("list", "config", "--config", config().toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "system.webServer/defaultDocument",
                        "system.webServer/staticContent",
                        "system.webServer/handlers",
                        "system.webServer/security/requestFiltering")
                .containsPattern("    <add value=\"index.html\" />\\s+\\S*applicationHost\\.config:\\d+:9")
                .doesNotContain("system.applicationHost/sites", "system.webServer/httpRedirect");
    }

    @Test
    void aSectionNoLevelSetsSaysSoAndAnUnknownOneIsAUsageError() throws IOException {
        CommandRun unset =
                CommandRun.of("list", "config", "--section", "httpRedirect", "--config", config().toString());
        CommandRun unknown =
                CommandRun.of("list", "config", "--section", "serverSideInclude", "--var", "WEIR_SITE_ROOT=" + temp);

        assertThat(unset.exitCode()).isZero();
        assertThat(unset.out()).containsPattern("system.webServer/httpRedirect\\s+not set at any level");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown section 'serverSideInclude'");
    }

    @Test
    void anUnknownSiteIsAUsageError() {
        CommandRun run = CommandRun.of("list", "config", "Nowhere/x", "--var", "WEIR_SITE_ROOT=" + temp);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no site named 'Nowhere'");
    }

    /** The module names of the collection lines, in order. */
    private static List<String> names(String out) {
        return out.lines()
                .filter(l -> l.strip().startsWith("<add name=\""))
                .map(l -> l.substring(l.indexOf('"') + 1, l.indexOf('"', l.indexOf('"') + 1)))
                .toList();
    }
}
