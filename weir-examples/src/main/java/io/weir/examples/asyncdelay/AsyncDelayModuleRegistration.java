package io.weir.examples.asyncdelay;

import io.weir.api.HttpModule;
import io.weir.api.HttpModuleFactory;
import io.weir.api.HttpServer;
import io.weir.api.ModuleAllocator;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registers the {@link AsyncDelayModule} for BEGIN_REQUEST and SEND_RESPONSE, with one scheduled
 * executor (one platform thread, {@code weir-async-delay}) per {@code <globalModules>} entry that
 * completes the parked requests. When the server stops, the factory's {@code terminate()} shuts the
 * executor down and prints the entry's counts to standard output, one line:
 * {@code AsyncDelayModule 'NAME': begun N, completed N, responses N}.
 */
public final class AsyncDelayModuleRegistration implements ModuleRegistration {

    private static final Map<String, Counts> COUNTS = new ConcurrentHashMap<>();

    /** Creates the registration; the server does this through {@link java.util.ServiceLoader} or {@code type=}. */
    public AsyncDelayModuleRegistration() {}

    /**
     * What one {@code <globalModules>} entry of the module has seen since it was registered.
     * Thread-safe.
     */
    public static final class Counts {
        final AtomicLong begun = new AtomicLong();
        final AtomicLong completed = new AtomicLong();
        final AtomicLong responses = new AtomicLong();

        Counts() {}

        /** @return requests that entered BEGIN_REQUEST (each parked with PENDING) */
        public long begun() {
            return begun.get();
        }

        /** @return completions the executor fired ({@code postCompletion} calls), one per begun request */
        public long completed() {
            return completed.get();
        }

        /** @return SEND_RESPONSE notifications with the headers being sent: responses that went out */
        public long responses() {
            return responses.get();
        }

        @Override
        public String toString() {
            return "begun " + begun() + ", completed " + completed() + ", responses " + responses();
        }
    }

    /**
     * Returns the counts of the most recent registration under a name (a reload that keeps the
     * entry keeps its counts; one that reloads the module starts new ones).
     *
     * @param moduleName the {@code <globalModules>} name
     * @return the counts, or empty when no module of that name was registered in this JVM
     */
    public static Optional<Counts> counts(String moduleName) {
        return Optional.ofNullable(COUNTS.get(moduleName));
    }

    /**
     * Creates the executor and the counts for this entry and registers the module.
     *
     * @param serverVersion ignored
     * @param info          where the module is registered
     * @param server        ignored
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        String name = info.name();
        Counts counts = new Counts();
        COUNTS.put(name, counts);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weir-async-delay");
            t.setDaemon(true);
            return t;
        });
        info.setRequestNotifications(
                new HttpModuleFactory() {
                    @Override
                    public HttpModule createModule(ModuleAllocator allocator) {
                        return new AsyncDelayModule(timer, counts);
                    }

                    @Override
                    public void terminate() {
                        timer.shutdown();
                        System.out.println("AsyncDelayModule '" + name + "': " + counts);
                        System.out.flush();
                    }
                },
                EnumSet.of(RequestNotification.BEGIN_REQUEST, RequestNotification.SEND_RESPONSE),
                EnumSet.noneOf(RequestNotification.class));
    }
}
