package io.weir.cli.command;

import io.weir.cli.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir test}: tries a configuration's rules on a request without serving it. It only
 * dispatches to {@code test rewrite}.
 */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description = "Tries rules on a request without a server (IIS Manager's \"Test pattern\").",
        subcommands = {TestRewriteCommand.class})
public final class TestCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    /** Called by picocli when nothing is named. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing what to test: rewrite");
    }
}
