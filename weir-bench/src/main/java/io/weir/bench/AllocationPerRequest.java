package io.weir.bench;

import com.sun.management.ThreadMXBean;
import io.weir.core.spi.MemoryExchange;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The bytes the engine allocates per request, counted exactly by the JVM for the calling thread
 * (the in-memory exchange runs the whole request there), and the median time per request of its
 * batches: the figures of {@link PipelineBenchmark} and {@link NotificationBenchmark} without
 * JMH's GC profiler, whose per-operation allocation also counts other threads' allocation (the
 * access-log writer, the JIT) and so wanders when a loaded machine runs few operations per second.
 *
 * <pre>{@code java -cp "weir-bench/target/classes:$(deps)" io.weir.bench.AllocationPerRequest [REQUESTS]}</pre>
 *
 * Prints one line per case: bytes per request, nanoseconds per request, and for the 32
 * CONTINUE modules of {@link NotificationBenchmark} the difference per module.
 */
public final class AllocationPerRequest {

    private static final int BATCH = 2_000;
    private static final int PAUSE_MS = 20;

    private AllocationPerRequest() {}

    /**
     * Runs the cases.
     *
     * @param args the number of measured requests per case (default 100,000)
     * @throws Exception if an engine does not start
     */
    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        PipelineBenchmark pipeline = new PipelineBenchmark();
        pipeline.start();
        try {
            report(
                    "PipelineBenchmark.helloFinishedInBeginRequest",
                    measure(pipeline::helloFinishedInBeginRequest, requests));
            report("PipelineBenchmark.staticFile", measure(pipeline::staticFile, requests));
        } finally {
            pipeline.stop();
        }
        NotificationBenchmark notification = new NotificationBenchmark();
        notification.start();
        try {
            double[] hello = measure(notification::hello, requests);
            double[] more = measure(notification::helloAfterContinueModules, requests);
            report("NotificationBenchmark.hello", hello);
            report("NotificationBenchmark.helloAfterContinueModules", more);
            System.out.printf(
                    "one CONTINUE notification (difference / 32): %.1f B, %.1f ns%n",
                    (more[0] - hello[0]) / 32, (more[1] - hello[1]) / 32);
        } finally {
            notification.stop();
        }
    }

    /**
     * Runs the requests in batches of {@value #BATCH}, pausing between batches so that the access
     * log's writer thread keeps up (a request whose line finds no room would wait for it on another
     * thread, and its allocation would not be counted here).
     *
     * @return bytes per request (every measured batch), median nanoseconds per request of a batch
     */
    private static double[] measure(Supplier<MemoryExchange> request, int requests) throws InterruptedException {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int batches = Math.max(1, requests / BATCH);
        run(request, batches);
        long[] nanos = new long[batches];
        long allocated = 0;
        for (int b = 0; b < batches; b++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            int complete = 0;
            for (int i = 0; i < BATCH; i++) {
                complete += request.get().isComplete() ? 1 : 0;
            }
            nanos[b] = System.nanoTime() - start;
            allocated += threads.getCurrentThreadAllocatedBytes() - before;
            if (complete != BATCH) {
                throw new IllegalStateException((BATCH - complete) + " requests of a batch did not complete at once");
            }
            Thread.sleep(PAUSE_MS);
        }
        Arrays.sort(nanos);
        return new double[] {(double) allocated / ((long) batches * BATCH), (double) nanos[batches / 2] / BATCH};
    }

    /** Warm-up: the same batches, not measured. */
    private static void run(Supplier<MemoryExchange> request, int batches) throws InterruptedException {
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < BATCH; i++) {
                request.get();
            }
            Thread.sleep(PAUSE_MS);
        }
    }

    private static void report(String name, double[] figures) {
        System.out.printf("%-50s %8.1f B/request %10.1f ns/request (median batch)%n", name, figures[0], figures[1]);
    }
}
