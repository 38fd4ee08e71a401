package io.weir.modules.httplogging;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The effective {@code logFile} of one site: the attributes of the site's own {@code <logFile>},
 * else those of {@code <siteDefaults><logFile>}, else IIS's defaults. Immutable.
 *
 * @param enabled           {@code enabled}, default true
 * @param logFormat         {@code logFormat}, default W3C; only W3C is written
 * @param directory         {@code directory} resolved to an absolute folder; the site's files go
 *                          in its {@code W3SVC<id>} sub-folder
 * @param period            {@code period}, default Daily
 * @param truncateSize      {@code truncateSize} in bytes, default 20971520 (used by MaxSize)
 * @param localTimeRollover {@code localTimeRollover}, default false: files are named and rolled
 *                          over on UTC boundaries; true: on the server's local time
 * @param fields            {@code logExtFileFlags}, default IIS's set ({@link LogField#IIS_DEFAULTS})
 * @param logToFile         {@code logTargetW3C} includes {@code File} (the default)
 * @param maxLogLineLength  {@code maxLogLineLength} in characters, default 65536
 * @param customFields      {@code customFields}, appended after the standard fields; empty by default
 */
public record LogFileSettings(
        boolean enabled,
        LogFormat logFormat,
        Path directory,
        LogPeriod period,
        long truncateSize,
        boolean localTimeRollover,
        Set<LogField> fields,
        boolean logToFile,
        int maxLogLineLength,
        List<CustomField> customFields) {

    /** IIS's {@code logFile@directory} default, as written in its schema (before expansion). */
    static final String IIS_DEFAULT_DIRECTORY = "%SystemDrive%\\inetpub\\logs\\LogFiles";

    /** A {@code %NAME%} reference that no variable expanded (IIS's {@code %SystemDrive%} off Windows). */
    private static final Pattern UNEXPANDED = Pattern.compile("%[A-Za-z_][A-Za-z0-9_]*%");

    /** The system property the {@code ./weir} launcher sets to the installation folder. */
    /** System property naming Weir's data folder; {@code weir serve} sets it (see {@link #dataFolder()}). */
    static final String DATA_PROPERTY = "weir.data";

    /** IIS's {@code truncateSize} default: 20 MiB. */
    static final long DEFAULT_TRUNCATE_SIZE = 20_971_520L;

    /** The values of {@code logFormat}. */
    public enum LogFormat {
        /** Microsoft IIS log format (not written by Weir). */
        IIS,
        /** NCSA common log format (not written by Weir). */
        NCSA,
        /** W3C extended log format. */
        W3C,
        /** A custom logging module writes the log; HttpLoggingModule writes nothing. */
        CUSTOM
    }

    /** The values of {@code period}: when a new log file is started. */
    public enum LogPeriod {
        /** When the file would exceed {@code truncateSize}: {@code u_extendN.log}. */
        MAX_SIZE,
        /** Every day: {@code u_exYYMMDD.log}. */
        DAILY,
        /** Every week (weeks start on Sunday) and at each new month: {@code u_exYYMMWW.log}. */
        WEEKLY,
        /** Every month: {@code u_exYYMM.log}. */
        MONTHLY,
        /** Every hour: {@code u_exYYMMDDHH.log}. */
        HOURLY
    }

    /**
     * Copies the field set so the record stays immutable.
     *
     * @param enabled           see the record
     * @param logFormat         see the record
     * @param directory         see the record
     * @param period            see the record
     * @param truncateSize      see the record
     * @param localTimeRollover see the record
     * @param fields            see the record
     * @param logToFile         see the record
     * @param maxLogLineLength  see the record
     * @param customFields      see the record
     */
    public LogFileSettings {
        customFields = List.copyOf(customFields);
        fields = fields.isEmpty()
                ? Collections.unmodifiableSet(EnumSet.noneOf(LogField.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(fields));
    }

    /**
     * Binds a site's effective {@code logFile}.
     *
     * @param own      the site's {@code <logFile>}, or empty
     * @param defaults {@code <siteDefaults><logFile>}, or empty
     * @return the settings
     * @throws ConfigException when an attribute is malformed or out of IIS's range
     */
    static LogFileSettings from(Optional<ConfigElement> own, Optional<ConfigElement> defaults) {
        boolean enabled = pick(own, defaults, "enabled")
                .map(e -> e.booleanAttribute("enabled", true))
                .orElse(true);
        LogFormat format = pick(own, defaults, "logFormat")
                .map(e -> e.enumAttribute("logFormat", LogFormat.class, LogFormat.W3C))
                .orElse(LogFormat.W3C);
        LogPeriod period = pick(own, defaults, "period")
                .map(e -> e.enumAttribute("period", LogPeriod.class, LogPeriod.DAILY))
                .orElse(LogPeriod.DAILY);
        Optional<ConfigElement> sizeAt = pick(own, defaults, "truncateSize");
        long truncateSize = sizeAt.map(e -> e.longAttribute("truncateSize", DEFAULT_TRUNCATE_SIZE))
                .orElse(DEFAULT_TRUNCATE_SIZE);
        if (truncateSize < 1_048_576L || truncateSize > 4_294_967_295L) {
            throw new ConfigException(
                    sizeAt.get().attributeSource("truncateSize"),
                    "truncateSize " + truncateSize + " is outside IIS's range 1048576 to 4294967295 bytes");
        }
        boolean localTime = pick(own, defaults, "localTimeRollover")
                .map(e -> e.booleanAttribute("localTimeRollover", false))
                .orElse(false);
        Set<LogField> fields = pick(own, defaults, "logExtFileFlags")
                .map(e -> LogField.parseFlags(e.attribute("logExtFileFlags").orElseThrow(), e))
                .orElse(LogField.IIS_DEFAULTS);
        boolean toFile = pick(own, defaults, "logTargetW3C")
                .map(e -> e.attribute("logTargetW3C")
                        .orElseThrow()
                        .toLowerCase(Locale.ROOT)
                        .contains("file"))
                .orElse(true);
        Optional<ConfigElement> lengthAt = pick(own, defaults, "maxLogLineLength");
        long maxLine =
                lengthAt.map(e -> e.longAttribute("maxLogLineLength", 65536)).orElse(65536L);
        if (maxLine < 2 || maxLine > 65536) {
            throw new ConfigException(
                    lengthAt.get().attributeSource("maxLogLineLength"),
                    "maxLogLineLength " + maxLine + " is outside IIS's range 2 to 65536");
        }
        Path directory = pick(own, defaults, "directory")
                .map(e -> directory(e.attribute("directory").orElseThrow(), e.attributeSource("directory")))
                .orElseGet(LogFileSettings::defaultDirectory);
        return new LogFileSettings(
                enabled,
                format,
                directory,
                period,
                truncateSize,
                localTime,
                fields,
                toFile,
                (int) maxLine,
                CustomField.from(own, defaults));
    }

    /**
     * The element whose file sets an attribute: the site's own, else siteDefaults', else none.
     * Uses {@link ConfigElement#attributes()} (what a file wrote), not {@code attribute(name)},
     * which also answers the schema's default and would hide siteDefaults.
     */
    private static Optional<ConfigElement> pick(
            Optional<ConfigElement> own, Optional<ConfigElement> defaults, String attribute) {
        if (own.isPresent() && own.get().attributes().containsKey(attribute)) {
            return own;
        }
        if (defaults.isPresent() && defaults.get().attributes().containsKey(attribute)) {
            return defaults;
        }
        return Optional.empty();
    }

    /**
     * Weir's default log folder, used when no {@code directory} is configured or when it still holds
     * a {@code %NAME%} no variable expanded, such as IIS's default
     * {@code %SystemDrive%\inetpub\logs\LogFiles} off Windows or IIS Express's
     * {@code %IIS_USER_HOME%\Logs}: {@code logs} in Weir's data folder ({@link #dataFolder()}), never
     * inside a source checkout.
     *
     * @return an absolute folder
     */
    static Path defaultDirectory() {
        return dataFolder().resolve("logs");
    }

    /**
     * Weir's data folder, where its own files go (logs): the {@code weir.data} system property when
     * set ({@code weir serve} sets it from {@code WEIR_DATA_HOME}, else the XDG rule below), else
     * {@code $WEIR_DATA_HOME}, else {@code $XDG_STATE_HOME/weir}, else {@code ~/.local/state/weir}
     * (the XDG Base Directory specification's place for logs).
     *
     * @return an absolute folder (it may not exist yet)
     */
    static Path dataFolder() {
        String configured = System.getProperty(DATA_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("WEIR_DATA_HOME");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute()
                ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("weir").toAbsolutePath().normalize();
    }

    /**
     * Resolves a configured (already expanded) folder: {@code \} becomes {@code /} off Windows, a
     * relative folder resolves against the folder of the configuration file that set it (the
     * working directory for the embedded configuration), as Weir resolves physical paths.
     */
    private static Path directory(String expanded, ConfigSource source) {
        if (UNEXPANDED.matcher(expanded).find()) {
            return defaultDirectory();
        }
        if (expanded.isBlank()) {
            throw new ConfigException(source, "logFile directory must not be empty");
        }
        Path base = Path.of("");
        try {
            Path file = Path.of(source.file());
            if (Files.isRegularFile(file) && file.toAbsolutePath().getParent() != null) {
                base = file.toAbsolutePath().getParent();
            }
        } catch (InvalidPathException e) {
            // a label such as "<embedded>": relative folders resolve against the working directory
        }
        String native_ = File.separatorChar == '\\' ? expanded : expanded.replace('\\', '/');
        try {
            return base.resolve(native_).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(
                    source, "logFile directory '" + expanded + "' is not a valid path: " + e.getReason());
        }
    }
}
