package io.weir.cli.command;

import io.weir.cli.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir install}: Installs into a configuration file, as appcmd install does. It only dispatches to its objects (module).
 */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        description = "Installs into a configuration file, as appcmd install does.",
        subcommands = {InstallModuleCommand.class})
public final class InstallCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    /** Called by picocli when no object is named. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing what to install: module");
    }
}
