package io.weir.cli.command;

import io.weir.api.config.ConfigException;
import io.weir.config.ApplicationHostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code --config FILE} and {@code --var NAME=VALUE} options, mixed into every command that
 * reads a configuration, and the one rule for choosing it, shared with the editing commands
 * ({@link EditOptions}): the file when {@code --config} is given, else
 * {@code applicationHost.config} in the working directory when there is one (what {@code weir init}
 * writes), else the embedded default with {@code %WEIR_SITE_ROOT%} set to the default site folder
 * ({@code ./wwwroot} if the working directory has one, else the installation's {@code wwwroot}).
 * {@link #origin()} says which one was used and why; every command prints it.
 *
 * <p>A refused file is a {@link ConfigException}; a command reports it with {@link #report} as
 * {@code weir: FILE:LINE:COLUMN: reason} and exit status 2. An option that cannot be honoured is a
 * picocli {@link ParameterException} (usage message, exit status 2).
 */
public final class ConfigOptions {

    /** The variable that the embedded default configuration's site root is written with. */
    public static final String SITE_ROOT_VARIABLE = "WEIR_SITE_ROOT";

    /** System property set by the launcher: the Weir installation (a source checkout today). */
    public static final String HOME_PROPERTY = "weir.home";

    /** The exit status of a refused configuration file. */
    public static final int CONFIG_ERROR = 2;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Load this applicationHost.config instead of the embedded default.")
    private Path config;

    @Option(
            names = "--var",
            paramLabel = "NAME=VALUE",
            description = "Define %%NAME%% for the configuration's variable expansion (repeatable);"
                    + " consulted before the environment.")
    private Map<String, String> variables = new LinkedHashMap<>();

    /**
     * Returns the configuration file the commands use.
     *
     * @return the {@code --config} file, else {@code ./applicationHost.config} when it exists, else
     *         null for the embedded default
     */
    public Path file() {
        if (config != null) {
            return config;
        }
        Path local = Path.of(EditOptions.DEFAULT_FILE);
        return Files.isRegularFile(local) ? local : null;
    }

    /** @return true when the file was named with {@code --config} (not found in the working directory) */
    public boolean explicit() {
        return config != null;
    }

    /** @return {@link #file()} made absolute and normalized, as it is loaded (and watched); null for the embedded default */
    public Path configFile() {
        Path file = file();
        return file == null ? null : file.toAbsolutePath().normalize();
    }

    /**
     * Says which configuration the commands use and why, for the line every command prints.
     *
     * @return for example {@code /srv/site/applicationHost.config (found in the working directory)}
     */
    public String origin() {
        if (config != null) {
            return configFile() + " (--config)";
        }
        Path file = configFile();
        if (file != null) {
            return file + " (found in the working directory)";
        }
        return "the embedded default (no " + EditOptions.DEFAULT_FILE + " in "
                + Path.of("").toAbsolutePath() + "; 'weir init' writes one)";
    }

    /**
     * Prints {@code Configuration: ORIGIN} (see {@link #origin()}) on the command's error stream,
     * which keeps its standard output for the data it was asked for.
     */
    public void announce() {
        spec.commandLine().getErr().println("Configuration: " + origin());
        spec.commandLine().getErr().flush();
    }

    /**
     * Returns the variables a {@code --config} file is expanded with: the {@code --var} values, plus
     * {@code WEIR_SITE_ROOT} = the default site folder when neither {@code --var} nor the
     * environment defines it.
     *
     * @return a new map
     */
    public Map<String, String> fileVariables() {
        Map<String, String> vars = new LinkedHashMap<>(variables);
        if (!vars.containsKey(SITE_ROOT_VARIABLE) && System.getenv(SITE_ROOT_VARIABLE) == null) {
            defaultRoot(Path.of(""), System.getProperty(HOME_PROPERTY))
                    .ifPresent(dir -> vars.put(SITE_ROOT_VARIABLE, dir.toString()));
        }
        return vars;
    }

    /**
     * Loads the configuration the options ask for.
     *
     * @param siteRoot the folder the embedded default's site serves when the caller chose one
     *                 ({@code weir serve --root}), else null: then {@code --var WEIR_SITE_ROOT}, else
     *                 the default site folder. Ignored with a file, whose
     *                 {@code %WEIR_SITE_ROOT%} is {@code --var}, else the environment, else the
     *                 default site folder.
     * @return the configuration
     * @throws ParameterException when the file or the folder does not exist
     * @throws ConfigException    when the file is refused
     */
    public ApplicationHostConfig load(Path siteRoot) {
        Map<String, String> vars = new LinkedHashMap<>(variables);
        if (config != null && !Files.isRegularFile(config)) {
            throw usage("--config " + config + ": no such file");
        }
        if (file() != null) {
            return ApplicationHostConfig.load(configFile(), fileVariables());
        }
        Path root = siteRoot != null
                ? siteRoot
                : vars.containsKey(SITE_ROOT_VARIABLE)
                        ? Path.of(vars.get(SITE_ROOT_VARIABLE)).toAbsolutePath().normalize()
                        : defaultRoot(Path.of(""), System.getProperty(HOME_PROPERTY))
                                .orElseThrow(() -> usage("no wwwroot folder in "
                                        + Path.of("").toAbsolutePath() + "; give one with --root DIR or --var "
                                        + SITE_ROOT_VARIABLE + "=DIR"));
        vars.put(SITE_ROOT_VARIABLE, root.toString());
        return ApplicationHostConfig.embeddedDefault(vars);
    }

    /**
     * Prints a refused configuration as {@code weir: FILE:LINE:COLUMN: reason}.
     *
     * @param e the refusal
     * @return {@link #CONFIG_ERROR}, the exit status to return
     */
    public int report(ConfigException e) {
        spec.commandLine().getErr().println("weir: " + e.source() + ": " + e.reason());
        spec.commandLine().getErr().flush();
        return CONFIG_ERROR;
    }

    /**
     * The default site folder: {@code wwwroot} in the working directory if there is one, else the
     * installation's {@code wwwroot}.
     *
     * @param workingDirectory the caller's directory
     * @param home             the installation, may be null
     * @return the absolute folder, or empty when neither exists
     */
    static Optional<Path> defaultRoot(Path workingDirectory, String home) {
        return Stream.concat(
                        Stream.of(workingDirectory), Stream.ofNullable(home).map(Path::of))
                .map(dir -> dir.resolve("wwwroot").toAbsolutePath().normalize())
                .filter(Files::isDirectory)
                .findFirst();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
