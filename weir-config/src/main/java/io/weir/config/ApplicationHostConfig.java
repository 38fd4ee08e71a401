package io.weir.config;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.SiteConfig.ApplicationConfig;
import io.weir.config.SiteConfig.BindingConfig;
import io.weir.config.SiteConfig.VirtualDirectoryConfig;
import io.weir.config.merge.SectionMerger;
import io.weir.config.merge.VariableExpansion;
import io.weir.config.schema.ConfigSchema;
import io.weir.config.schema.ElementSchema;
import io.weir.config.xml.ConfigXmlReader;
import io.weir.config.xml.XmlElement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * An immutable, validated snapshot of an applicationHost.config file: its sites, its global
 * modules, and the merged {@code system.webServer} configuration of every URL.
 *
 * <p>Reading mirrors IIS: sections must be declared in {@code <configSections>} (an undeclared
 * one is refused, as IIS answers 500.19); declared sections Weir does not implement yet are
 * accepted and named by {@link #unsupportedSections()}; collections merge with
 * add/remove/clear, duplicate keys refused (0x800700b7); {@code <location path>} levels merge
 * outermost first. Everything is merged and checked when the file is read, so a snapshot that
 * exists is valid, and {@link #effectiveConfig} is a map lookup.
 *
 * <p>Thread-safe: instances are immutable.
 */
public final class ApplicationHostConfig {

    /** How messages name the embedded default file. */
    public static final String EMBEDDED_LABEL = "<embedded>";

    private static final String EMBEDDED_RESOURCE = "/io/weir/config/applicationHost.config";

    private final String fileLabel;
    private final List<GlobalModuleEntry> globalModules;
    private final List<SiteConfig> sites;
    private final List<String> unsupportedSections;
    private final SectionTable global;
    /** Site name as written in location paths to its locations, deepest URL path first. */
    private final Map<String, SiteLocation[]> locationsBySite;
    /** The same, looked up without regard to case when the exact name misses. */
    private final Map<String, SiteLocation[]> locationsBySiteIgnoreCase;

    /** A location of one site: its URL path (no trailing slash, "" for the whole site) and its merged table. */
    private record SiteLocation(String urlPath, SectionTable table) {
    }

    private ApplicationHostConfig(String fileLabel, List<GlobalModuleEntry> globalModules, List<SiteConfig> sites,
            List<String> unsupportedSections, SectionTable global, Map<String, SiteLocation[]> locationsBySite) {
        this.fileLabel = fileLabel;
        this.globalModules = globalModules;
        this.sites = sites;
        this.unsupportedSections = unsupportedSections;
        this.global = global;
        this.locationsBySite = locationsBySite;
        TreeMap<String, SiteLocation[]> ignoreCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ignoreCase.putAll(locationsBySite);
        this.locationsBySiteIgnoreCase = ignoreCase;
    }

    /**
     * Reads and validates a file. Relative physical paths resolve against the file's folder.
     *
     * @param file      the applicationHost.config
     * @param variables values for {@code %NAME%} expansion, consulted before the process environment
     * @return the snapshot, whose {@link #fileLabel()} is {@code file} as given
     * @throws ConfigException with file, line, column and reason when the file is refused or
     *                         cannot be read (line 0 then)
     */
    public static ApplicationHostConfig load(Path file, Map<String, String> variables) {
        String label = file.toString();
        Path folder = file.toAbsolutePath().getParent();
        try (InputStream in = Files.newInputStream(file)) {
            return parse(label, in, folder == null ? Path.of("").toAbsolutePath() : folder, variables);
        } catch (IOException e) {
            throw new ConfigException(new ConfigSource(label, 0, 0),
                    "cannot read the configuration file: " + e.getClass().getSimpleName() + " " + e.getMessage(), e);
        }
    }

    /**
     * Reads and validates configuration text.
     *
     * @param fileLabel     how error messages name the source
     * @param in            the XML; read to the end, not closed
     * @param baseDirectory what relative physical paths are resolved against
     * @param variables     values for {@code %NAME%} expansion, consulted before the process environment
     * @return the snapshot
     * @throws ConfigException with file, line, column and reason when the text is refused
     */
    public static ApplicationHostConfig parse(String fileLabel, InputStream in, Path baseDirectory,
            Map<String, String> variables) {
        return parse(fileLabel, in, baseDirectory, VariableExpansion.withProcessEnvironment(variables));
    }

    /** {@link #parse(String, InputStream, Path, Map)} with an explicit expansion (tests choose the environment). */
    static ApplicationHostConfig parse(String fileLabel, InputStream in, Path baseDirectory,
            VariableExpansion expansion) {
        Objects.requireNonNull(fileLabel, "fileLabel");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        XmlElement root = ConfigXmlReader.read(fileLabel, in);
        ConfigurationFile file = ConfigurationFile.read(root);
        SectionMerger merger = new SectionMerger(expansion);

        Map<String, ConfigElement> globalSections = new LinkedHashMap<>();
        for (String section : ConfigSchema.implementedSections()) {
            XmlElement written = file.global().sections().get(section);
            if (written != null) {
                globalSections.put(section, merger.merge(written.name(), List.of(written), schema(section)));
            }
        }
        SectionTable global = new SectionTable("global", globalSections);

        Map<String, List<SiteLocation>> bySite = new LinkedHashMap<>();
        Map<String, String> siteSpelling = new HashMap<>();
        List<ConfigurationFile.Level> locations = file.locations();
        for (ConfigurationFile.Level location : locations) {
            List<ConfigurationFile.Level> chain = new ArrayList<>();
            for (ConfigurationFile.Level candidate : locations) {
                if (candidate.siteName().equalsIgnoreCase(location.siteName())
                        && covers(candidate.urlPath(), location.urlPath())) {
                    chain.add(candidate);
                }
            }
            chain.sort(Comparator.comparingInt(level -> level.urlPath().length()));
            Map<String, ConfigElement> sections = new LinkedHashMap<>(globalSections);
            for (String section : ConfigSchema.implementedSections()) {
                List<XmlElement> written = new ArrayList<>();
                XmlElement atGlobal = file.global().sections().get(section);
                if (atGlobal != null) {
                    written.add(atGlobal);
                }
                boolean local = false;
                String deepest = "";
                for (ConfigurationFile.Level level : chain) {
                    XmlElement atLevel = level.sections().get(section);
                    if (atLevel != null) {
                        written.add(atLevel);
                        local = true;
                        deepest = level.urlPath();
                    }
                }
                if (local) {
                    ConfigElement merged = merger.merge(written.get(0).name(), written, schema(section));
                    sections.put(section, deepest.isEmpty() ? merged : new LocatedElement(merged, deepest));
                }
            }
            StringBuilder description = new StringBuilder("global");
            chain.forEach(level -> description.append(" + ").append(level.path()));
            String site = siteSpelling.computeIfAbsent(location.siteName().toLowerCase(java.util.Locale.ROOT),
                    k -> location.siteName());
            bySite.computeIfAbsent(site, k -> new ArrayList<>())
                    .add(new SiteLocation(location.urlPath(), new SectionTable(description.toString(), sections)));
        }
        Map<String, SiteLocation[]> locationsBySite = new HashMap<>();
        bySite.forEach((site, list) -> {
            list.sort(Comparator.comparingInt((SiteLocation l) -> l.urlPath().length()).reversed());
            locationsBySite.put(site, list.toArray(SiteLocation[]::new));
        });

        List<SiteConfig> sites = SitesSection.read(global.section(ConfigSchema.SITES), baseDirectory);
        return new ApplicationHostConfig(fileLabel, globalModules(global), sites, file.unsupportedSections(),
                global, Map.copyOf(locationsBySite));
    }

    /**
     * Returns the embedded default applicationHost.config shipped in this JAR
     * ({@code /io/weir/config/applicationHost.config}): "Default Web Site" (id 1) on
     * {@code *:8080:} serving {@code %WEIR_SITE_ROOT%}, with the built-in modules and handlers.
     * Its {@link #fileLabel()} is {@value #EMBEDDED_LABEL}; relative paths resolve against the
     * working directory.
     *
     * @param variables must define {@code WEIR_SITE_ROOT} (or the environment must); may define others
     * @return the snapshot
     * @throws IllegalArgumentException if {@code WEIR_SITE_ROOT} is defined neither in
     *                                  {@code variables} nor in the environment
     */
    public static ApplicationHostConfig embeddedDefault(Map<String, String> variables) {
        return embeddedDefault(VariableExpansion.withProcessEnvironment(variables));
    }

    /** {@link #embeddedDefault(Map)} with an explicit expansion (tests choose the environment). */
    static ApplicationHostConfig embeddedDefault(VariableExpansion variables) {
        if (!variables.isDefined("WEIR_SITE_ROOT")) {
            throw new IllegalArgumentException("the embedded default configuration needs the variable WEIR_SITE_ROOT "
                    + "(the folder Default Web Site serves)");
        }
        try (InputStream in = ApplicationHostConfig.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + EMBEDDED_RESOURCE + " is missing from weir-config");
            }
            return parse(EMBEDDED_LABEL, in, Path.of("").toAbsolutePath(), variables);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns a copy in which one site serves another folder and/or listens on another port
     * (every http binding of that site gets the port), for {@code weir serve --root/--port}.
     * Effective configurations are shared with this snapshot.
     *
     * @param siteName     the site (exact name, or any case when no exact match)
     * @param physicalPath the new physical path of the site's root virtual directory, if present
     *                     (made absolute and normalized)
     * @param port         the new port, if present (0 = any free port)
     * @return the modified snapshot
     * @throws IllegalArgumentException if no site has that name, or the port is outside 0-65535
     */
    public ApplicationHostConfig withSiteOverrides(String siteName, Optional<Path> physicalPath, OptionalInt port) {
        return withSiteOverrides(siteName, physicalPath, Optional.empty(), port);
    }

    /**
     * As {@link #withSiteOverrides(String, Optional, OptionalInt)}, and every http binding of the site
     * also gets another IP part (for tests that must listen on {@code 127.0.0.1} only).
     *
     * @param siteName     the site (exact name, or any case when no exact match)
     * @param physicalPath the new physical path of the site's root virtual directory, if present
     * @param ip           the new IP part of the bindings, if present: {@code "*"} or a literal address
     *                     (IPv6 without brackets)
     * @param port         the new port, if present (0 = any free port)
     * @return the modified snapshot
     * @throws IllegalArgumentException if no site has that name, or the port is outside 0-65535
     */
    public ApplicationHostConfig withSiteOverrides(String siteName, Optional<Path> physicalPath, Optional<String> ip,
            OptionalInt port) {
        SiteConfig site = site(siteName).orElseThrow(() -> new IllegalArgumentException(
                "no site named '" + siteName + "' in " + fileLabel));
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port " + port.getAsInt() + " is outside 0-65535");
        }
        List<BindingConfig> bindings = site.bindings().stream()
                .map(b -> (port.isPresent() || ip.isPresent()) && b.protocol().equalsIgnoreCase("http")
                        ? new BindingConfig(b.protocol(), ip.orElse(b.ip()),
                                port.isPresent() ? port.getAsInt() : b.port(), b.host(), b.source())
                        : b)
                .toList();
        List<ApplicationConfig> applications = site.applications().stream()
                .map(a -> physicalPath.isEmpty() || !a.path().equals("/") ? a
                        : new ApplicationConfig(a.path(), a.applicationPool(), a.virtualDirectories().stream()
                                .map(d -> d.path().equals("/")
                                        ? new VirtualDirectoryConfig(d.path(),
                                                physicalPath.get().toAbsolutePath().normalize(), d.source())
                                        : d)
                                .toList(), a.source()))
                .toList();
        SiteConfig replaced = new SiteConfig(site.name(), site.id(), site.serverAutoStart(), bindings, applications,
                site.source());
        List<SiteConfig> newSites = sites.stream().map(s -> s == site ? replaced : s).toList();
        return new ApplicationHostConfig(fileLabel, globalModules, newSites, unsupportedSections, global,
                locationsBySite);
    }

    /**
     * Returns how messages name this configuration's main file.
     *
     * @return the path as given to {@link #load}, the label given to {@link #parse}, or
     *         {@value #EMBEDDED_LABEL}
     */
    public String fileLabel() {
        return fileLabel;
    }

    /**
     * Returns the merged {@code system.webServer/globalModules} entries.
     *
     * @return the entries, in order; empty when the file has none
     */
    public List<GlobalModuleEntry> globalModules() {
        return globalModules;
    }

    /**
     * Returns the sites of {@code system.applicationHost/sites}.
     *
     * @return the sites, in order; empty when the file has none
     */
    public List<SiteConfig> sites() {
        return sites;
    }

    /**
     * Finds a site by name, exactly first, then without regard to case (IIS site names are not
     * case-sensitive).
     *
     * @param name the site's name
     * @return the site, or empty when none has that name
     */
    public Optional<SiteConfig> site(String name) {
        for (SiteConfig site : sites) {
            if (site.name().equals(name)) {
                return Optional.of(site);
            }
        }
        return sites.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }

    /**
     * Returns the effective {@code system.webServer} configuration of a URL: the file's global
     * sections merged with every {@code <location>} whose path covers {@code siteName + urlPath}
     * (on segment boundaries, without regard to case, as IIS matches), outermost first.
     * Canonical: URLs governed by the same set of locations get the same instance, so callers can
     * cache per instance (identity). A map lookup; no merging happens here.
     *
     * @param siteName the site
     * @param urlPath  the absolute, decoded URL path, e.g. {@code "/docs/index.html"}
     * @return the effective configuration, never null (the global one when no location applies)
     */
    public EffectiveConfig effectiveConfig(String siteName, String urlPath) {
        if (locationsBySite.isEmpty()) {
            return global;
        }
        SiteLocation[] locations = locationsBySite.get(siteName);
        if (locations == null) {
            locations = locationsBySiteIgnoreCase.get(siteName);
            if (locations == null) {
                return global;
            }
        }
        for (SiteLocation location : locations) {
            if (covers(location.urlPath(), urlPath)) {
                return location.table();
            }
        }
        return global;
    }

    /**
     * Returns the sections the file sets that are declared in its {@code <configSections>} but
     * not implemented by Weir (they are read and otherwise ignored).
     *
     * @return full section names, in the order first written; empty when none
     */
    public List<String> unsupportedSections() {
        return unsupportedSections;
    }

    @Override
    public String toString() {
        return "ApplicationHostConfig[" + fileLabel + ", " + sites.size() + " sites, " + globalModules.size()
                + " global modules]";
    }

    /** Whether a location URL path ("" or "/a/b") covers a URL path on segment boundaries, any case. */
    private static boolean covers(String locationPath, String urlPath) {
        int length = locationPath.length();
        if (length == 0) {
            return true;
        }
        return urlPath.length() >= length && urlPath.regionMatches(true, 0, locationPath, 0, length)
                && (urlPath.length() == length || urlPath.charAt(length) == '/');
    }

    private static ElementSchema schema(String section) {
        return ConfigSchema.section(section).orElseThrow();
    }

    private static List<GlobalModuleEntry> globalModules(SectionTable global) {
        List<GlobalModuleEntry> entries = new ArrayList<>();
        for (ConfigElement add : global.section(ConfigSchema.GLOBAL_MODULES).collection()) {
            entries.add(new GlobalModuleEntry(add.attribute("name").orElse(""), add.attribute("image"),
                    add.attribute("type"), add.attribute("preCondition").orElse(""), add.source()));
        }
        return List.copyOf(entries);
    }
}
