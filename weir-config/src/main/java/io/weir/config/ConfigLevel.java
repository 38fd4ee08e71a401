package io.weir.config;

import io.weir.api.config.ConfigSource;
import io.weir.config.xml.XmlElement;
import java.util.Map;

/**
 * One configuration level: the sections one file writes for one configuration path, either at
 * the file's own level or inside one {@code <location>} element. Compared by identity: a level
 * is one place in one version of one file, and effective configurations are canonical per list
 * of levels.
 *
 * <p>A level's path is a site (empty for the whole server) and a URL path within it ("" for the
 * whole site, else {@code "/a/b"}): applicationHost.config's own level is the server;
 * {@code <location path="Site/a">} is site {@code Site}, URL {@code /a}; a web.config in the
 * folder of URL {@code /a} is that folder's path, and its {@code <location path="b">} is
 * {@code /a/b} (docs/reference/configuration-system.md, "Locations").
 */
final class ConfigLevel {

    private final String fileLabel;
    private final int rank;
    private final boolean serverWide;
    private final String siteName;
    private final String urlPath;
    private final boolean location;
    private final String overrideMode;
    private final boolean inheritInChildApplications;
    private final Map<String, XmlElement> sections;
    private final ConfigSource source;

    /**
     * @param fileLabel                  how messages name the file
     * @param rank                       0 for applicationHost.config, 1 + folder depth for a web.config
     * @param serverWide                 the level applies to every site (applicationHost.config, path "")
     * @param siteName                   the site, "" when server-wide
     * @param urlPath                    "" or "/a/b", without trailing slash
     * @param location                   written inside a {@code <location>} element with a path
     * @param overrideMode               {@code Allow}, {@code Deny} or {@code Inherit}
     * @param inheritInChildApplications false: does not apply inside child applications
     * @param sections                   section full name to element, in document order
     * @param source                     the {@code <location>} element, or the file's root element
     */
    ConfigLevel(
            String fileLabel,
            int rank,
            boolean serverWide,
            String siteName,
            String urlPath,
            boolean location,
            String overrideMode,
            boolean inheritInChildApplications,
            Map<String, XmlElement> sections,
            ConfigSource source) {
        this.fileLabel = fileLabel;
        this.rank = rank;
        this.serverWide = serverWide;
        this.siteName = siteName;
        this.urlPath = urlPath;
        this.location = location;
        this.overrideMode = overrideMode;
        this.inheritInChildApplications = inheritInChildApplications;
        this.sections = sections;
        this.source = source;
    }

    String fileLabel() {
        return fileLabel;
    }

    int rank() {
        return rank;
    }

    boolean serverWide() {
        return serverWide;
    }

    String siteName() {
        return siteName;
    }

    String urlPath() {
        return urlPath;
    }

    boolean isLocation() {
        return location;
    }

    String overrideMode() {
        return overrideMode;
    }

    boolean inheritInChildApplications() {
        return inheritInChildApplications;
    }

    Map<String, XmlElement> sections() {
        return sections;
    }

    ConfigSource source() {
        return source;
    }

    /** @return true when the level applies to the given site (by name, without regard to case) */
    boolean appliesToSite(String site) {
        return serverWide || siteName.equalsIgnoreCase(site);
    }

    /** @return true when the level's URL path covers {@code url} on segment boundaries, any case */
    boolean coversUrl(String url) {
        return covers(urlPath, url);
    }

    /** Whether a URL path ("" or "/a/b") covers another on segment boundaries, without regard to case. */
    static boolean covers(String prefix, String url) {
        int length = prefix.length();
        if (length == 0) {
            return true;
        }
        return url.length() >= length
                && url.regionMatches(true, 0, prefix, 0, length)
                && (url.length() == length || url.charAt(length) == '/');
    }

    /** @return how messages name the level: the file, and the location path if any */
    String describe() {
        return location ? fileLabel + " <location path=\"" + (serverWide ? "" : siteName) + urlPath + "\">" : fileLabel;
    }

    @Override
    public String toString() {
        return describe();
    }
}
