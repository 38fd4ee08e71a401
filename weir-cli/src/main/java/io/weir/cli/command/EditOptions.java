package io.weir.cli.command;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of the commands that edit a configuration file ({@code install}, {@code uninstall},
 * {@code add}, {@code delete}, {@code set}): {@code --config FILE}, the file to edit (default:
 * {@code applicationHost.config} in the working directory, as appcmd edits the one
 * applicationHost.config of the machine), and {@code --var NAME=VALUE} for {@code %NAME%}
 * expansion while the edited file is checked. The embedded default is never edited.
 */
public final class EditOptions {

    /** The file edited when {@code --config} is not given, in the working directory. */
    public static final String DEFAULT_FILE = "applicationHost.config";

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "The applicationHost.config to edit (default: " + DEFAULT_FILE + " in the working" + " directory).")
    private Path config;

    @Option(
            names = "--var",
            paramLabel = "NAME=VALUE",
            description = "Define %%NAME%% while the edited file is checked (repeatable); consulted before the"
                    + " environment.")
    private Map<String, String> variables = new LinkedHashMap<>();

    /**
     * Returns the file to edit.
     *
     * @return the {@code --config} file, else {@code ./applicationHost.config}
     * @throws ParameterException when the file does not exist
     */
    public Path file() {
        Path file = config != null ? config : Path.of(DEFAULT_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(
                    spec.commandLine(),
                    config != null
                            ? "--config " + config + ": no such file"
                            : "no " + DEFAULT_FILE + " in " + Path.of("").toAbsolutePath()
                                    + "; 'weir init' writes one (a copy of the embedded default, which every weir command run"
                                    + " here then uses), or name the file to edit with --config FILE");
        }
        return file;
    }

    /**
     * Says which file is edited and why, as {@link ConfigOptions#origin()} does for the reading commands.
     *
     * @return the absolute file and {@code (--config)} or {@code (found in the working directory)}
     * @throws ParameterException when the file does not exist
     */
    public String origin() {
        return file().toAbsolutePath().normalize()
                + (config != null ? " (--config)" : " (found in the working directory)");
    }

    /** @return the {@code --var} definitions */
    public Map<String, String> variables() {
        return variables;
    }
}
