package io.weir.cli.command;

import io.weir.cli.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir uninstall}: Uninstalls from a configuration file, as appcmd uninstall does. It only dispatches to its objects (module).
 */
@Command(
        name = "uninstall",
        mixinStandardHelpOptions = true,
        description = "Uninstalls from a configuration file, as appcmd uninstall does.",
        subcommands = {UninstallModuleCommand.class})
public final class UninstallCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    /** Called by picocli when no object is named. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing what to uninstall: module");
    }
}
