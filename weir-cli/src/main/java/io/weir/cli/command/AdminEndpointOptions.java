package io.weir.cli.command;

import io.weir.server.AdminEndpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiConsumer;
import picocli.CommandLine.Option;

/**
 * The options of the commands that read a running server's local {@link AdminEndpoint}
 * ({@code --port}, {@code --token-file}) and the one way they reach it: the port from the option or
 * the {@code weir.admin.port} system property, the bearer token from the token file, a GET on
 * {@code 127.0.0.1}, and the same messages and exit codes when something is missing or refused.
 */
final class AdminEndpointOptions {

    /** What a command does with the endpoint once its port and token are known. */
    @FunctionalInterface
    interface Session {
        /**
         * Talks to the endpoint.
         *
         * @param endpoint the endpoint to GET from
         * @return the command's exit code
         * @throws IOException          when the endpoint cannot be reached or answers an error
         * @throws InterruptedException when interrupted while waiting
         */
        int run(Endpoint endpoint) throws IOException, InterruptedException;
    }

    /** A reachable admin endpoint: its port, the token file and the token read from it. */
    static final class Endpoint {
        private final int port;
        private final Path tokenFile;
        private final String token;
        private final HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

        private Endpoint(int port, Path tokenFile, String token) {
            this.port = port;
            this.tokenFile = tokenFile;
            this.token = token;
        }

        /** @return the port on 127.0.0.1 */
        int port() {
            return port;
        }

        /** @return the token file the token was read from */
        Path tokenFile() {
            return tokenFile;
        }

        /**
         * GETs a path of the endpoint with the bearer token.
         *
         * @param path for example {@code "/status"}
         * @return the response (any status)
         * @throws IOException          when the endpoint cannot be reached
         * @throws InterruptedException when interrupted while waiting
         */
        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "The admin endpoint's port on 127.0.0.1 (default: the weir.admin.port system property).")
    private Integer port;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "The admin token file (default: the weir.admin.tokenFile system property, else"
                    + " ~/.weir/admin.token).")
    private Path tokenFile;

    /**
     * Finds the port and reads the token, then runs the session; reports what went wrong on
     * {@code err}.
     *
     * @param err     where errors are printed
     * @param session what to do with the endpoint
     * @return the session's exit code; 2 when no port is known, 1 when the token file cannot be read
     *         or the endpoint cannot be reached
     */
    int call(PrintWriter err, Session session) {
        Integer p = port;
        if (p == null) {
            String property = System.getProperty(AdminEndpoint.PORT_PROPERTY);
            if (property == null || property.isBlank()) {
                err.println("weir: give the admin endpoint's port with --port (the server runs with -D"
                        + AdminEndpoint.PORT_PROPERTY + "=N)");
                err.flush();
                return 2;
            }
            p = Integer.parseInt(property.trim());
        }
        Path file = tokenFile != null ? tokenFile : AdminEndpoint.tokenFile();
        String token;
        try {
            token = Files.readString(file).trim();
        } catch (IOException e) {
            err.println("weir: cannot read the admin token file " + file + ": " + e);
            err.flush();
            return 1;
        }
        try {
            return session.run(new Endpoint(p, file, token));
        } catch (ConnectException e) {
            err.println("weir: no admin endpoint on 127.0.0.1:" + p + " (is the server running with -D"
                    + AdminEndpoint.PORT_PROPERTY + "=" + p + "?)");
            err.flush();
            return 1;
        } catch (IOException e) {
            err.println("weir: the admin endpoint on 127.0.0.1:" + p + " failed: " + e);
            err.flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * Reports that the endpoint refused the token.
     *
     * @param err      where the message is printed
     * @param endpoint the endpoint
     * @return 1, the exit code
     */
    static int refused(PrintWriter err, Endpoint endpoint) {
        err.println("weir: the admin endpoint on 127.0.0.1:" + endpoint.port() + " refused the token in "
                + endpoint.tokenFile());
        err.flush();
        return 1;
    }

    /**
     * Reads one report of the admin endpoint and prints it: the body of a 200 goes to
     * {@code print}; a refused token or another status is reported on {@code err}.
     *
     * @param out   where the report is printed
     * @param err   where errors are printed
     * @param path  the report, e.g. {@code /farms}
     * @param print turns the report's body into the command's lines
     * @return the exit code: 0, 1 when the endpoint refused or failed, 2 when no port was given
     */
    int report(PrintWriter out, PrintWriter err, String path, BiConsumer<String, PrintWriter> print) {
        return call(err, endpoint -> {
            HttpResponse<String> r = endpoint.get(path);
            if (r.statusCode() == 401) {
                return refused(err, endpoint);
            }
            if (r.statusCode() != 200) {
                err.println("weir: the admin endpoint on 127.0.0.1:" + endpoint.port() + " answered " + r.statusCode()
                        + " for " + path + " (is weir-cli on the server's class path?)");
                err.flush();
                return 1;
            }
            print.accept(r.body(), out);
            out.flush();
            return 0;
        });
    }
}
