package io.weir.config;

import io.weir.api.config.ConfigException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An immutable, validated snapshot of an applicationHost.config file.
 *
 * <p>SKELETON: signatures fixed by the lead; implementation owned by the weir-config work.
 */
public final class ApplicationHostConfig {

    private ApplicationHostConfig() {
    }

    /**
     * Reads and validates a file.
     *
     * @param file      the applicationHost.config
     * @param variables values for {@code %NAME%} expansion, consulted before the process environment
     * @return the snapshot
     * @throws ConfigException with file, line, column and reason when the file is refused
     */
    public static ApplicationHostConfig load(Path file, Map<String, String> variables) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Reads and validates configuration text.
     *
     * @param fileLabel how error messages name the source
     * @param in        the XML
     * @param baseDirectory what relative physical paths are resolved against
     * @param variables values for {@code %NAME%} expansion, consulted before the process environment
     * @return the snapshot
     * @throws ConfigException with file, line, column and reason when the text is refused
     */
    public static ApplicationHostConfig parse(String fileLabel, InputStream in, Path baseDirectory,
            Map<String, String> variables) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Returns the embedded default applicationHost.config shipped in this JAR
     * ({@code /io/weir/config/applicationHost.config}): "Default Web Site" (id 1) on
     * {@code *:8080:} serving {@code %WEIR_SITE_ROOT%}, with the built-in modules and handlers.
     *
     * @param variables must define {@code WEIR_SITE_ROOT}; may define others
     * @return the snapshot
     */
    public static ApplicationHostConfig embeddedDefault(Map<String, String> variables) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Returns a copy in which one site serves another folder and/or listens on another port
     * (every http binding of that site gets the port), for {@code weir serve --root/--port}.
     *
     * @param siteName     the site
     * @param physicalPath the new physical path of the site's root virtual directory, if present
     * @param port         the new port, if present (0 = any free port)
     * @return the modified snapshot
     * @throws IllegalArgumentException if no site has that name
     */
    public ApplicationHostConfig withSiteOverrides(String siteName, Optional<Path> physicalPath, OptionalInt port) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** @return how messages name this configuration's main file */
    public String fileLabel() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** @return the merged {@code system.webServer/globalModules} entries, in order */
    public List<GlobalModuleEntry> globalModules() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** @return the sites of {@code system.applicationHost/sites}, in order */
    public List<SiteConfig> sites() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Returns the effective {@code system.webServer} configuration of a URL: the file's global
     * sections merged with every {@code <location>} whose path covers {@code siteName + urlPath}.
     * Canonical: URLs governed by the same set of locations get the same instance, so callers can
     * cache per instance (identity).
     *
     * @param siteName the site
     * @param urlPath  the absolute, decoded URL path
     * @return the effective configuration, never null
     */
    public EffectiveConfig effectiveConfig(String siteName, String urlPath) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** @return the section names the file reports as declared but not implemented by Weir */
    public List<String> unsupportedSections() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
