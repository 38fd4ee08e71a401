package io.weir.cli.command;

import io.weir.cli.Verbosity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir list}: the read-only listings of a configuration, like appcmd's LIST verb. It only
 * dispatches to {@code list modules}, {@code list sites} and {@code list config}.
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Lists what a configuration defines (as appcmd list does); nothing is started or served.",
        subcommands = {
            ListModulesCommand.class,
            ListSitesCommand.class,
            ListConfigCommand.class,
            ListRequestsCommand.class,
            ListSslCertsCommand.class,
            ListFarmsCommand.class,
            ListCacheCommand.class
        })
public final class ListCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    /** Called by picocli when no object is named. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing what to list: modules, sites or config");
    }
}
