package io.weir.cli.command;

import io.weir.cli.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir add}: Adds to a configuration file, as appcmd add does. It only dispatches to its objects (module or site).
 */
@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description = "Adds to a configuration file, as appcmd add does.",
        subcommands = {AddModuleCommand.class, AddSiteCommand.class, AddSslCertCommand.class})
public final class AddCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    /** Called by picocli when no object is named. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing what to add: module or site");
    }
}
