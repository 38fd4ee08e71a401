package io.weir.cli;

import io.weir.cli.command.AddCommand;
import io.weir.cli.command.DeleteCommand;
import io.weir.cli.command.DevCertCommand;
import io.weir.cli.command.ExplainCommand;
import io.weir.cli.command.InitCommand;
import io.weir.cli.command.InstallCommand;
import io.weir.cli.command.ListCommand;
import io.weir.cli.command.ServeCommand;
import io.weir.cli.command.SetCommand;
import io.weir.cli.command.StartCommand;
import io.weir.cli.command.StopCommand;
import io.weir.cli.command.TestCommand;
import io.weir.cli.command.UninstallCommand;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code weir} command: the top level of Weir's command line, in the spirit of IIS's appcmd.
 * It only dispatches to its subcommands ({@code init}, {@code serve}, {@code list}, {@code explain}, and the
 * editing commands {@code install}, {@code uninstall}, {@code add}, {@code delete}, {@code set}); {@link #main} is what the
 * {@code ./weir} launcher runs.
 *
 * <p>Exit codes: 0 success, 1 the server could not start or failed, or an edit was refused (the
 * file is left as it was), 2 a usage error or a configuration file refused as it is.
 */
@Command(
        name = "weir",
        mixinStandardHelpOptions = true,
        versionProvider = WeirCommand.Version.class,
        description = "Weir: a web server for the JVM built on IIS's integrated pipeline.",
        subcommands = {
            InitCommand.class,
            ServeCommand.class,
            DevCertCommand.class,
            ListCommand.class,
            ExplainCommand.class,
            InstallCommand.class,
            UninstallCommand.class,
            AddCommand.class,
            DeleteCommand.class,
            SetCommand.class,
            StartCommand.class,
            StopCommand.class,
            TestCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", "Run 'weir COMMAND --help' for the options of one command."})
public final class WeirCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    /** Called by picocli when no subcommand is given. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing a command (for example: weir serve)");
    }

    /**
     * Builds the command line: usage errors print the message and the usage (exit 2); an unexpected
     * exception prints one line (exit 1), its stack trace only with {@code --verbose}.
     *
     * @return a fresh command line for one execution
     */
    public static CommandLine commandLine() {
        return new CommandLine(new WeirCommand()).setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("weir: " + e);
            commandLine.getErr().flush();
            LoggerFactory.getLogger(WeirCommand.class).debug("weir {} failed", commandLine.getCommandName(), e);
            return 1;
        });
    }

    /**
     * Runs the command and exits the JVM with its status.
     *
     * @param args the command-line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Reads the version from the JAR's manifest ({@code Implementation-Version}). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = WeirCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                "Weir " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"
            };
        }
    }
}
