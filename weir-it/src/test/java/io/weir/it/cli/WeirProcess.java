package io.weir.it.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the {@code weir} command in a JVM of its own, from this test's class path, in a chosen
 * working directory: what a user's shell does with {@code weir ARGS} (the working directory
 * matters, since commands find {@code ./applicationHost.config} there).
 */
final class WeirProcess implements AutoCloseable {

    /** The outcome of a command that ran to its end. */
    record Result(int exitCode, String out, String err) {}

    private static final Pattern LISTENING = Pattern.compile("http://(?:127\\.0\\.0\\.1|localhost):(\\d+)/");

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final int port;

    private WeirProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static List<String> command(String... args) {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // as the ./weir launcher runs it (Netty's native transport: no JDK warning about native access)
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                classPath,
                "io.weir.cli.WeirCommand"));
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Runs {@code weir ARGS} in {@code directory} to its end (at most 60 seconds).
     *
     * @return exit code, standard output and standard error
     */
    static Result run(Path directory, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("weir-out-", ".txt");
        Path err = Files.createTempFile("weir-err-", ".txt");
        try {
            Process process = new ProcessBuilder(command(args))
                    .directory(directory.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("weir " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Starts {@code weir serve ARGS} in {@code directory} and waits (up to 60 seconds) for the
     * start-up report to name the address it listens on and end with "Weir is serving" (by then
     * the configuration is watched).
     */
    static WeirProcess serve(Path directory, String... args) throws IOException {
        return serve(directory, Map.of(), args);
    }

    /** {@link #serve(Path, String...)} with more environment variables. */
    static WeirProcess serve(Path directory, Map<String, String> environment, String... args) throws IOException {
        List<String> command = command("serve");
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        StringBuffer seen = new StringBuffer();
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String line;
        int port = -1;
        boolean serving = false;
        while (System.nanoTime() < deadline && (line = reader.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (port < 0 && m.find()) {
                port = Integer.parseInt(m.group(1));
            }
            if (line.startsWith("Weir is serving")) {
                serving = true;
                break;
            }
        }
        if (port < 0 || !serving) {
            process.destroyForcibly();
            throw new AssertionError("weir serve did not report a listening address:\n" + seen);
        }
        WeirProcess server = new WeirProcess(process, port);
        server.output.append(seen);
        Thread drain = new Thread(
                () -> {
                    try {
                        String more;
                        while ((more = reader.readLine()) != null) {
                            server.output.append(more).append('\n');
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                },
                "weir-serve-output");
        drain.setDaemon(true);
        drain.start();
        return server;
    }

    /** @return the port the server reported */
    int port() {
        return port;
    }

    /** @return everything the server printed so far (standard output and error) */
    String output() {
        return output.toString();
    }

    /**
     * Waits until the server's output contains {@code text}.
     *
     * @return whether it did within the timeout
     */
    boolean awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output.indexOf(text) >= 0) {
                return true;
            }
            Thread.sleep(50);
        }
        return output.indexOf(text) >= 0;
    }

    /** Stops the server as Ctrl-C would (SIGTERM), then forcibly after 30 seconds. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
