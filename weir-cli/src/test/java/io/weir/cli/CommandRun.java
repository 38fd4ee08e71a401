package io.weir.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * The outcome of one in-process run of the {@code weir} command: exit code, stdout and stderr.
 *
 * @param exitCode what {@code main} would exit with
 * @param out      what the command printed on stdout
 * @param err      what it printed on stderr
 */
public record CommandRun(int exitCode, String out, String err) {

    /**
     * Runs {@code weir ARGS} in this JVM, capturing its output.
     *
     * @param args the arguments after {@code weir}
     * @return the outcome
     */
    public static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = WeirCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CommandRun(exitCode, out.toString(), err.toString());
    }
}
