package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option handling of {@code weir serve} that is refused before any server starts. */
class ServeCommandTest {

    @TempDir
    Path temp;

    @Test
    void helpDescribesEveryOptionAndTheDefaultRoot() {
        CommandRun run = CommandRun.of("serve", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("--root=DIR", "--port=N", "--config=FILE", "--var=NAME=VALUE", "%NAME%")
                .contains("./wwwroot", "SIGTERM");
    }

    @Test
    void unknownOptionIsAUsageError() {
        CommandRun run = CommandRun.of("serve", "--bogus");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--bogus'").contains("Usage: weir serve");
    }

    @Test
    void nonNumericPortIsAUsageError() {
        CommandRun run = CommandRun.of("serve", "--port", "http");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--port");
    }

    @Test
    void portOutOfRangeIsAUsageError() {
        CommandRun run = CommandRun.of("serve", "--root", temp.toString(), "--port", "70000");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--port must be between 0 and 65535, got 70000");
    }

    @Test
    void missingRootIsAUsageError() {
        Path missing = temp.resolve("missing");

        CommandRun run = CommandRun.of("serve", "--root", missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--root " + missing + ": no such directory");
    }

    @Test
    void missingConfigFileIsAUsageError() {
        Path missing = temp.resolve("applicationHost.config");

        CommandRun run = CommandRun.of("serve", "--config", missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--config " + missing + ": no such file");
    }

    @Test
    void configWithSitesCannotBeCombinedWithRoot() throws IOException {
        Path file = Files.writeString(temp.resolve("applicationHost.config"), """
                <configuration><configSections><sectionGroup name="system.applicationHost">
                  <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" /></sectionGroup>
                </configSections>
                <system.applicationHost><sites><site name="S" id="1"><application path="/">
                  <virtualDirectory path="/" physicalPath="." /></application>
                  <bindings><binding protocol="http" bindingInformation="*:0:" /></bindings></site></sites>
                </system.applicationHost></configuration>
                """);

        CommandRun run = CommandRun.of("serve", "--config", file.toString(), "--root", temp.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--config cannot be combined with --root or --port when the file defines sites");
    }

    @Test
    void configWithoutSitesNeedsRootForPort() throws IOException {
        Path file = Files.writeString(temp.resolve("applicationHost.config"), "<configuration/>");

        CommandRun run = CommandRun.of("serve", "--config", file.toString(), "--port", "0");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("defines no site: give --root DIR");
    }

    @Test
    void malformedVarIsAUsageError() {
        CommandRun run = CommandRun.of("serve", "--var", "NOEQUALS");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("NOEQUALS");
    }

    @Test
    void refusedConfigFileIsReportedWithFileLineAndColumn() throws IOException {
        Path file = Files.writeString(temp.resolve("broken.config"), """
                <configuration>
                  <system.applicationHost>
                    <sites>
                      <site name="x" id="1">
                    </sites>
                </configuration>
                """);

        CommandRun run = CommandRun.of("serve", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).matches("(?s)weir: .*broken\\.config:\\d+:\\d+: .+\\R");
    }

    @Test
    void defaultRootPrefersWwwrootInTheWorkingDirectory() throws IOException {
        Path here = Files.createDirectories(temp.resolve("here/wwwroot")).getParent();
        Path home = Files.createDirectories(temp.resolve("home/wwwroot")).getParent();

        assertThat(ConfigOptions.defaultRoot(here, home.toString())).contains(here.resolve("wwwroot"));
    }

    @Test
    void defaultRootFallsBackToTheInstallation() throws IOException {
        Path here = Files.createDirectories(temp.resolve("here"));
        Path home = Files.createDirectories(temp.resolve("home/wwwroot")).getParent();

        assertThat(ConfigOptions.defaultRoot(here, home.toString())).contains(home.resolve("wwwroot"));
    }

    @Test
    void noDefaultRootWithoutWwwrootHereOrAnInstallation() throws IOException {
        Path here = Files.createDirectories(temp.resolve("here"));
        Path home = Files.createDirectories(temp.resolve("home"));

        assertThat(ConfigOptions.defaultRoot(here, null)).isEmpty();
        assertThat(ConfigOptions.defaultRoot(here, home.toString())).isEmpty();
    }
}
