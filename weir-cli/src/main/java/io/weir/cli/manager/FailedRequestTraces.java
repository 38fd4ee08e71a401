package io.weir.cli.manager;

import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.modules.failedrequeststracing.TraceLoggingSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The failed-request trace files of a site, as IIS Manager's "Failed Request Tracing" page lists
 * them: the folder is the site's {@code traceFailedRequestsLogging directory} (or
 * {@code siteDefaults}'), then {@code W3SVC<site id>}, as IIS lays it out; the files are Weir's
 * {@code frNNNNNN.html} (IIS writes {@code frNNNNNN.xml} read through its {@code freb.xsl}; Weir
 * writes the readable page directly, so the viewer shows it as it is). Only names of the form
 * {@code frNNNNNN.html} are ever read, so a request cannot name a file outside the folder.
 */
final class FailedRequestTraces {

    private static final Pattern NAME = Pattern.compile("fr\\d{6,}\\.html");

    private FailedRequestTraces() {}

    /**
     * Returns the folder that holds a site's trace files.
     *
     * @param config the served applicationHost.config
     * @param site   the site
     * @return {@code <directory>/W3SVC<id>}, absolute
     */
    static Path folder(ApplicationHostConfig config, SiteConfig site) {
        return logging(config, site).directory().resolve("W3SVC" + site.id());
    }

    private static TraceLoggingSettings.Logging logging(ApplicationHostConfig config, SiteConfig site) {
        return TraceLoggingSettings.from(config.appHostConfig(site.name(), "/").section("system.applicationHost/sites"))
                .forSite(site.name());
    }

    /**
     * Lists a site's trace files, newest first.
     *
     * @param config the served applicationHost.config
     * @param site   the site
     * @return the folder, whether tracing is enabled, and for each file its name, size in bytes
     *         and time written (ISO-8601); no files when the folder does not exist
     */
    static Map<String, Object> list(ApplicationHostConfig config, SiteConfig site) {
        Path folder = folder(config, site);
        List<Object> files = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            List<Path> found;
            try (Stream<Path> entries = Files.list(folder)) {
                found = entries.filter(
                                f -> NAME.matcher(f.getFileName().toString()).matches())
                        .sorted(Comparator.comparing((Path f) -> f.getFileName().toString())
                                .reversed())
                        .toList();
            } catch (IOException e) {
                found = List.of();
            }
            for (Path file : found) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", file.getFileName().toString());
                try {
                    entry.put("bytes", Files.size(file));
                    entry.put(
                            "written",
                            Instant.ofEpochMilli(Files.getLastModifiedTime(file).toMillis())
                                    .toString());
                } catch (IOException e) {
                    continue; // pruned while listed
                }
                files.add(entry);
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("folder", folder.toString());
        result.put("enabled", logging(config, site).enabled());
        result.put("files", files);
        return result;
    }

    /**
     * Reads one trace file of a site.
     *
     * @param config the served applicationHost.config
     * @param site   the site
     * @param name   the file's name, {@code frNNNNNN.html}
     * @return its text; empty when the name is not a trace file's or the file does not exist
     */
    static Optional<String> read(ApplicationHostConfig config, SiteConfig site, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(folder(config, site).resolve(name), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
