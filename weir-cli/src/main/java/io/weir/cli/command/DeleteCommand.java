package io.weir.cli.command;

import io.weir.cli.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir delete}: Deletes from a configuration file, as appcmd delete does. It only dispatches to its objects (module).
 */
@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Deletes from a configuration file, as appcmd delete does.",
        subcommands = {DeleteModuleCommand.class})
public final class DeleteCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    /** Called by picocli when no object is named. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing what to delete: module");
    }
}
