package io.weir.modules.aspnetcore;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The process of one application under the ASP.NET Core Module's out-of-process hosting: started
 * on the first request (and again with new settings when its {@code aspNetCore} section changes),
 * watched while it runs, started again when it dies unless it crashed more often than
 * {@code rapidFailsPerMinute} within the last minute, and stopped gracefully with the application.
 * Thread-safe: requests ask for it from their event loops, processes start on the blocking executor,
 * exits are seen on the JDK's process reaper.
 */
final class AspNetCoreApplication {

    private static final System.Logger LOG = System.getLogger(AspNetCoreApplication.class.getName());
    private static final long MINUTE_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final DateTimeFormatter LOG_STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /**
     * A running process the module forwards to.
     *
     * @param port  the loopback port it listens on ({@code ASPNETCORE_PORT})
     * @param token the pairing token it was given ({@code ASPNETCORE_TOKEN}), sent back with every
     *              request as {@code MS-ASPNETCORE-TOKEN}
     * @param pid   its operating-system process id
     */
    record Backend(int port, String token, long pid) {}

    /** The process could not be started, or may not be started now. */
    static final class ProcessFailure extends Exception {
        private static final long serialVersionUID = 1L;

        ProcessFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String applicationId;
    private final Path root;
    private final String virtualPath;
    private final Executor executor;

    private AspNetCoreSection settings;
    private Process process;
    private Backend backend;
    private CompletableFuture<Backend> starting;
    private final ArrayDeque<Long> failures = new ArrayDeque<>();
    private boolean stopped;

    /**
     * @param applicationId the application's id, for messages
     * @param root          the application's physical folder: the working directory, and where
     *                      relative paths start
     * @param virtualPath   the application's virtual path ({@code ASPNETCORE_APPL_PATH})
     * @param executor      where processes are started (blocking)
     */
    AspNetCoreApplication(String applicationId, Path root, String virtualPath, Executor executor) {
        this.applicationId = applicationId;
        this.root = root;
        this.virtualPath = virtualPath;
        this.executor = executor;
    }

