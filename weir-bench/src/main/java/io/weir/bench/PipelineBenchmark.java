package io.weir.bench;

import io.weir.config.ApplicationHostConfig;
import io.weir.core.WeirEngine;
import io.weir.core.spi.MemoryExchange;
import io.weir.examples.helloworld.HelloWorldModuleRegistration;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
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
 * The cost of one walk through the integrated pipeline, without a transport: the embedded default
 * configuration plus the Hello World example under {@code /hello}, each request an
 * {@link MemoryExchange} handled on the calling thread.
 *
 * <ul>
 *   <li>{@link #helloFinishedInBeginRequest}: BEGIN_REQUEST → FINISH_REQUEST → final send, LOG, END
 *       (what the wrk {@code hello} test measures, minus Netty).</li>
 *   <li>{@link #staticFile}: every stage, handler mapping and the StaticFile handler producing a file
 *       chunk for a 1 KiB file (what the wrk {@code 1k} test measures, minus Netty and sendfile).</li>
 * </ul>
 *
 * Run: {@code java -cp "weir-bench/target/classes:$(deps)" org.openjdk.jmh.Main PipelineBenchmark}
 * (see docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {

    private Path siteRoot;
    private WeirEngine engine;

    /** Creates the state; JMH does this. */
    public PipelineBenchmark() {}

    /**
     * Writes a site with a 1 KiB file and starts an engine on it.
     *
     * @throws IOException if the temporary site cannot be written
     */
    @Setup(Level.Trial)
    public void start() throws IOException {
        siteRoot = Files.createTempDirectory("weir-bench");
        Files.write(siteRoot.resolve("1k.bin"), new byte[1024]);
        String xml = defaultConfigWithHelloWorld();
        ApplicationHostConfig config = ApplicationHostConfig.parse(
                "bench applicationHost.config",
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                siteRoot,
                Map.of("WEIR_SITE_ROOT", siteRoot.toString()));
        engine = WeirEngine.start(config);
        requireComplete(run("/hello"), "/hello");
        requireComplete(run("/1k.bin"), "/1k.bin");
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

    /**
     * GET /hello: the Hello World module ends the request in BEGIN_REQUEST.
     *
     * @return the exchange, for JMH to consume
     */
    @Benchmark
    public MemoryExchange helloFinishedInBeginRequest() {
        return run("/hello");
    }

    /**
     * GET /1k.bin: the whole pipeline to the StaticFile handler.
     *
     * @return the exchange, for JMH to consume
     */
    @Benchmark
    public MemoryExchange staticFile() {
        return run("/1k.bin");
    }

    private MemoryExchange run(String uri) {
        MemoryExchange exchange = new MemoryExchange("GET", uri).header("Host", "localhost");
        engine.handle(exchange);
        return exchange;
    }

    static void requireComplete(MemoryExchange exchange, String uri) {
        if (!exchange.isComplete() || exchange.head() == null || exchange.head().status() != 200) {
            throw new IllegalStateException("GET " + uri + " did not complete with 200: "
                    + (exchange.head() == null ? "no response" : exchange.head().status()));
        }
    }

    /** The embedded default, bound to port 0, with Hello World (by type=) enabled under /hello. */
    private static String defaultConfigWithHelloWorld() {
        String xml;
        try (InputStream in = ApplicationHostConfig.class.getResourceAsStream("applicationHost.config")) {
            if (in == null) {
                throw new IllegalStateException("weir-config's embedded applicationHost.config is missing");
            }
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return xml.replace("bindingInformation=\"*:8080:\"", "bindingInformation=\"127.0.0.1:0:\"")
                .replace(
                        "</globalModules>",
                        "  <add name=\"HelloWorldModule\" type=\"" + HelloWorldModuleRegistration.class.getName()
                                + "\" />\n    </globalModules>")
                .replace("</configuration>", """
                          <location path="Default Web Site/hello">
                            <system.webServer>
                              <modules>
                                <add name="HelloWorldModule" />
                              </modules>
                            </system.webServer>
                          </location>
                        </configuration>""");
    }
}
