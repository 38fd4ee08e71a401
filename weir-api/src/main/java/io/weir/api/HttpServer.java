package io.weir.api;

import io.weir.api.cache.KernelResponseCache;
import io.weir.api.http.DispensedHttpModuleContextContainer;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpFileMonitor;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.outbound.OutboundConnector;
import io.weir.api.provider.CacheOperation;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.trace.HttpTraceContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * The process-wide services of the server, handed to every {@link ModuleRegistration}; mirrors
 * IIS's {@code IHttpServer}. All methods are thread-safe and may be called from any thread.
 */
public interface HttpServer {

    /** The version of the module API, passed as {@code serverVersion} to {@link ModuleRegistration#register}. */
    int API_VERSION = 1;

    /**
     * Returns the value of the {@code Server} response header and the {@code SERVER_SOFTWARE}
     * server variable.
     *
     * @return for example {@code "Weir/0.1"}
     */
    String serverSoftware();

    /**
     * Looks up a file's metadata (size, modification time, ETag) through the server's file cache;
     * mirrors {@code IHttpServer::GetFileInfo}. Cheap enough to call on an event loop.
     *
     * @param physicalPath an absolute path
     * @return the file's information, or empty when nothing exists at that path
     */
    Optional<HttpFileInfo> fileInfo(Path physicalPath);

    /**
     * Returns the server-level context container, keyed by {@link ModuleId}; mirrors the module
     * context of the server.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();

    /**
     * Returns an executor that runs tasks on virtual threads, where blocking is allowed; a module
     * hands blocking work here, returns PENDING, and resumes the request with
     * {@link io.weir.api.http.HttpContext#indicateCompletion}. Weir's addition to IIS's model.
     *
     * @return the executor; shut down by the server when it stops
     */
    ExecutorService blockingExecutor();

    /**
     * Returns the server-level trace context; mirrors {@code IHttpServer::GetTraceContext}.
     *
     * @return the trace context, never null
     */
    HttpTraceContext traceContext();

    /**
     * Raises {@link GlobalNotification#CUSTOM_NOTIFICATION} to the global modules that registered
     * it, in priority order then {@code <globalModules>} order, synchronously on the calling
     * thread; the first that returns HANDLED stops the delivery to the rest. Mirrors
     * {@code IHttpServer::NotifyCustomNotification}. A global module that throws is logged and
     * the next one gets the notification.
     *
     * @param provider identifies the notification
     * @return HANDLED if a global module handled it, else CONTINUE
     */
    GlobalNotificationStatus notifyCustomNotification(CustomNotificationProvider provider);

    /**
     * Reports the server as unhealthy; mirrors {@code IHttpServer::ReportUnhealthy}. The reason is
     * recorded in the engine's health status (which stays unhealthy until the server restarts,
     * as IIS's WAS recycles a worker process that reported itself unhealthy), logged as a warning,
     * and {@link GlobalNotification#HEALTH_CHECK} is raised at once on the engine's timer thread
     * (never on the caller's thread). Weir does not stop or recycle itself: an orchestrator reads
     * the status.
     *
     * @param reason why, for the health status and the log
     */
    void reportUnhealthy(String reason);

    /**
     * Returns the connector through which modules open connections to backends (a reverse proxy's
     * servers, an out-of-process application, a FastCGI process), pooled per event loop and run on
     * the calling request's event loop. Weir's addition to IIS's model (IIS modules use WinHTTP).
     * May be called from any thread; meant for request time (the transport attaches the
     * connector after the modules have registered).
     *
     * @return the connector; empty when the server has no network transport (the in-memory test
     *         harness)
     */
    default Optional<OutboundConnector> outboundConnector() {
        return Optional.empty();
    }

    /**
     * Returns the name of the application pool this process serves; mirrors
     * {@code IHttpServer::GetAppPoolName}. Weir runs every site in one process, so there is one
     * name: the system property {@code weir.appPoolName}, else IIS's {@code "DefaultAppPool"}. It is
     * also what {@code appPoolName=} in {@link #satisfiesPrecondition} compares with.
     *
     * @return the pool's name, never empty
     */
    String appPoolName();

    /**
     * Asks for this worker process to be recycled; mirrors {@code IHttpServer::RecycleProcess}. Weir
     * has no process manager (IIS's WAS) to start a new process, so the request is recorded
     * instead: logged as a warning with the reason, counted in the runtime status
     * ({@code recycleRequests} of {@code weir list requests} and of the RSCA query
     * {@code GetRuntimeStatus}) and kept with its reason for whoever manages the process (an
     * orchestrator reads the status and restarts it). Requests go on being served.
     *
     * @param reason why, for the log and the status
     */
    void recycleProcess(String reason);

    /**
     * Asks for one application to be recycled; mirrors {@code IHttpServer::RecycleApplication}.
     * Recorded as {@link #recycleProcess} records, with the application's configuration path:
     * Weir has no application domains to unload.
     *
     * @param appConfigPath the application's configuration path, for example
     *                      {@code "MACHINE/WEBROOT/APPHOST/Default Web Site/app"}
     */
    void recycleApplication(String appConfigPath);