    /**
     * Returns the running process, starting it when none runs; with settings other than those of
     * the running process, that process is stopped and a new one started.
     *
     * @param section the application's {@code aspNetCore} section
     * @return completes with the process once it listens, or with a {@link ProcessFailure}
     */
    synchronized CompletableFuture<Backend> ready(AspNetCoreSection section) {
        if (stopped) {
            return CompletableFuture.failedFuture(
                    new ProcessFailure("the application " + applicationId + " is stopping", null));
        }
        if (!section.equals(settings)) {
            stopCurrent();
            settings = section;
            starting = null;
        }
        if (backend != null && process != null && process.isAlive()) {
            return CompletableFuture.completedFuture(backend);
        }
        if (starting != null) {
            return starting;
        }
        long now = System.nanoTime();
        while (!failures.isEmpty() && now - failures.peekFirst() > MINUTE_NANOS) {
            failures.pollFirst();
        }
        if (failures.size() > section.rapidFailsPerMinute()) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(MINUTE_NANOS - (now - failures.peekFirst())));
            return CompletableFuture.failedFuture(new ProcessFailure(
                    "the process of " + applicationId + " failed " + failures.size()
                            + " times within a minute (rapidFailsPerMinute=" + section.rapidFailsPerMinute()
                            + "); it is not started again for " + seconds + " s",
                    null));
        }
        CompletableFuture<Backend> future = new CompletableFuture<>();
        starting = future;
        AspNetCoreSection s = section;
        executor.execute(() -> start(s, future));
        return future;
    }

    private void start(AspNetCoreSection s, CompletableFuture<Backend> future) {
        Process p = null;
        try {
            int port = freePort();
            String token = UUID.randomUUID().toString();
            ProcessBuilder builder =
                    new ProcessBuilder(command(s)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (Files.isDirectory(root)) {
                builder.directory(root.toFile());
            }
            var env = builder.environment();
            env.putAll(s.environmentVariables());
            env.put("ASPNETCORE_PORT", Integer.toString(port));
            env.put("ASPNETCORE_APPL_PATH", virtualPath.isEmpty() ? "/" : virtualPath);
            env.put("ASPNETCORE_TOKEN", token);
            if (s.stdoutLogEnabled()) {
                Path log = stdoutLog(s);
                Files.createDirectories(log.toAbsolutePath().getParent());
                builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            } else {
                builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            p = builder.start();
            awaitListening(p, port, s.startupTimeLimit());
            Backend b = new Backend(port, token, p.pid());
            synchronized (this) {
                if (starting != future || stopped) {
                    stop(p, Duration.ZERO);
                    future.completeExceptionally(new ProcessFailure("the application's settings changed", null));
                    return;
                }
                process = p;
                backend = b;
                starting = null;
            }
            Process started = p;
            p.onExit().thenRun(() -> exited(started));
            LOG.log(
                    System.Logger.Level.INFO,
                    "started {0} for {1}: pid {2}, port {3}",
                    s.processPath(),
                    applicationId,
                    p.pid(),
                    port);
            future.complete(b);
        } catch (IOException | ProcessFailure | RuntimeException e) {
            if (p != null) {
                stop(p, Duration.ZERO);
            }
            synchronized (this) {
                failures.addLast(System.nanoTime());
                if (starting == future) {
                    starting = null;
                }
            }
            ProcessFailure failure = e instanceof ProcessFailure pf
                    ? pf
                    : new ProcessFailure(
                            "could not start " + s.processPath() + " for " + applicationId + ": " + e.getMessage(), e);
            LOG.log(System.Logger.Level.WARNING, failure.getMessage());
            future.completeExceptionally(failure);
        }
    }

    private List<String> command(AspNetCoreSection s) {
        List<String> command = new ArrayList<>();
        String path = s.processPath().replace('\\', '/');
        boolean relative = path.startsWith(".")
                || (path.indexOf('/') >= 0 && !Path.of(path).isAbsolute());
        command.add(relative ? root.resolve(path).normalize().toString() : path);
        for (String argument : s.argumentList()) {
            // ".\MyApp.dll", as dotnet publish writes it for Windows, names a file of the application
            command.add(
                    argument.startsWith(".\\") ? "./" + argument.substring(2).replace('\\', '/') : argument);
        }
        return command;
    }

    private Path stdoutLog(AspNetCoreSection s) {
        String prefix = s.stdoutLogFile().replace('\\', '/');
        Path base = Path.of(prefix).isAbsolute()
                ? Path.of(prefix)
                : root.resolve(prefix).normalize();
        return base.resolveSibling(
                base.getFileName() + "_" + LocalDateTime.now().format(LOG_STAMP) + "_"
                        + ProcessHandle.current().pid() + ".log");
    }

    private void awaitListening(Process p, int port, Duration limit) throws ProcessFailure {
        long deadline = System.nanoTime() + limit.toNanos();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        while (true) {
            if (!p.isAlive()) {
                throw new ProcessFailure(
                        "the process of " + applicationId + " ("
                                + String.join(" ", p.info().commandLine().orElse("")) + ") exited with status "
                                + p.exitValue() + " before it listened on port " + port,
                        null);
            }
            try (Socket socket = new Socket()) {
                socket.connect(address, 200);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ProcessFailure(
                        "the process of " + applicationId + " did not listen on port " + port + " within "
                                + limit.toSeconds() + " s (startupTimeLimit)",
                        null);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProcessFailure("interrupted while starting the process of " + applicationId, e);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void exited(Process p) {
        synchronized (this) {
            if (process != p) {
                return; // stopped by the module
            }
            process = null;
            backend = null;
            failures.addLast(System.nanoTime());
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the process of {0} (pid {1}) exited with status {2}; starting it again",
                    applicationId,
                    p.pid(),
                    p.exitValue());
            if (stopped || settings == null) {
                return;
            }
            ready(settings);
        }
    }

    /** Stops the running process, if any, without waiting. Call with the lock held. */
    private void stopCurrent() {
        Process p = process;
        process = null;
        backend = null;
        if (p != null && settings != null) {
            stop(p, settings.shutdownTimeLimit());
        }
    }

    /**
     * Stops the application's process for good: SIGTERM, then after {@code shutdownTimeLimit} SIGKILL.
     *
     * @return completes when the process has exited (at once when none ran)
     */
    CompletableFuture<Void> stop() {
        Process p;
        Duration grace;
        synchronized (this) {
            stopped = true;
            p = process;
            process = null;
            backend = null;
            grace = settings == null ? Duration.ZERO : settings.shutdownTimeLimit();
        }
        return p == null ? CompletableFuture.completedFuture(null) : stop(p, grace);
    }

    /** SIGTERM to the process and its descendants, SIGKILL after the grace period (at once without one). */
    private static CompletableFuture<Void> stop(Process p, Duration grace) {
        List<ProcessHandle> descendants = p.descendants().toList();
        if (grace.isZero()) {
            descendants.forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        } else {
            descendants.forEach(ProcessHandle::destroy);
            p.destroy();
        }
        return p.onExit()
                .orTimeout(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS)
                .handle((exited, timeout) -> {
                    if (timeout != null) {
                        descendants.forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly();
                    }
                    return p.onExit();
                })
                .thenCompose(exit -> exit)
                .thenApply(exit -> null);
    }
}
