package io.weir.bench;

import io.weir.config.ApplicationHostConfig;
import java.nio.file.Path;

/** The benchmarks' configuration, for the benchmarks that live in the packages of what they measure. */
public final class BenchConfigAccess {

    private BenchConfigAccess() {}

    /**
     * Parses the micro-benchmarks' configuration (see {@code BenchConfig}) for a site folder.
     *
     * @param siteRoot the site's root folder
     * @return the configuration
     */
    public static ApplicationHostConfig parse(Path siteRoot) {
        return BenchConfig.parse(siteRoot);
    }
}
