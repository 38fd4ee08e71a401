package io.weir.modules.httplogging;

import io.weir.api.HttpModule;
import io.weir.api.HttpModuleFactory;
import io.weir.api.HttpServer;
import io.weir.api.ModuleAllocator;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;

/**
 * The entry of HttpLoggingModule, named by {@code type=} in the default applicationHost.config (and
 * what IIS's {@code loghttp.dll} image maps to); mirrors the {@code RegisterModule} export of IIS's
 * {@code loghttp.dll}.
 *
 * <p>Called once at start-up. Starts the log writer thread and registers a factory for
 * BEGIN_REQUEST (priority FIRST) and LOG_REQUEST; the factory's {@code terminate()}, called when the
 * server stops after its requests have drained, writes every queued line and closes the files.
 * Publishes the writer's queue depth as {@link AccessLogCounters} in the server's module context
 * container.
 */
public final class HttpLoggingModuleRegistration implements ModuleRegistration {

    /** How many formatted lines may wait for the writer before requests are held back. */
    static final int QUEUE_CAPACITY = 16_384;

    /** How often buffered lines are written to the file. */
    static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final Clock clock;
    private final int capacity;
    private final CountDownLatch gate;
    private volatile W3cLog log;

    /** Creates the registration with the system clock; ServiceLoader needs a public no-argument constructor. */
    public HttpLoggingModuleRegistration() {
        this(Clock.systemUTC(), QUEUE_CAPACITY, null);
    }

    /**
     * For tests: another clock, queue capacity, and a gate the writer waits for before each batch.
     *
     * @param clock    the wall clock of the date/time fields and of rollover
     * @param capacity the queue capacity, in lines
     * @param gate     null, or a latch that holds the writer back until it opens
     */
    HttpLoggingModuleRegistration(Clock clock, int capacity, CountDownLatch gate) {
        this.clock = clock;
        this.capacity = capacity;
        this.gate = gate;
    }

    /**
     * Starts the writer and registers for BEGIN_REQUEST (FIRST) and LOG_REQUEST.
     *
     * @param serverVersion the module API version
     * @param info          where to register
     * @param server        the server, for its software name
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        LogWriter writer = new LogWriter(capacity, FLUSH_INTERVAL, W3cLog.software(server), gate);
        W3cLog w3c = new W3cLog(info.id(), clock, writer);
        this.log = w3c;
        server.moduleContextContainer().setModuleContext(new AccessLogCounters(writer), info.id());
        info.setRequestNotifications(
                new HttpModuleFactory() {
                    @Override
                    public HttpModule createModule(ModuleAllocator allocator) {
                        return new HttpLoggingModule(w3c);
                    }

                    @Override
                    public void terminate() {
                        writer.close();
                    }
                },
                EnumSet.of(RequestNotification.BEGIN_REQUEST, RequestNotification.LOG_REQUEST),
                EnumSet.noneOf(RequestNotification.class));
        info.setPriorityForRequestNotification(EnumSet.of(RequestNotification.BEGIN_REQUEST), Priority.FIRST);
    }

    /** @return the writer state of the last registration, for tests; null before {@link #register} */
    W3cLog log() {
        return log;
    }
}
