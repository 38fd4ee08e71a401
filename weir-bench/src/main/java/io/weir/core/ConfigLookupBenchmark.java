package io.weir.core;

import io.weir.bench.BenchConfigAccess;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.core.internal.site.ServedSite;
import io.weir.core.internal.site.SiteRouter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The effective-configuration lookup a request makes for its URL, in the benchmark's configuration
 * (the embedded default with Hello World under a {@code <location path="Default Web Site/hello">}):
 * through the configuration tree, as every request did before the per-URL cache
 * ({@code tree*}), and through the generation's {@link UrlConfigCache} ({@code cached*}), for
 * {@code /hello} (under the location, deeper than any folder) and {@code /1k.bin} (a file of the
 * site root). Average time per lookup, in nanoseconds. In this package because the cache is
 * internal to the engine.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConfigLookupBenchmark {

    private ApplicationHostConfig config;
    private ServedSite site;
    private UrlConfigCache cache;
    private String siteName;
    // fresh String instances per lookup, as a request's decoded path is
    private final char[] hello = "/hello".toCharArray();
    private final char[] file = "/1k.bin".toCharArray();

    /** Creates the state; JMH does this. */
    public ConfigLookupBenchmark() {}

    /**
     * Parses the configuration for a site with one 1 KiB file.
     *
     * @throws IOException if the temporary site cannot be written
     */
    @Setup(Level.Trial)
    public void start() throws IOException {
        Path root = Files.createTempDirectory("weir-bench");
        Files.write(root.resolve("1k.bin"), new byte[1024]);
        root.toFile().deleteOnExit();
        root.resolve("1k.bin").toFile().deleteOnExit();
        config = BenchConfigAccess.parse(root);
        site = new SiteRouter(config.sites()).sites().get(0);
        siteName = site.siteName();
        cache = new UrlConfigCache(config);
    }

    /** @return the configuration of /hello, walking the tree */
    @Benchmark
    public EffectiveConfig treeHello() {
        return config.effectiveConfig(siteName, new String(hello));
    }

    /** @return the configuration of /hello, from the cache */
    @Benchmark
    public EffectiveConfig cachedHello() {
        return cache.effectiveConfig(site, new String(hello));
    }

    /** @return the configuration of /1k.bin, walking the tree */
    @Benchmark
    public EffectiveConfig treeFile() {
        return config.effectiveConfig(siteName, new String(file));
    }

    /** @return the configuration of /1k.bin, from the cache */
    @Benchmark
    public EffectiveConfig cachedFile() {
        return cache.effectiveConfig(site, new String(file));
    }
}
