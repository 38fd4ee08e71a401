package io.weir.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WeirCommandTest {

    @Test
    void noCommandIsAUsageErrorWithExitCode2() {
        CommandRun run = CommandRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing a command").contains("Usage: weir");
    }

    @Test
    void unknownCommandIsAUsageError() {
        CommandRun run = CommandRun.of("frobnicate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("frobnicate");
    }

    @Test
    void helpListsEveryCommand() {
        CommandRun run = CommandRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: weir")
                .contains("serve", "list", "explain")
                .contains("--verbose");
    }

    @Test
    void versionNamesWeirAndJava() {
        CommandRun run = CommandRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("Weir ")
                .contains("Java " + Runtime.version().feature());
    }

    @Test
    void helpSubcommandShowsServeUsage() {
        CommandRun run = CommandRun.of("help", "serve");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: weir serve").contains("--root=DIR");
    }
}
