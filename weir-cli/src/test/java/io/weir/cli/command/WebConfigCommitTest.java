package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.CommandRun;
import io.weir.cli.ConfigFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir set config --commit site|app|url}: the setting goes to the web.config appcmd's
 * {@code /commit} names, created when missing; what the server would refuse in that web.config (a
 * section locked by {@code overrideModeDefault="Deny"} or {@code <location overrideMode="Deny">})
 * refuses the edit with the file, line and reason, and nothing is written.
 */
class WebConfigCommitTest {

    @TempDir
    Path temp;

    @TempDir
    Path site;

    private Path config;

    private void embeddedCopy(String replace, String with) {
        String text = new String(ConfigFiles.embeddedDefault(), StandardCharsets.UTF_8);
        assertThat(text).contains(replace);
        config = ConfigFiles.write(temp, text.replace(replace, with).getBytes(StandardCharsets.UTF_8));
    }

    private CommandRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString(), "--var", "WEIR_SITE_ROOT=" + site));
        return CommandRun.of(all.toArray(String[]::new));
    }

    @Test
    void siteWritesANewWebConfigAtTheSiteRootAndLeavesApplicationHostAlone() throws IOException {
        embeddedCopy("</configuration>", "</configuration>");
        byte[] appHost = Files.readAllBytes(config);

        CommandRun run = run(
                "set",
                "config",
                "defaultDocument",
                "--location",
                "Default Web Site",
                "--commit",
                "site",
                "/+files.[value='home.html']");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains(
                        "added files.[value='home.html']",
                        site.resolve("web.config").toString());
        assertThat(Files.readString(site.resolve("web.config")))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n"
                        + "  <system.webServer>\n    <defaultDocument>\n      <files>\n"
                        + "        <add value=\"home.html\" />\n      </files>\n    </defaultDocument>\n"
                        + "  </system.webServer>\n</configuration>\n");
        assertThat(Files.readAllBytes(config)).isEqualTo(appHost);

        CommandRun again = run(
                "set",
                "config",
                "directoryBrowse",
                "--location",
                "Default Web Site",
                "--commit",
                "site",
                "/enabled:true");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(Files.readString(site.resolve("web.config")))
                .contains("<add value=\"home.html\" />", "<directoryBrowse enabled=\"true\" />");
    }

    @Test
    void urlWritesInThePathsOwnFolder() throws IOException {
        embeddedCopy("</configuration>", "</configuration>");
        Files.createDirectories(site.resolve("files"));

        CommandRun run = run(
                "set",
                "config",
                "directoryBrowse",
                "--location",
                "Default Web Site/files",
                "--commit",
                "url",
                "/enabled:true");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(Files.readString(site.resolve("files/web.config"))).contains("<directoryBrowse enabled=\"true\" />");
        assertThat(site.resolve("web.config")).doesNotExist();
    }

    @Test
    void aSectionLockedByALocationIsRefusedWithWhereItIsLocked() throws IOException {
        embeddedCopy(
                "</configuration>",
                "  <location path=\"Default Web Site\" overrideMode=\"Deny\">\n    <system.webServer>\n"
                        + "      <httpErrors />\n    </system.webServer>\n  </location>\n</configuration>");
        Files.writeString(site.resolve("web.config"), "<configuration>\r\n</configuration>\r\n");
        byte[] before = Files.readAllBytes(site.resolve("web.config"));

        CommandRun run = run(
                "set",
                "config",
                "httpErrors",
                "--location",
                "Default Web Site",
                "--commit",
                "site",
                "/errorMode:Detailed");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("the edit is refused: with it, " + site.resolve("web.config") + " would not load")
                .contains("locked by overrideMode=\"Deny\"")
                .contains(config.getFileName().toString())
                .contains("was not changed");
        assertThat(Files.readAllBytes(site.resolve("web.config"))).isEqualTo(before);
    }

    @Test
    void aSectionLockedByDefaultIsRefusedAndNoWebConfigIsCreated() {
        embeddedCopy("</configuration>", "</configuration>");

        CommandRun run = run(
                "set", "config", "httpLogging", "--location", "Default Web Site", "--commit", "site", "/dontLog:true");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("locked by default (overrideModeDefault=\"Deny\"");
        assertThat(site.resolve("web.config")).doesNotExist();
    }

    @Test
    void aWebConfigLevelNeedsALocation() {
        embeddedCopy("</configuration>", "</configuration>");

        CommandRun run = run("set", "config", "directoryBrowse", "--commit", "site", "/enabled:true");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("give --location SITE/PATH");
        CommandRun bad = run(
                "set",
                "config",
                "directoryBrowse",
                "--location",
                "Default Web Site",
                "--commit",
                "machine",
                "/enabled:true");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("give apphost, site, app or url");
    }
}