    /**
     * Tells the server that a file changed; mirrors {@code IHttpServer::NotifyFileChange}. The
     * file cache drops its entry for the file (the next lookup reads it again) and
     * {@link GlobalNotification#FILE_CHANGE} is raised on the calling thread, as the engine's
     * watcher raises it for the files under the sites' folders.
     *
     * @param file an absolute path
     */
    void notifyFileChange(Path file);

    /**
     * Has the engine's watcher watch a folder and its sub-folders for the module; mirrors
     * {@code IHttpServer::RegisterFileChangeMonitor}. Every file created, changed or deleted under
     * it raises {@link GlobalNotification#FILE_CHANGE} with the file's path, debounced as for the
     * sites' folders (the file cache needs no notice: each lookup checks the file). The watcher runs when the
     * server watches its configuration ({@code weir serve}); a folder registered while none runs is
     * watched once one starts.
     *
     * @param folder an absolute path of a folder (a file's path watches its folder)
     * @return the registration; close it to stop
     * @throws IllegalArgumentException if {@code folder} is not absolute
     */
    HttpFileMonitor registerFileChangeMonitor(Path folder);

    /**
     * Operates on the server's file cache (the cache {@link #fileInfo} reads); mirrors
     * {@code IHttpServer::DoCacheOperation}. The operations, the keys being absolute paths:
     * {@code RETRIEVE} returns the cached entry without touching the disk; {@code ADD} looks the
     * file up, caching it; {@code DELETE} drops the entry; {@code FLUSH_PREFIX} drops every entry at
     * or under the path; {@code ENUM} lists the cached entries at or under the path. Insertions and
     * removals raise {@link GlobalNotification#CACHE_OPERATION}, as every change of the cache does.
     *
     * @param operation the operation
     * @param key       the path it applies to
     * @return the entries retrieved, added, dropped or listed; empty when none
     */
    List<HttpFileInfo> doCacheOperation(CacheOperation operation, Path key);

    /**
     * Evaluates a module or handler {@code preCondition} for this server; mirrors
     * {@code IHttpServer::SatisfiesPrecondition}. The conditions of the comma-separated list must
     * all hold: {@code integratedMode} holds and {@code ISAPIMode} (or {@code classicMode}) does
     * not (Weir runs the integrated pipeline only); {@code bitness64} holds on a 64-bit JVM and
     * {@code bitness32} on a 32-bit one; {@code runtimeVersionv2.0} and {@code runtimeVersionv4.0}
     * do not (no .NET runtime is loaded), nor does {@code managedHandler}; {@code appPoolName=a;b}
     * holds when {@link #appPoolName()} is one of the names (case-insensitive). An empty string holds.
     *
     * @param precondition the {@code preCondition} text
     * @return true when every condition holds
     * @throws IllegalArgumentException naming a condition IIS does not define (IIS sets
     *                                  {@code pfUnknownPrecondition})
     */
    boolean satisfiesPrecondition(String precondition);

    /**
     * Tells whether this process was started from a command line rather than by a service
     * manager; mirrors {@code IHttpServer::IsCommandLineLaunch}, which is true for IIS Express
     * (started from a command line) and false for a worker process WAS starts. Weir is true when
     * the {@code weir} command runs the server ({@code weir serve}), which sets
     * the system property {@value #COMMAND_LINE_LAUNCH_PROPERTY}; a program that embeds the server
     * (tests, an application that starts {@code WeirServer}) gets false unless it sets the property
     * to {@code true} itself. Read on each call; cheap, from any thread.
     *
     * @return true when launched from the command line
     */
    default boolean isCommandLineLaunch() {
        return Boolean.getBoolean(COMMAND_LINE_LAUNCH_PROPERTY);
    }

    /** The system property the {@code weir} command sets to {@code true}; see {@link #isCommandLineLaunch()}. */
    String COMMAND_LINE_LAUNCH_PROPERTY = "weir.commandLineLaunch";

    /**
     * Hands out a new module context container that belongs to no server object, for a module's
     * own objects; mirrors {@code IHttpServer::DispenseContainer}. The caller owns it and releases
     * it ({@link DispensedHttpModuleContextContainer#releaseContainer()} or {@code close()}), which
     * cleans up what was stored; one never released keeps its contexts until it is collected,
     * without cleanup. From any thread.
     *
     * @return a new, empty container
     */
    DispensedHttpModuleContextContainer dispenseContainer();

    /**
     * Returns the transport's kernel-style response cache, to which HttpCacheModule hands the
     * responses http.sys would cache and which answers later requests for them before the pipeline
     * runs. Weir's counterpart of http.sys's response cache. May be called from any thread; meant
     * for request time (the transport attaches the cache after the modules have registered).
     *
     * @return the cache; empty when the server has no network transport (the in-memory test harness)
     */
    default Optional<KernelResponseCache> kernelResponseCache() {
        return Optional.empty();
    }

    /**
     * Reports an operation on a module's cache: raises {@link GlobalNotification#CACHE_OPERATION}
     * to the global modules that registered it, on the server's timer thread (never the caller's),
     * as IIS raises GL_CACHE_OPERATION for its caches. Returns at once; does nothing when no global
     * module registered the notification.
     *
     * @param operation what happened
     * @param key       the key operated on
     * @param record    the record added or removed, or null
     */
    default void notifyCacheOperation(CacheOperation operation, String key, Object record) {}
}
