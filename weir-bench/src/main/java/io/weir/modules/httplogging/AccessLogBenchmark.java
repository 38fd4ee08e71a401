package io.weir.modules.httplogging;

import io.weir.api.ModuleId;
import io.weir.api.http.HttpContext;
import io.weir.bench.BenchConfigAccess;
import io.weir.core.WeirEngine;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.MemoryExchange;
import io.weir.core.spi.PipelineObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
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
 * The access log's share of a request, on the event loop: {@link #format} formats the W3C line of a
 * real request (IIS's default fields, a browser's User-Agent and Referer) into bytes;
 * {@link #append} also copies it into the thread's block and hands full blocks to the writer thread,
 * which writes them to a file in a temporary folder meanwhile. Average time per line, in
 * nanoseconds. In this package because the formatter is internal to the module.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccessLogBenchmark {

    private Path folder;
    private HttpContext context;
    private W3cLog log;
    private SiteLog site;
    private final W3cLine line = new W3cLine();
    private long start;

    /** Creates the state; JMH does this. */
    public AccessLogBenchmark() {}

    /**
     * Runs one request through an engine to get a real request context, then prepares a log.
     *
     * @throws IOException if the temporary folder cannot be made
     */
    @Setup(Level.Trial)
    public void start() throws IOException {
        folder = Files.createTempDirectory("weir-bench-log");
        HttpContext[] ended = new HttpContext[1];
        PipelineObserver capture = new PipelineObserver() {
            @Override
            public void notified(Event event) {}

            @Override
            public void requestEnded(Exchange exchange, HttpContext c) {
                ended[0] = c;
            }
        };
        WeirEngine engine = WeirEngine.start(BenchConfigAccess.parse(folder), capture);
        try {
            engine.handle(new MemoryExchange("GET", "/hello?lang=en&page=2")
                    .header("Host", "localhost")
                    .header(
                            "User-Agent",
                            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                                    + "Chrome/131.0.0.0 Safari/537.36")
                    .header("Referer", "http://localhost/index.html"));
        } finally {
            engine.close();
        }
        context = ended[0];
        if (context == null) {
            throw new IllegalStateException("the request did not end");
        }
        LogWriter writer = new LogWriter(
                HttpLoggingModuleRegistration.QUEUE_CAPACITY,
                HttpLoggingModuleRegistration.FLUSH_INTERVAL,
                "Weir/bench",
                null);
        log = new W3cLog(new ModuleId(1), Clock.systemUTC(), writer);
        site = new SiteLog(
                1,
                new LogFileSettings(
                        true,
                        LogFileSettings.LogFormat.W3C,
                        folder.resolve("logs"),
                        LogFileSettings.LogPeriod.DAILY,
                        20_971_520,
                        false,
                        LogField.IIS_DEFAULTS,
                        true,
                        65_536,
                        List.of()),
                true);
        start = System.nanoTime();
        line.reset(true);
        log.format(line, context, site, start);
        System.out.println("\nthe line: " + line.toString().trim());
    }

    /**
     * Writes every line and removes the folder.
     *
     * @throws IOException if the folder cannot be removed
     */
    @TearDown(Level.Trial)
    public void stop() throws IOException {
        log.writer().close();
        System.out.println("\nlines written: " + log.writer().written() + ", lost: "
                + log.writer().lost());
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** @return the line's instant; the line is formatted into a reused buffer */
    @Benchmark
    public long format() {
        return log.format(line, context, site, start);
    }

    /** @return null unless the writer had no room; the line goes into the thread's block */
    @Benchmark
    public LogChunk append() {
        return log.append(context, site, start);
    }
}
