package io.weir.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recycling modules asked for ({@code IHttpServer::RecycleProcess}, {@code RecycleApplication}),
 * recorded because Weir has no process manager to act on them: counted in the runtime status and
 * kept (the 16 most recent) with their reasons, for whoever manages the process. Thread-safe.
 */
public final class RecycleRequests {

    private static final Logger LOG = LoggerFactory.getLogger(RecycleRequests.class);
    private static final int KEPT = 16;

    /**
     * One request.
     *
     * @param at          when it was made
     * @param application the application's configuration path, or "" for the whole process
     * @param reason      the reason the module gave ("" for an application)
     */
    public record Request(Instant at, String application, String reason) {}

    private final List<Request> recent = new ArrayList<>();
    private long count;

    void process(String reason) {
        String r = reason == null || reason.isBlank() ? "(no reason given)" : reason;
        LOG.warn("a module asked for the process to be recycled: {}; Weir keeps serving (recorded in the status)", r);
        add(new Request(Instant.now(), "", r));
    }

    void application(String appConfigPath) {
        String app = appConfigPath == null ? "" : appConfigPath;
        LOG.warn(
                "a module asked for the application {} to be recycled; Weir keeps serving (recorded in the status)",
                app);
        add(new Request(Instant.now(), app, ""));
    }

    private synchronized void add(Request r) {
        count++;
        recent.add(r);
        if (recent.size() > KEPT) {
            recent.remove(0);
        }
    }

    /** @return how many recycling requests were made since start */
    public synchronized long count() {
        return count;
    }

    /** @return the most recent requests, oldest first */
    public synchronized List<Request> recent() {
        return List.copyOf(recent);
    }
}
