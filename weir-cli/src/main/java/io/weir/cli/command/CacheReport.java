package io.weir.cli.command;

import io.weir.api.cache.KernelCacheListing;
import io.weir.api.cache.KernelCacheStatistics;
import io.weir.api.cache.KernelResponseCache;
import io.weir.api.http.StoredContext;
import io.weir.core.WeirEngine;
import io.weir.core.inspect.EngineInspection;
import io.weir.modules.caching.OutputCache;
import io.weir.server.AdminReport;
import java.util.Comparator;
import java.util.Optional;

/**
 * The admin endpoint's {@code /cache}: the kernel-style cache of the transport and the output cache
 * of HttpCacheModule (kept in the server's module context container). First one summary line per
 * cache ({@code cache}, then entries, bytes, hits, misses), then one line per entry: the cache,
 * the site, the URL (the kernel cache's with its {@code Host}), the body's bytes, its hits, and
 * {@code change} or the seconds it has left.
 */
public final class CacheReport implements AdminReport {

    /** The header line of the report. */
    static final String HEADER = "cache\tsite\turl\tbytes\thits\tuntil\n";

    /** Creates the report; ServiceLoader needs a public no-argument constructor. */
    public CacheReport() {}

    @Override
    public String path() {
        return "/cache";
    }

    @Override
    public String tsv(WeirEngine engine) {
        StringBuilder sb = new StringBuilder(HEADER);
        Optional<KernelResponseCache> kernel = engine.server().kernelResponseCache();
        OutputCache output = null;
        for (StoredContext stored : EngineInspection.of(engine).serverStoredContexts()) {
            if (stored instanceof OutputCache c) {
                output = c;
            }
        }
        if (kernel.isPresent()) {
            KernelCacheStatistics s = kernel.get().statistics();
            summary(sb, "kernel", s.entries(), s.bytes(), s.hits(), s.misses());
        }
        if (output != null) {
            summary(sb, "output", output.size(), output.bytes(), output.hits(), output.misses());
        }
        if (kernel.isPresent()) {
            for (KernelCacheListing l : kernel.get().list().stream()
                    .sorted(Comparator.comparing(KernelCacheListing::rawUrl))
                    .toList()) {
                sb.append("kernel\t")
                        .append(cell(l.siteName()))
                        .append('\t')
                        .append(cell(l.host() + l.rawUrl()))
                        .append('\t')
                        .append(l.bytes())
                        .append('\t')
                        .append(l.hits())
                        .append('\t')
                        .append(l.until())
                        .append('\n');
            }
        }
        if (output != null) {
            for (OutputCache.Listing l : output.list().stream()
                    .sorted(Comparator.comparing(OutputCache.Listing::key))
                    .toList()) {
                sb.append("output\t\t")
                        .append(cell(l.key()))
                        .append('\t')
                        .append(l.bytes())
                        .append('\t')
                        .append(l.hits())
                        .append('\t')
                        .append(l.until())
                        .append('\n');
            }
        }
        return sb.toString();
    }

    private static void summary(StringBuilder sb, String cache, long entries, long bytes, long hits, long misses) {
        sb.append(cache)
                .append("\t*\t")
                .append(entries)
                .append('\t')
                .append(bytes)
                .append('\t')
                .append(hits)
                .append('\t')
                .append(misses)
                .append('\n');
    }

    private static String cell(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
