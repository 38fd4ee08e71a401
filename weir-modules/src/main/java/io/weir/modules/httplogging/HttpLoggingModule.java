package io.weir.modules.httplogging;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.config.ConfigException;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Writes one W3C extended log line per request of its site; mirrors IIS's HttpLoggingModule
 * ({@code loghttp.dll}). One instance per request, created when the request reaches BEGIN_REQUEST
 * (its creation time starts {@code time-taken}).
 *
 * <ul>
 *   <li>{@link RequestNotification#BEGIN_REQUEST} (priority FIRST, event loop): when the log writer
 *       is full, the request waits for room on the blocking executor (PENDING) instead of adding to the
 *       backlog; otherwise CONTINUE at once.</li>
 *   <li>{@link RequestNotification#LOG_REQUEST} (event loop): formats the line (after the response
 *       was sent, so status and bytes are final) into the thread's block of lines; when that
 *       completes a block the writer has no room for, the block is handed over from the blocking
 *       executor and the request resumes afterwards (PENDING).</li>
 * </ul>
 * Child requests are not logged (IIS logs the request the client sent).
 *
 * <p>Each request it logs is also given, as one short line, to the JDK logger {@value #CONSOLE_LOGGER}
 * at INFO ({@code 127.0.0.1 "GET /a.txt" 200 12 B 3 ms}): off unless the host turns that logger on
 * ({@code weir serve --access-log-console}), and only formatted when it is on.
 */
final class HttpLoggingModule implements HttpModule {

    /** The logger of the one-line-per-request console output. */
    static final String CONSOLE_LOGGER = "weir.access";

    private static final System.Logger CONSOLE = System.getLogger(CONSOLE_LOGGER);

    private final W3cLog log;
    private final long startNanos = System.nanoTime();
    private SiteLog site;

    /**
     * Creates the per-request instance, on the request's event loop.
     *
     * @param log the server-wide state
     */
    HttpLoggingModule(W3cLog log) {
        this.log = log;
    }

    /**
     * Looks the site's log up (binding its {@code logFile} the first time: a malformed one fails
     * this request with 500.19 before anything is sent, as IIS reports bad configuration), and holds
     * a new request back, off the event loop, while the log writer is full and the request would be
     * logged.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE, or PENDING while waiting for room
     */
    @Override
    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
        if (context.parentContext().isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        site = log.siteLog(context);
        HttpLoggingSection logging = context.config(HttpLoggingSection.SECTION);
        if (site.enabled()
                && (logging.dontLog() || logging.selectiveLogging() != HttpLoggingSection.SelectiveLogging.LOG_ALL)) {
            // a cache hit is logged whatever its status: a URL logged selectively stays out of it
            context.response().cachePolicy().disableKernelCache();
        }
        LogWriter writer = log.writer();
        if (writer.hasRoom() || !W3cLog.logs(context, site)) {
            return RequestNotificationStatus.CONTINUE;
        }
        try {
            context.server().blockingExecutor().execute(() -> {
                try {
                    writer.awaitRoom();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    context.indicateCompletion(RequestNotificationStatus.CONTINUE);
                }
            });
        } catch (RejectedExecutionException e) {
            return RequestNotificationStatus.CONTINUE;
        }
        return RequestNotificationStatus.PENDING;
    }

    /**
     * Formats the request's line into the thread's block of lines unless the site does not log,
     * {@code httpLogging} excludes the URL or the status, or this is a child request.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE, or PENDING while its complete block waits for room
     */
    @Override
    public RequestNotificationStatus onLogRequest(HttpContext context, HttpEventProvider provider) {
        if (context.parentContext().isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        SiteLog site = this.site;
        if (site == null) {
            try {
                site = log.siteLog(context);
            } catch (ConfigException e) {
                return RequestNotificationStatus.CONTINUE; // reported by BEGIN_REQUEST's 500.19 already
            }
        }
        HttpLoggingSection logging = context.config(HttpLoggingSection.SECTION);
        if (site.enabled()) {
            log.hearKernelHits(context.server());
        }
        if (!site.enabled() || !logging.logs(context.response().statusCode())) {
            return RequestNotificationStatus.CONTINUE;
        }
        if (CONSOLE.isLoggable(System.Logger.Level.INFO)) {
            var request = context.request();
            var response = context.response();
            int sub = response.status().subStatus();
            CONSOLE.log(
                    System.Logger.Level.INFO,
                    request.remoteAddress().getHostString() + " \""
                            + request.method() + " " + request.rawUrl() + "\" " + response.statusCode()
                            + (sub == 0 ? "" : "." + sub)
                            + " " + response.bytesSent() + " B "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + " ms");
        }
        LogChunk complete = log.append(context, site, startNanos);
        if (complete == null) {
            return RequestNotificationStatus.CONTINUE;
        }
        LogWriter writer = log.writer();
        try {
            context.server().blockingExecutor().execute(() -> {
                try {
                    writer.put(complete);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    context.indicateCompletion(RequestNotificationStatus.CONTINUE);
                }
            });
        } catch (RejectedExecutionException e) {
            // the server is shutting its executor down: hand the block over beyond the writer's room
            writer.enqueueLast(complete);
            return RequestNotificationStatus.CONTINUE;
        }
        return RequestNotificationStatus.PENDING;
    }
}
