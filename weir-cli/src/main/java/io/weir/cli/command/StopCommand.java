package io.weir.cli.command;

import io.weir.cli.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code weir stop}: Stops an object, as appcmd stop does. It only dispatches to its objects (site). */
@Command(
        name = "stop",
        mixinStandardHelpOptions = true,
        description = "Stops a site, as appcmd stop does.",
        subcommands = {SiteStateCommand.Stop.class})
public final class StopCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    /** Called by picocli when no object is named. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing what to stop: site");
    }
}
