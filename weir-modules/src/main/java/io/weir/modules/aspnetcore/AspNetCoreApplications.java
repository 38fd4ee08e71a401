package io.weir.modules.aspnetcore;

import io.weir.api.http.HttpApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server-wide state of the ASP.NET Core Module: one {@link AspNetCoreApplication} per
 * application that has served a request, keyed by application id. Created by the module's
 * registration; an application's process is stopped on APPLICATION_STOP, every process when the
 * module is terminated (and, as a safety net, when the JVM exits).
 */
final class AspNetCoreApplications {

    private static final System.Logger LOG = System.getLogger(AspNetCoreApplications.class.getName());

    private final Map<String, AspNetCoreApplication> applications = new ConcurrentHashMap<>();
    private final Executor executor;
    private final Thread shutdownHook = new Thread(this::close, "weir-aspnetcore-shutdown");
    private volatile boolean hooked;
    private volatile boolean closed;

    /** @param executor where processes are started (blocking) */
    AspNetCoreApplications(Executor executor) {
        this.executor = executor;
    }

    /**
     * Returns the state of an application, creating it on first use.
     *
     * @param application the request's application
     * @return its process state
     * @throws IllegalStateException after {@link #close()}
     */
    AspNetCoreApplication of(HttpApplication application) {
        if (closed) {
            throw new IllegalStateException("the ASP.NET Core Module was terminated");
        }
        AspNetCoreApplication existing = applications.get(application.applicationId());
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            if (!hooked && !closed) {
                Runtime.getRuntime().addShutdownHook(shutdownHook);
                hooked = true;
            }
        }
        return applications.computeIfAbsent(
                application.applicationId(),
                id -> new AspNetCoreApplication(
                        id, application.applicationPhysicalPath(), application.virtualPath(), executor));
    }

    /**
     * Stops an application's process (APPLICATION_STOP), without waiting for it to exit.
     *
     * @param applicationId the application's id
     */
    void stop(String applicationId) {
        AspNetCoreApplication app = applications.remove(applicationId);
        if (app != null) {
            app.stop();
        }
    }

    /** Stops every process and waits for them to exit (each within its {@code shutdownTimeLimit}). Idempotent. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (String id : List.copyOf(applications.keySet())) {
            AspNetCoreApplication app = applications.remove(id);
            if (app != null) {
                stopping.add(app.stop());
            }
        }
        try {
            CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).get(15, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the ASP.NET Core processes: {0}", e.toString());
        }
        if (hooked) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyExiting) {
                // called from the hook itself
            }
        }
    }
}
