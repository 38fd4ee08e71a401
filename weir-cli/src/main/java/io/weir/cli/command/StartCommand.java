package io.weir.cli.command;

import io.weir.cli.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code weir start}: Starts an object, as appcmd start does. It only dispatches to its objects (site). */
@Command(
        name = "start",
        mixinStandardHelpOptions = true,
        description = "Starts a site, as appcmd start does.",
        subcommands = {SiteStateCommand.Start.class})
public final class StartCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    /** Called by picocli when no object is named. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing what to start: site");
    }
}
