package io.weir.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The {@code -v/--verbose} option, mixed into every command: turns Weir's own loggers to DEBUG.
 */
public final class Verbosity {

    /**
     * Applies the option as soon as picocli parses it.
     *
     * @param verbose true for DEBUG logging of the {@code io.weir} loggers
     */
    @Option(
            names = {"-v", "--verbose"},
            description = "Log Weir's own debug messages.")
    public void setVerbose(boolean verbose) {
        if (verbose && LoggerFactory.getLogger("io.weir") instanceof Logger weirLogger) {
            weirLogger.setLevel(Level.DEBUG);
        }
    }
}
