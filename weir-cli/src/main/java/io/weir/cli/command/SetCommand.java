package io.weir.cli.command;

import io.weir.cli.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir set}: Sets values in a configuration file, as appcmd set does. It only dispatches to its objects (config, site).
 */
@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        description = "Sets values in a configuration file, as appcmd set does.",
        subcommands = {SetConfigCommand.class, SetSiteCommand.class})
public final class SetCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    /** Called by picocli when no object is named. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing what to set: config or site");
    }
}
