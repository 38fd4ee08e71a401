package io.weir.bench;

import io.weir.core.WeirEngine;
import io.weir.core.spi.MemoryExchange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one request notification that returns CONTINUE: the same Hello World request, once
 * as the harness's {@code hello} test runs it ({@link #hello}) and once with
 * {@value BenchConfig#CONTINUE_MODULES} more modules that return CONTINUE in BEGIN_REQUEST before
 * Hello World ends the request ({@link #helloAfterContinueModules}). One notification costs the
 * difference divided by {@value BenchConfig#CONTINUE_MODULES}; that includes creating the module's
 * per-request instance, as the engine does for every module of a request. Average time per request,
 * in nanoseconds, on the calling thread, access log included.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NotificationBenchmark {

    private Path siteRoot;
    private WeirEngine engine;

    /** Creates the state; JMH does this. */
    public NotificationBenchmark() {}

    /**
     * Starts an engine on an empty site.
     *
     * @throws IOException if the temporary site cannot be made
     */
    @Setup(Level.Trial)
    public void start() throws IOException {
        siteRoot = Files.createTempDirectory("weir-bench");
        engine = WeirEngine.start(BenchConfig.parse(siteRoot));
        PipelineBenchmark.requireComplete(run("/hello"), "/hello");
        PipelineBenchmark.requireComplete(run("/continue"), "/continue");
    }

    /**
     * Stops the engine and removes the site.
     *
     * @throws IOException if the site cannot be removed
     */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        engine.close();
        try (Stream<Path> files = Files.walk(siteRoot)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** @return the exchange of GET /hello */
    @Benchmark
    public MemoryExchange hello() {
        return run("/hello");
    }

    /** @return the exchange of GET /continue: the CONTINUE modules, then Hello World */
    @Benchmark
    public MemoryExchange helloAfterContinueModules() {
        return run("/continue");
    }

    private MemoryExchange run(String uri) {
        MemoryExchange exchange = new MemoryExchange("GET", uri).header("Host", "localhost");
        engine.handle(exchange);
        return exchange;
    }
}
