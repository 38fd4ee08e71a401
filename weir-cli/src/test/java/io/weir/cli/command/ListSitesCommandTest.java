package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir list sites} on the embedded default and on {@link SampleConfig}. */
class ListSitesCommandTest {

    @TempDir
    Path temp;

    @Test
    void embeddedDefaultHasOneStartedSiteOnPort8080() {
        CommandRun run = CommandRun.of("list", "sites", "--var", "WEIR_SITE_ROOT=" + temp);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualToNormalizingNewlines("""
                SITE "Default Web Site" (id:1,bindings:http/*:8080:,state:Started)
                  APP "Default Web Site/"
                    VDIR "Default Web Site/" -> %s
                """.formatted(
                        temp.toAbsolutePath().normalize()));
    }

    @Test
    void everySiteWithItsStateBindingsApplicationsAndFolders() throws IOException {
        Path config = SampleConfig.write(temp);

        CommandRun run = CommandRun.of("list", "sites", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .containsSubsequence(
                        "SITE \"Main\" (id:1,bindings:http/*:8080:,state:Started)",
                        "  APP \"Main/\"",
                        "    VDIR \"Main/\" -> " + temp.resolve("main"),
                        "  APP \"Main/app\" (applicationPool:AppPool)",
                        "    VDIR \"Main/app\" -> " + temp.resolve("app-missing") + " (missing)",
                        "SITE \"Intranet\" (id:2,bindings:http/*:8080:intranet.example,state:Started)",
                        "SITE \"Parked\" (id:3,bindings:http/127.0.0.1:9090:,state:Stopped)");
    }

    @Test
    void jsonListsTheSameSites() throws IOException {
        Path config = SampleConfig.write(temp);

        CommandRun run = CommandRun.of("list", "sites", "--config", config.toString(), "--json");

        assertThat(run.out().replaceAll("\\s+", " "))
                .contains(
                        "\"name\": \"Intranet\", \"id\": 2, \"state\": \"Started\", \"bindings\": [ \"http/*:8080:intranet.example\" ]")
                .contains("\"name\": \"Parked\", \"id\": 3, \"state\": \"Stopped\"")
                .contains("\"path\": \"/app\", \"physicalPath\": \"" + temp.resolve("app-missing")
                        + "\", \"exists\": false");
    }

    @Test
    void missingConfigFileIsAUsageError() {
        Path missing = temp.resolve("none.config");

        CommandRun run = CommandRun.of("list", "sites", "--config", missing.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--config " + missing + ": no such file");
    }
}
