package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.WeirCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code weir serve} started in this JVM on a free port, fetched over loopback. */
class ServeCommandHttpTest {

    private static final Pattern LISTENING = Pattern.compile("(?m)^  http://\\S+:(\\d+)/");

    @TempDir
    Path root;

    @Test
    void servesAFileFromRootThenStopsWhenInterrupted() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello from weir\n");
        Output out = new Output("Weir is serving");
        StringWriter err = new StringWriter();
        CommandLine commandLine = WeirCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        Thread serving = Thread.ofPlatform()
                .name("weir-serve-test")
                .start(() -> exitCode.complete(commandLine.execute("serve", "--root", root.toString(), "--port", "0")));

        try {
            CompletableFuture.anyOf(out.marked, exitCode).get(30, TimeUnit.SECONDS);
            assertThat(out.marked)
                    .as("start-up output %s; stderr: %s", out, err)
                    .isDone();
            Matcher listening = LISTENING.matcher(out.toString());
            assertThat(listening.find()).as("a bound address in %s", out).isTrue();
            assertThat(out.toString())
                    .contains("Configuration: ")
                    .contains("Site \"Default Web Site\" (id 1)")
                    .contains(root.toAbsolutePath().normalize().toString())
                    .contains("Modules:");

            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listening.group(1) + "/hello.txt"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from weir\n");
        } finally {
            serving.interrupt();
            serving.join(TimeUnit.SECONDS.toMillis(40));
        }
        assertThat(exitCode.get(1, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).endsWith("stopped" + System.lineSeparator());
    }

    @Test
    void portInUseExitsWith1AndSaysSo() throws IOException {
        try (ServerSocket taken = new ServerSocket(0)) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine commandLine = WeirCommand.commandLine();
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(err, true));

            int exitCode = commandLine.execute(
                    "serve", "--root", root.toString(), "--port", Integer.toString(taken.getLocalPort()));

            assertThat(exitCode).isEqualTo(1);
            assertThat(err.toString())
                    .startsWith("weir: cannot listen on http *:" + taken.getLocalPort() + ": ")
                    .contains("Address already in use");
            assertThat(err.toString().lines()).hasSize(1);
        }
    }

    /** Collects the command's stdout and completes {@code marked} once a marker has been printed. */
    private static final class Output extends Writer {
        private final StringBuilder text = new StringBuilder();
        private final String marker;
        private final CompletableFuture<Void> marked = new CompletableFuture<>();

        Output(String marker) {
            this.marker = marker;
        }

        @Override
        public synchronized void write(char[] buffer, int offset, int length) {
            text.append(buffer, offset, length);
            if (!marked.isDone() && text.indexOf(marker) >= 0) {
                marked.complete(null);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public synchronized String toString() {
            return text.toString();
        }
    }
}
