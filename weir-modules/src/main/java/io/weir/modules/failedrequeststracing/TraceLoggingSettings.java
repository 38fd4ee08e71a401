package io.weir.modules.failedrequeststracing;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every site's {@code traceFailedRequestsLogging} element (with {@code siteDefaults} for what a
 * site leaves out), from {@code system.applicationHost/sites}. IIS's defaults: {@code enabled}
 * false, {@code maxLogFiles} 50; {@code directory} defaults to IIS's
 * {@code %SystemDrive%\inetpub\logs\FailedReqLogFiles}, which has no meaning off Windows: Weir's
 * default is {@code logs/FailedReqLogFiles} under the working directory, and a relative directory
 * is resolved against the working directory. {@code maxLogFileSizeKB} and
 * {@code customActionsEnabled} are read but not acted on.
 *
 * @param sites    the settings of each site that has an element, by site name
 * @param defaults the settings of {@code siteDefaults}
 */
public record TraceLoggingSettings(Map<String, Logging> sites, Logging defaults) {

    /** The section type (the sites section, bound for this module's purpose). */
    public static final ConfigSectionType<TraceLoggingSettings> TYPE =
            ConfigSectionType.of("system.applicationHost/sites", TraceLoggingSettings::from);

    /** Weir's default {@code directory}. */
    static final String DEFAULT_DIRECTORY = "logs/FailedReqLogFiles";

    /**
     * One site's failed-request logging.
     *
     * @param enabled     {@code enabled}
     * @param directory   {@code directory}, absolute
     * @param maxLogFiles {@code maxLogFiles}: the site's folder keeps at most this many trace files
     */
    public record Logging(boolean enabled, Path directory, int maxLogFiles) {}

    /**
     * @param siteName a site's name
     * @return that site's settings, or the defaults
     */
    public Logging forSite(String siteName) {
        return sites.getOrDefault(siteName, defaults);
    }

    /**
     * Binds the sites section.
     *
     * @param sitesSection the merged {@code system.applicationHost/sites}
     * @return the settings
     */
    public static TraceLoggingSettings from(ConfigElement sitesSection) {
        Optional<ConfigElement> defaultsElement =
                sitesSection.child("siteDefaults").flatMap(d -> d.child("traceFailedRequestsLogging"));
        Logging defaults = read(defaultsElement, new Logging(false, absolute(DEFAULT_DIRECTORY), 50));
        Map<String, Logging> sites = new HashMap<>();
        for (ConfigElement site : sitesSection.collection()) {
            Optional<ConfigElement> element = site.child("traceFailedRequestsLogging");
            if (element.isPresent()) {
                sites.put(site.stringAttribute("name", ""), read(element, defaults));
            }
        }
        return new TraceLoggingSettings(Map.copyOf(sites), defaults);
    }

    private static Logging read(Optional<ConfigElement> element, Logging fallback) {
        if (element.isEmpty()) {
            return fallback;
        }
        ConfigElement e = element.get();
        long max = e.longAttribute("maxLogFiles", fallback.maxLogFiles());
        return new Logging(
                e.booleanAttribute("enabled", fallback.enabled()),
                e.attribute("directory").map(TraceLoggingSettings::absolute).orElse(fallback.directory()),
                (int) Math.clamp(max, 1, 10_000));
    }

    private static Path absolute(String directory) {
        return Path.of(directory.replace('\\', '/')).toAbsolutePath().normalize();
    }
}
