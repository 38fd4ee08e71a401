package io.weir.examples.requestcounter;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.provider.PreBeginRequestProvider;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the requests that enter the server, in GL_PRE_BEGIN_REQUEST; the Java form of the
 * walkthrough's global module, which records every request before the pipeline starts.
 *
 * <p>PRE_BEGIN_REQUEST runs for every request of every site and application, on the connection's
 * event loop, concurrently across connections: hence the {@link AtomicLong} and no blocking. The
 * total is logged by {@link #terminate()} when the server stops.
 */
public final class RequestCounterGlobalModule implements GlobalModule {

    private static final System.Logger LOG = System.getLogger(RequestCounterGlobalModule.class.getName());

    private final String name;
    private final AtomicLong requests = new AtomicLong();

    /**
     * Creates a counter at zero.
     *
     * @param name the module's configured name, for the log line written at stop
     */
    public RequestCounterGlobalModule(String name) {
        this.name = name;
    }

    /**
     * Counts the request and lets it go on to the other global modules and the pipeline.
     *
     * @param provider unused
     * @return {@link GlobalNotificationStatus#CONTINUE}, always
     */
    @Override
    public GlobalNotificationStatus onGlobalPreBeginRequest(PreBeginRequestProvider provider) {
        requests.incrementAndGet();
        return GlobalNotificationStatus.CONTINUE;
    }

    /**
     * Returns the number of requests counted so far, this one included when called during a request.
     *
     * @return the count, zero or more
     */
    public long count() {
        return requests.get();
    }

    /** Logs the total number of requests counted. */
    @Override
    public void terminate() {
        LOG.log(Level.INFO, "{0}: {1} requests counted", name, requests.get());
    }
}
