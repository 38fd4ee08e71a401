package io.weir.cli.manager;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.config.SiteConfig;
import io.weir.config.SiteConfig.ApplicationConfig;
import io.weir.config.SiteConfig.VirtualDirectoryConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The feature pages the Weir Manager shows for a site, as IIS Manager lays them out (Default
 * Document, Directory Browsing, Error Pages, HTTP Response Headers, MIME Types, URL Rewrite): for
 * each, the effective settings at the site's root with where each comes from (IIS Manager's
 * "Entry Type": local or inherited), and whether the section is locked for the site's web.config.
 *
 * <p>A section is locked as IIS decides it: {@code overrideModeDefault="Deny"} in its declaration,
 * or {@code overrideMode="Deny"} / {@code allowOverride="false"} on a {@code <location>} of
 * applicationHost.config that holds it; and what the page's edit writes may be locked by
 * {@code lockAttributes} or {@code lockElements} above. Rather than repeat those rules, the page
 * asks the loader: a web.config at the site's root that makes the page's own edit is loaded with
 * everything above it ({@link ApplicationHostConfig#withProposedWebConfig}); the loader's
 * refusal, which names the file and line where the lock is, is what the page shows, greyed, as
 * IIS Manager shows "This feature has been locked and is read only". A {@code lockItem} (which
 * stops removing an entry, which the page does not do) and other refusals show when a change is
 * tried, with the same file, line and reason.
 */
final class FeaturePages {

    /**
     * One feature page: its title, its section, the attributes and the item fields it shows, and
     * the section element the page's own edit would write (an item with a key no file uses), which
     * the lock check writes in the site's web.config.
     */
    private record Feature(
            String id,
            String title,
            String section,
            List<String> attributes,
            String collectionPath,
            List<String> fields,
            String probe) {}

    private static final List<Feature> FEATURES = List.of(
            new Feature(
                    "defaultDocument",
                    "Default Document",
                    "system.webServer/defaultDocument",
                    List.of("enabled"),
                    "files",
                    List.of("value"),
                    "<defaultDocument><files><add value=\"weir-lock-check.html\" /></files></defaultDocument>"),
            new Feature(
                    "directoryBrowse",
                    "Directory Browsing",
                    "system.webServer/directoryBrowse",
                    List.of("enabled", "showFlags"),
                    null,
                    List.of(),
                    "<directoryBrowse enabled=\"false\" />"),
            new Feature(
                    "httpErrors",
                    "Error Pages",
                    "system.webServer/httpErrors",
                    List.of("errorMode", "existingResponse"),
                    "",
                    List.of("statusCode", "subStatusCode", "path", "responseMode"),
                    "<httpErrors><error statusCode=\"599\" subStatusCode=\"99\" path=\"/weir-lock-check\""
                            + " responseMode=\"ExecuteURL\" /></httpErrors>"),
            new Feature(
                    "customHeaders",
                    "HTTP Response Headers",
                    "system.webServer/httpProtocol",
                    List.of(),
                    "customHeaders",
                    List.of("name", "value"),
                    "<httpProtocol><customHeaders><add name=\"X-Weir-Lock-Check\" value=\"1\" /></customHeaders>"
                            + "</httpProtocol>"),
            new Feature(
                    "staticContent",
                    "MIME Types",
                    "system.webServer/staticContent",
                    List.of(),
                    "",
                    List.of("fileExtension", "mimeType"),
                    "<staticContent><mimeMap fileExtension=\".weir-lock-check\" mimeType=\"text/plain\" />"
                            + "</staticContent>"),
            new Feature(
                    "rewrite",
                    "URL Rewrite (read-only)",
                    "system.webServer/rewrite/rules",
                    List.of(),
                    "",
                    List.of("name", "match", "action", "stopProcessing"),
                    "<rules />"));

    private FeaturePages() {}

    /**
     * Describes the feature pages of a site.
     *
     * @param config the served applicationHost.config, as loaded
     * @param site   the site
     * @return for each feature: id, title, section, attributes, items (each with its source) and
     *         {@code locked} (the loader's reason, or null when a web.config may set the section)
     */
    static List<Object> of(ApplicationHostConfig config, SiteConfig site) {
        EffectiveConfig effective = config.effectiveConfig(site.name(), "/");
        Optional<Path> webConfig = rootWebConfig(site);
        List<Object> pages = new ArrayList<>();
        for (Feature feature : FEATURES) {
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("id", feature.id());
            page.put("title", feature.title());
            page.put("section", feature.section());
            ConfigElement section = effective.section(feature.section());
            Map<String, Object> attributes = new LinkedHashMap<>();
            for (String name : feature.attributes()) {
                attributes.put(name, section.attribute(name).orElse(""));
            }
            page.put("attributes", attributes);
            page.put("fields", feature.fields());
            List<Object> items = new ArrayList<>();
            if (feature.collectionPath() != null) {
                Optional<ConfigElement> holder = feature.collectionPath().isEmpty()
                        ? Optional.of(section)
                        : section.child(feature.collectionPath());
                for (ConfigElement item : holder.map(ConfigElement::collection).orElse(List.of())) {
                    items.add(item(feature, item));
                }
            }
            page.put("items", items);
            page.put(
                    "locked",
                    webConfig.map(file -> lockOf(config, site, file, feature)).orElse(null));
            pages.add(page);
        }
        return pages;
    }

    private static Map<String, Object> item(Feature feature, ConfigElement item) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (String field : feature.fields()) {
            String value =
                    switch (field) {
                        case "match" ->
                            item.child("match").flatMap(m -> m.attribute("url")).orElse("");
                        case "action" ->
                            item.child("action")
                                    .map(a -> a.attribute("type").orElse("") + " "
                                            + a.attribute("url").orElse(""))
                                    .orElse("")
                                    .trim();
                        default -> item.attribute(field).orElse("");
                    };
            row.put(field, value);
        }
        row.put("source", item.source().toString());
        return row;
    }

    /**
     * Why a web.config at the site's root may not make the page's edit, or null when it may: the
     * section is locked, or an attribute or element the edit writes is ({@code lockAttributes},
     * {@code lockElements}, {@code lockAllAttributesExcept}, {@code lockAllElementsExcept}).
     */
    private static String lockOf(ApplicationHostConfig config, SiteConfig site, Path webConfig, Feature feature) {
        String[] segments = feature.section().split("/");
        StringBuilder open = new StringBuilder();
        StringBuilder close = new StringBuilder();
        for (int i = 0; i < segments.length - 1; i++) {
            open.append('<').append(segments[i]).append('>');
            close.insert(0, "</" + segments[i] + ">");
        }
        String probe = "<configuration>" + open + feature.probe() + close + "</configuration>";
        Optional<ConfigException> error = config.withProposedWebConfig(
                        webConfig, probe.getBytes(StandardCharsets.UTF_8))
                .effectiveConfig(site.name(), "/")
                .error();
        return error.map(ConfigException::reason).orElse(null);
    }

    /** The web.config at the site's root: in the physical folder of its root application's "/" directory. */
    static Optional<Path> rootWebConfig(SiteConfig site) {
        for (ApplicationConfig application : site.applications()) {
            if (application.path().equals("/")) {
                for (VirtualDirectoryConfig directory : application.virtualDirectories()) {
                    if (directory.path().equals("/") && directory.physicalPath() != null) {
                        return Optional.of(directory.physicalPath().resolve("web.config"));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
