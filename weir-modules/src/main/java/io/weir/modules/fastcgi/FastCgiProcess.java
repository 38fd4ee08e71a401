package io.weir.modules.fastcgi;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One process of a pool: the executable started by Weir, listening on a Unix domain socket in a
 * folder Weir created, serving one request at a time. Holds the record buffers its requests reuse
 * and the connection kept open between them ({@code FCGI_KEEP_CONN}).
 */
final class FastCgiProcess {

    private static final System.Logger LOG = System.getLogger(FastCgiProcess.class.getName());

    private final Process process;
    private final Path socket;
    private final FastCgiEndpoint endpoint;
    final RecordReader reader = new RecordReader();
    final RecordEncoder encoder = new RecordEncoder();
    /** The connection kept after a request that ended cleanly; touched only by the request holding the process. */
    private FastCgiConnection kept;
    /** Requests served, guarded by the pool's lock. */
    int served;
    /** When the process last finished a request ({@link System#nanoTime()}), guarded by the pool's lock. */
    long idleSince;
    /** The pool generation it belongs to ({@code monitorChangesTo} recycling bumps it). */
    final int generation;

    private FastCgiProcess(Process process, Path socket, int generation) {
        this.process = process;
        this.socket = socket;
        this.endpoint = FastCgiEndpoint.unix(socket);
        this.generation = generation;
        this.idleSince = System.nanoTime();
    }

    /**
     * Starts the executable with {@code -b SOCKET} (php-cgi's option to listen on a path) followed
     * by the configured arguments, and waits until the socket exists.
     *
     * @param app        the configuration
     * @param socket     the socket path to create (removed first if left over)
     * @param generation the pool generation
     * @return the running process
     * @throws IOException if it cannot be started or exits or does not listen within 10 s
     */
    static FastCgiProcess start(FastCgiApplication app, Path socket, int generation) throws IOException {
        Files.deleteIfExists(socket);
        var command = new ArrayList<String>();
        command.add(app.fullPath());
        command.add("-b");
        command.add(socket.toString());
        command.addAll(app.argumentList());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Path folder = Path.of(app.fullPath()).getParent();
        if (folder != null && Files.isDirectory(folder)) {
            builder.directory(folder.toFile());
        }
        var env = builder.environment();
        // php-cgi: one process per pool slot (no children of its own), recycled by Weir's instanceMaxRequests
        env.put("PHP_FCGI_CHILDREN", "0");
        env.put("PHP_FCGI_MAX_REQUESTS", "0");
        env.putAll(app.environmentVariables());
        Process process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!process.isAlive()) {
                throw new IOException("the FastCGI process " + app.fullPath() + " exited with status "
                        + process.exitValue() + " before listening");
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException(
                        "the FastCGI process " + app.fullPath() + " did not listen on " + socket + " within 10 s");
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting " + app.fullPath(), e);
            }
        }
        LOG.log(
                System.Logger.Level.DEBUG,
                "started FastCGI process {0} ({1}) on {2}",
                process.pid(),
                app.fullPath(),
                socket);
        return new FastCgiProcess(process, socket, generation);
    }

    /**
     * Returns the connection kept from the previous request when the process still holds it open,
     * or opens a new one.
     *
     * @return the connection
     * @throws IOException if the process does not accept
     */
    FastCgiConnection connection() throws IOException {
        FastCgiConnection c = kept;
        kept = null;
        if (c != null) {
            if (c.isReusable()) {
                return c;
            }
            c.close();
        }
        return connect();
    }

    /**
     * Keeps a connection whose request ended cleanly for the next request to this process.
     *
     * @param connection the connection, with no request in progress on it
     */
    void keep(FastCgiConnection connection) {
        FastCgiConnection old = kept;
        kept = connection;
        if (old != null && old != connection) {
            old.close();
        }
    }

    /**
     * Opens a connection to the process, retrying for up to a second while the socket exists but
     * does not accept yet (between its bind and its listen).
     *
     * @return the connection
     * @throws IOException if it does not accept
     */
    FastCgiConnection connect() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            try {
                return endpoint.connect();
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** @return true while the process runs */
    boolean isAlive() {
        return process.isAlive();
    }

    /** @return the operating system's process id */
    long pid() {
        return process.pid();
    }

    /**
     * Stops the process: with a grace period, SIGTERM first and SIGKILL when it has not exited by
     * then (IIS signals and then terminates); without one, SIGKILL at once. Removes the socket.
     * Does not wait for the grace period on the calling thread.
     *
     * @param grace {@code signalBeforeTerminateSeconds}
     */
    void stop(Duration grace) {
        closeKept();
        if (grace.isZero() || !process.isAlive()) {
            process.destroyForcibly();
            process.onExit().thenRun(this::removeSocket);
            return;
        }
        process.destroy();
        process.onExit().orTimeout(grace.toMillis(), TimeUnit.MILLISECONDS).whenComplete((p, timeout) -> {
            if (timeout != null) {
                process.destroyForcibly();
            }
            removeSocket();
        });
    }

    /**
     * Kills the process and waits up to 5 s for it to exit; for shutdown.
     */
    void kill() {
        closeKept();
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeSocket();
    }

    private void closeKept() {
        FastCgiConnection c = kept;
        kept = null;
        if (c != null) {
            c.close();
        }
    }

    private void removeSocket() {
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not remove {0}: {1}", socket, e.toString());
        }
    }

    @Override
    public String toString() {
        return "FastCGI process " + process.pid() + " on " + socket;
    }
}
