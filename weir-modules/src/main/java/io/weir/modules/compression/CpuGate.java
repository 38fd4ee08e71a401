package io.weir.modules.compression;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Suspends a kind of compression (each pair of limits keeps its own state) while the machine is busy, as IIS does: once the CPU load
 * rises above the {@code ...DisableCpuUsage} percentage compression stops, and it starts again
 * once the load has fallen to the {@code ...EnableCpuUsage} percentage. A disable percentage of
 * 100 therefore never stops it (the load cannot exceed 100), and 0 always does. The load is the
 * whole machine's CPU use, sampled at most once a second and smoothed over about five seconds
 * (IIS also averages over an interval rather than reacting to one burst); callers on the event
 * loop never wait for it.
 */
final class CpuGate {

    /**
     * A kind's two thresholds.
     *
     * @param disableAt percent above which compression stops (100: never; 0: always)
     * @param enableAt  percent at or below which it resumes
     */
    record Limits(int disableAt, int enableAt) {}

    private static final long SAMPLE_NANOS = 1_000_000_000L;

    private final DoubleSupplier load;
    private volatile long sampledAt;
    private volatile double lastLoad;
    private final Map<Limits, Boolean> suspended = new ConcurrentHashMap<>();
    private volatile boolean sampled;

    /** A gate on the machine's CPU load. */
    CpuGate() {
        this(CpuGate::machineLoad);
    }

    /** @param load the load as a fraction 0..1, negative when unknown */
    CpuGate(DoubleSupplier load) {
        this.load = load;
        this.sampledAt = System.nanoTime() - SAMPLE_NANOS;
    }

    private static double machineLoad() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getCpuLoad();
        }
        double average = os.getSystemLoadAverage();
        return average < 0 ? -1 : Math.min(1.0, average / os.getAvailableProcessors());
    }

    /**
     * Says whether compression may run now under these limits.
     *
     * @param limits the kind's thresholds
     * @return false while compression is suspended
     */
    boolean allows(Limits limits) {
        long now = System.nanoTime();
        if (now - sampledAt >= SAMPLE_NANOS) {
            sampledAt = now;
            double l = load.getAsDouble();
            double percent = l < 0 ? 0 : l * 100.0;
            lastLoad = sampled ? lastLoad * 0.8 + percent * 0.2 : percent;
            sampled = true;
        }
        double percent = lastLoad;
        if (limits.disableAt() <= 0) {
            return false;
        }
        boolean was = suspended.getOrDefault(limits, Boolean.FALSE);
        boolean off;
        if (percent > limits.disableAt()) {
            off = true;
        } else if (percent <= limits.enableAt()) {
            off = false;
        } else {
            off = was;
        }
        if (off != was) {
            suspended.put(limits, off);
        }
        return !off;
    }
}
