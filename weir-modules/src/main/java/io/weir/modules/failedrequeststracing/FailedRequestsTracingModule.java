package io.weir.modules.failedrequeststracing;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpServer;
import io.weir.api.ModuleId;
import io.weir.api.http.HttpContext;
import io.weir.api.http.StoredContext;
import io.weir.api.provider.GlobalTraceEventProvider;
import io.weir.api.provider.PreBeginRequestProvider;
import io.weir.api.trace.TraceConfiguration;
import io.weir.api.trace.TraceEvent;
import io.weir.api.trace.TraceVerbosity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * Failed Request Tracing; mirrors IIS's FailedRequestsTracingModule ({@code iisfreb.dll}). A global
 * module only (as IIS's consumes GL_TRACE_EVENT):
 * <ol>
 *   <li>GL_PRE_BEGIN_REQUEST (event loop): when the site's {@code traceFailedRequestsLogging} is
 *       enabled and a {@code traceFailedRequests} rule's {@code path} matches the URL, subscribes to
 *       the request's trace context (every provider, area and verbosity) and keeps a per-request
 *       buffer in the request's context container. Other requests cost two cached section lookups
 *       and nothing else: the engine raises no event for them.</li>
 *   <li>GL_TRACE_EVENT (the request's thread): appends the event to the buffer. On
 *       GENERAL_REQUEST_END it checks each matching rule's {@code failureDefinitions} in order —
 *       {@code statusCodes} on the final status, {@code timeTaken} (when not zero) on the time
 *       taken, {@code verbosity} (when not Ignore) on the most severe event seen — and, for the first
 *       rule that fails the request, hands the buffer to {@link TraceFileWriter} on the blocking
 *       executor: one HTML file per failed request, with the events the rule's {@code traceAreas}
 *       select.</li>
 * </ol>
 * Departures, by choice: the file is HTML ({@code frNNNNNN.html}), not IIS's XML + freb.xsl; it is
 * written when the request ends, so a request that never ends (or {@code traceAllAfterTimeout}) is
 * not traced; custom actions are not run. Thread-safe.
 */
final class FailedRequestsTracingModule implements GlobalModule {

    private static final List<TraceConfiguration> EVERYTHING =
            List.of(new TraceConfiguration(TraceConfiguration.ALL_PROVIDERS, Set.of(), TraceVerbosity.VERBOSE));

    private final ModuleId id;
    private final HttpServer server;
    private final TraceFileWriter writer = new TraceFileWriter();

    FailedRequestsTracingModule(ModuleId id, HttpServer server) {
        this.id = id;
        this.server = server;
    }

    /** What is collected for one traced request. */
    static final class RequestTrace implements StoredContext {
        final List<TraceFailedRequestsSection.Rule> rules;
        final TraceLoggingSettings.Logging logging;
        final long siteId;
        final List<TraceEvent> events = new ArrayList<>();

        RequestTrace(List<TraceFailedRequestsSection.Rule> rules, TraceLoggingSettings.Logging logging, long siteId) {
            this.rules = rules;
            this.logging = logging;
            this.siteId = siteId;
        }

        @Override
        public void cleanupStoredContext() {}
    }

    @Override
    public GlobalNotificationStatus onGlobalPreBeginRequest(PreBeginRequestProvider provider) {
        HttpContext context = provider.httpContext();
        TraceLoggingSettings.Logging logging =
                context.config(TraceLoggingSettings.TYPE).forSite(context.site().siteName());
        if (!logging.enabled()) {
            return GlobalNotificationStatus.CONTINUE;
        }
        List<TraceFailedRequestsSection.Rule> matching = null;
        String path = context.request().urlPath();
        for (TraceFailedRequestsSection.Rule rule :
                context.config(TraceFailedRequestsSection.TYPE).rules()) {
            if (rule.matches(path)) {
                if (matching == null) {
                    matching = new ArrayList<>();
                }
                matching.add(rule);
            }
        }
        if (matching == null) {
            return GlobalNotificationStatus.CONTINUE;
        }
        context.moduleContextContainer()
                .setModuleContext(
                        new RequestTrace(
                                List.copyOf(matching), logging, context.site().siteId()),
                        id);
        context.traceContext().setTraceConfiguration(id, EVERYTHING);
        return GlobalNotificationStatus.CONTINUE;
    }

    @Override
    public GlobalNotificationStatus onGlobalTraceEvent(GlobalTraceEventProvider provider) {
        if (!provider.checkSubscription(id)) {
            return GlobalNotificationStatus.CONTINUE;
        }
        Optional<HttpContext> context = provider.currentHttpContext();
        if (context.isEmpty()) {
            return GlobalNotificationStatus.CONTINUE;
        }
        Optional<StoredContext> stored = context.get().moduleContextContainer().moduleContext(id);
        if (stored.isEmpty() || !(stored.get() instanceof RequestTrace trace)) {
            return GlobalNotificationStatus.CONTINUE;
        }
        TraceEvent event = provider.traceEvent();
        trace.events.add(event);
        if (event.name().equals("GENERAL_REQUEST_END")) {
            end(context.get(), trace, event);
        }
        return GlobalNotificationStatus.CONTINUE;
    }

    private void end(HttpContext context, RequestTrace trace, TraceEvent end) {
        int status = intItem(end, "HttpStatus");
        int subStatus = intItem(end, "HttpSubStatus");
        double timeTakenMs = Double.parseDouble(end.items().getOrDefault("TimeTakenMs", "0"));
        int worst = 0;
        for (TraceEvent e : trace.events) {
            int v = e.verbosity().ordinal();
            if (v >= 1 && v <= 3 && (worst == 0 || v < worst)) {
                worst = v;
            }
        }
        for (TraceFailedRequestsSection.Rule rule : trace.rules) {
            TraceFailedRequestsSection.FailureDefinition f = rule.failure();
            String reason = null;
            if (f.statusMatches(status, subStatus)) {
                reason = "STATUS_CODE";
            } else if (!f.timeTaken().isZero() && timeTakenMs >= f.timeTaken().toMillis()) {
                reason = "TIME_TAKEN";
            } else if (f.verbosity() > 0 && worst > 0 && worst <= f.verbosity()) {
                reason = "VERBOSITY";
            }
            if (reason != null) {
                write(context, trace, rule, reason);
                return;
            }
        }
    }

    private void write(HttpContext context, RequestTrace trace, TraceFailedRequestsSection.Rule rule, String reason) {
        List<TraceEvent> events = List.copyOf(trace.events);
        TraceFileWriter.Request request = new TraceFileWriter.Request(
                context.request().method(),
                context.request().rawUrl(),
                context.site().siteName(),
                trace.siteId,
                context.serverVariable("REQUEST_ID").orElse(""),
                rule,
                reason,
                events);
        Runnable task = () -> writer.write(trace.logging, request);
        try {
            server.blockingExecutor().execute(task);
        } catch (RejectedExecutionException e) {
            // the server is stopping: the trace of this last request is not written
        }
    }

    /** Nothing to release: files are written as requests end. */
    @Override
    public void terminate() {}

    private static int intItem(TraceEvent e, String name) {
        try {
            return Integer.parseInt(e.items().getOrDefault(name, "0"));
        } catch (NumberFormatException ex) {
            return 0;
        }
    }
}
