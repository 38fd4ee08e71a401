package io.weir.modules.httplogging;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code logFile} settings of every site of {@code system.applicationHost/sites}, with
 * {@code siteDefaults} applied; how HttpLoggingModule, which sees the configuration only through
 * {@link io.weir.api.http.HttpContext#config}, learns where and how a site logs. Immutable.
 *
 * @param bySiteId  each site's settings by {@code site@id}
 * @param defaults  the settings of a site the section does not list ({@code siteDefaults} alone)
 */
public record SiteLogSettings(Map<Long, LogFileSettings> bySiteId, LogFileSettings defaults) {

    /** The section this record binds. */
    public static final ConfigSectionType<SiteLogSettings> SECTION =
            ConfigSectionType.of("system.applicationHost/sites", SiteLogSettings::from);

    /**
     * Copies the map so the record stays immutable.
     *
     * @param bySiteId see the record
     * @param defaults see the record
     */
    public SiteLogSettings {
        bySiteId = Map.copyOf(bySiteId);
    }

    /**
     * Binds the merged {@code sites} section.
     *
     * @param section the section
     * @return the record
     * @throws ConfigException when a {@code logFile} attribute is malformed
     */
    public static SiteLogSettings from(ConfigElement section) {
        Optional<ConfigElement> defaults = section.child("siteDefaults").flatMap(d -> d.child("logFile"));
        Map<Long, LogFileSettings> sites = new HashMap<>();
        for (ConfigElement site : section.collection()) {
            if (site.attribute("id").isEmpty()) {
                continue; // the sites section itself refuses such a site when the server starts
            }
            long id = site.longAttribute("id", 0);
            sites.put(id, LogFileSettings.from(site.child("logFile"), defaults));
        }
        return new SiteLogSettings(sites, LogFileSettings.from(Optional.empty(), defaults));
    }

    /**
     * Returns a site's settings.
     *
     * @param siteId the site's id
     * @return its settings, or {@link #defaults()} for an id the section does not list
     */
    public LogFileSettings forSite(long siteId) {
        LogFileSettings settings = bySiteId.get(siteId);
        return settings == null ? defaults : settings;
    }
}
