package io.weir.config;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.SiteConfig.ApplicationConfig;
import io.weir.config.SiteConfig.BindingConfig;
import io.weir.config.SiteConfig.VirtualDirectoryConfig;
import io.weir.config.merge.VariableExpansion;
import io.weir.config.schema.ConfigSchema;
import io.weir.config.schema.SchemaFile;
import io.weir.config.schema.SectionSchemas;
import io.weir.config.xml.ConfigXmlReader;
import io.weir.config.xml.XmlElement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A validated snapshot of an applicationHost.config file: its sites, its global modules, and the
 * merged {@code system.webServer} configuration of every URL, including the {@code web.config}
 * files of the sites' folders.
 *
 * <p>Reading mirrors IIS (docs/reference/configuration-system.md, "Files and levels"): sections must be declared in
 * {@code <configSections>} (an undeclared one is refused, as IIS answers 500.19); declared
 * sections Weir does not implement yet are accepted and named by {@link #unsupportedSections()};
 * collections merge with add/remove/clear, duplicate keys refused (0x800700b7); {@code <location
 * path>} levels merge outermost first; {@code configSource="file"} moves a section to another file.
 * applicationHost.config itself is merged and checked when it is read, so a snapshot that exists
 * has a valid applicationHost.config.
 *
 * <p>web.config files ("Files and levels", "Locations", "Delegation and locking") are read lazily, the first time a URL under their folder is
 * asked for, and cached with their absence: once warm, {@link #effectiveConfig} does no I/O. A
 * web.config that is malformed or sets what it may not (a section locked by
 * {@code overrideModeDefault="Deny"} or {@code <location overrideMode="Deny">}, a section beyond its
 * {@code allowDefinition}, a locked attribute, element or item, a duplicate key, a value the schema
 * refuses) does not stop anything: the {@link EffectiveConfig} of the URLs it governs carries the
 * error ({@link EffectiveConfig#error()}), for which the engine answers 500.19, and every other URL
 * keeps working. {@link #invalidate} drops what a changed file affects; {@link #consultedFiles}
 * lists what to watch.
 *
 * <p>Hot reload of web.config files: that holds for a web.config that is bad the first time Weir
 * reads it (there is nothing good to fall back on; IIS's behaviour). A web.config that was read
 * valid and is then edited into a bad state (malformed XML, an unknown attribute or bad value, a
 * lock violation, a bad {@code configSource}) is refused instead: its last good version stays in
 * force for the URLs under it, and the refusal is logged once per file version (WARN, with file,
 * line, column and reason), as a refused applicationHost.config edit is. A valid edit after a bad
 * one applies normally; deleting a web.config is a valid edit (its settings go away). Errors that
 * only show when the file is merged with the files above it count as the file's own: the whole
 * file is checked at its folder and at every deeper {@code <location>} path, and falls back as a
 * whole. The last good versions survive {@link #invalidate} and, through
 * {@link #withWebConfigHistoryOf}, a reload of applicationHost.config.
 *
 * <p>Thread-safe: the snapshot's state is immutable; the web.config cache is concurrent.
 */
public final class ApplicationHostConfig {

    /** How messages name the embedded default file. */
    public static final String EMBEDDED_LABEL = "<embedded>";

    private static final String EMBEDDED_RESOURCE = "/io/weir/config/applicationHost.config";

    private final String fileLabel;
    private final List<GlobalModuleEntry> globalModules;
    private final List<SiteConfig> sites;
    private final Map<String, SiteConfig> sitesByName;
    private final List<String> unsupportedSections;
    private final SectionTable global;
    /** Site name as written in location paths to its locations, deepest URL path first. */
    private final Map<String, SiteLocation[]> locationsBySite;
    /** The same, looked up without regard to case when the exact name misses. */
    private final Map<String, SiteLocation[]> locationsBySiteIgnoreCase;

    private final ConfigTree tree;
    private final Set<String> noSubDirConfig;
    private final List<Path> appHostFiles;
    /** What relative paths of applicationHost.config resolve against. */
    private final Path baseDirectory;

    /** A location of one site: its URL path (no trailing slash, "" for the whole site) and its merged table. */
    private record SiteLocation(String urlPath, SectionTable table) {}

    private ApplicationHostConfig(
            String fileLabel,
            List<GlobalModuleEntry> globalModules,
            List<SiteConfig> sites,
            List<String> unsupportedSections,
            SectionTable global,
            Map<String, SiteLocation[]> locationsBySite,
            ConfigTree.Shared shared,
            Set<String> noSubDirConfig,
            List<Path> appHostFiles,
            WebConfigHistory history,
            Path baseDirectory) {
        this(
                fileLabel,
                globalModules,
                sites,
                unsupportedSections,
                global,
                locationsBySite,
                noSubDirConfig,
                appHostFiles,
                baseDirectory,
                new ConfigTree(shared, sites, noSubDirConfig, history));
    }

    private ApplicationHostConfig(
            String fileLabel,
            List<GlobalModuleEntry> globalModules,
            List<SiteConfig> sites,
            List<String> unsupportedSections,
            SectionTable global,
            Map<String, SiteLocation[]> locationsBySite,
            Set<String> noSubDirConfig,
            List<Path> appHostFiles,
            Path baseDirectory,
            ConfigTree tree) {
        this.fileLabel = fileLabel;
        this.baseDirectory = baseDirectory;
        this.globalModules = globalModules;
        this.sites = sites;
        Map<String, SiteConfig> byName = new HashMap<>();
        for (SiteConfig site : sites) {
            byName.putIfAbsent(site.name(), site);
        }
        this.sitesByName = Map.copyOf(byName);
        this.unsupportedSections = unsupportedSections;
        this.global = global;
        this.locationsBySite = locationsBySite;
        TreeMap<String, SiteLocation[]> ignoreCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ignoreCase.putAll(locationsBySite);
        this.locationsBySiteIgnoreCase = ignoreCase;
        this.noSubDirConfig = noSubDirConfig;
        this.tree = tree;
        this.appHostFiles = appHostFiles;
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
            Path base = folder == null ? Path.of("").toAbsolutePath() : folder;
            return parse(
                    label,
                    in,
                    base,
                    VariableExpansion.withProcessEnvironment(variables),
                    file.toAbsolutePath().normalize(),
                    base.resolve(SchemaSources.FOLDER));
        } catch (IOException e) {
            throw new ConfigException(
                    new ConfigSource(label, 0, 0),
                    "cannot read the configuration file: " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    e);
        }
    }

    /**
     * Reads and validates configuration text.
     *
     * @param fileLabel     how error messages name the source
     * @param in            the XML; read to the end, not closed
     * @param baseDirectory what relative physical paths (and {@code configSource} files) are resolved against
     * @param variables     values for {@code %NAME%} expansion, consulted before the process environment
     * @return the snapshot
     * @throws ConfigException with file, line, column and reason when the text is refused
     */
    public static ApplicationHostConfig parse(
            String fileLabel, InputStream in, Path baseDirectory, Map<String, String> variables) {
        return parse(fileLabel, in, baseDirectory, VariableExpansion.withProcessEnvironment(variables));
    }

    /** {@link #parse(String, InputStream, Path, Map)} with an explicit expansion (tests choose the environment). */
    static ApplicationHostConfig parse(
            String fileLabel, InputStream in, Path baseDirectory, VariableExpansion expansion) {
        return parse(fileLabel, in, baseDirectory, expansion, null, baseDirectory.resolve(SchemaSources.FOLDER));
    }

    private static ApplicationHostConfig parse(
            String fileLabel,
            InputStream in,
            Path baseDirectory,
            VariableExpansion expansion,
            Path file,
            Path schemaFolder) {
        Objects.requireNonNull(fileLabel, "fileLabel");
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        XmlElement root = ConfigXmlReader.read(fileLabel, in);
        ConfigurationFile structure = ConfigurationFile.read(
                root,
                new ConfigurationFile.Context(
                        fileLabel, baseDirectory, 0, "", "", Map.of(), Set.of(), SectionSchemas.builtIn()));
        ConfigTree.Shared shared = new ConfigTree.Shared(
                structure.levels(), structure.declarations(), structure.groups(), expansion, SectionSchemas.builtIn());
        SectionTable global = new ConfigTree(shared, List.of(), Set.of()).table(serverLevels(structure));
        // an error with Weir's own schemas may be an attribute a schema file adds to one of Weir's
        // sections: it stands only when the schema files do not change the verdict
        Optional<ConfigException> builtInError = global.error();
        // the modules' schema files: the schema folder, the installed JARs, the class path
        List<Path> images = new ArrayList<>();
        for (GlobalModuleEntry entry : builtInError.isEmpty() ? globalModules(global) : List.<GlobalModuleEntry>of()) {
            entry.image().ifPresent(image -> {
                try {
                    Path path = Path.of(image.replace('\\', '/'));
                    images.add((path.isAbsolute() ? path : baseDirectory.resolve(path)).normalize());
                } catch (InvalidPathException notAPath) {
                    // an IIS image path that is no path here: the module loader reports it
                }
            });
        }
        List<SchemaFile> schemaFiles =
                SchemaSources.read(schemaFolder, images, ApplicationHostConfig.class.getClassLoader());
        SectionSchemas schemas = SectionSchemas.of(schemaFiles);
        if (builtInError.isPresent() && schemas.builtInDeclaredByFiles().isEmpty()) {
            throw builtInError.get();
        }
        if (schemas != SectionSchemas.builtIn()) {
            schemas.notes().forEach(note -> ConfigTree.LOG.warn("schema file {}", note));
            shared = new ConfigTree.Shared(
                    structure.levels(), structure.declarations(), structure.groups(), expansion, schemas);
            global = new ConfigTree(shared, List.of(), Set.of()).table(serverLevels(structure));
            global.error().ifPresent(e -> {
                throw e;
            });
        }
        List<SiteConfig> sites = SitesSection.read(global.section(ConfigSchema.SITES), baseDirectory);
        Set<String> noSubDirConfig = noSubDirConfig(global.section(ConfigSchema.SITES));
        ConfigTree tree = new ConfigTree(shared, sites, noSubDirConfig);

        Map<String, List<SiteLocation>> bySite = new LinkedHashMap<>();
        Map<String, String> siteSpelling = new HashMap<>();
        for (ConfigLevel location : structure.levels()) {
            if (location.serverWide()) {
                continue;
            }
            SectionTable table = tree.appHostTable(location.siteName(), location.urlPath());
            table.error().ifPresent(e -> {
                throw e;
            });
            String site = siteSpelling.computeIfAbsent(
                    location.siteName().toLowerCase(Locale.ROOT), k -> location.siteName());
            bySite.computeIfAbsent(site, k -> new ArrayList<>()).add(new SiteLocation(location.urlPath(), table));
        }
        Map<String, SiteLocation[]> locationsBySite = new HashMap<>();
        bySite.forEach((site, list) -> {
            list.sort(Comparator.comparingInt((SiteLocation l) -> l.urlPath().length())
                    .reversed());
            locationsBySite.put(site, list.toArray(SiteLocation[]::new));
        });
        List<Path> appHostFiles = new ArrayList<>();
        if (file != null) {
            appHostFiles.add(file);
        }
        appHostFiles.addAll(structure.configSourceFiles());
        for (SchemaFile schemaFile : schemaFiles) {
            if (!schemaFile.label().contains("!/")) {
                appHostFiles.add(Path.of(schemaFile.label()).toAbsolutePath().normalize());
            }
        }
        return new ApplicationHostConfig(
                fileLabel,
                globalModules(global),
                sites,
                structure.unsupportedSections(schemas),
                global,
                Map.copyOf(locationsBySite),
                shared,
                noSubDirConfig,
                List.copyOf(appHostFiles),
                new WebConfigHistory(),
                baseDirectory.toAbsolutePath().normalize());
    }

    private static List<ConfigLevel> serverLevels(ConfigurationFile structure) {
        List<ConfigLevel> levels = new ArrayList<>();
        for (ConfigLevel level : structure.levels()) {
            if (level.serverWide() && !level.isLocation()) {
                levels.add(level);
            }
        }
        for (ConfigLevel level : structure.levels()) {
            if (level.serverWide() && level.isLocation()) {
                levels.add(level);
            }
        }
        return levels;
    }

    /** Lower-case "site|/url" of every virtual directory with allowSubDirConfig="false". */
    private static Set<String> noSubDirConfig(ConfigElement sitesSection) {
        boolean byDefault = sitesSection
                .child("virtualDirectoryDefaults")
                .map(d -> d.booleanAttribute("allowSubDirConfig", true))
                .orElse(true);
        Set<String> result = new HashSet<>();
        for (ConfigElement site : sitesSection.collection()) {
            String name = site.stringAttribute("name", "");
            for (ConfigElement application : site.collection()) {
                String appPath = application.stringAttribute("path", "/");
                String prefix = appPath.equals("/") ? "" : appPath;
                for (ConfigElement directory : application.collection()) {
                    if (!directory.booleanAttribute("allowSubDirConfig", byDefault)) {
                        String dirPath = directory.stringAttribute("path", "/");
                        String url = prefix + (dirPath.equals("/") ? "" : dirPath);
                        result.add((name + "|" + (url.isEmpty() ? "/" : url)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return Set.copyOf(result);
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
            return parse(EMBEDDED_LABEL, in, Path.of("").toAbsolutePath(), variables, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns a copy in which one site serves another folder and/or listens on another port
     * (every http binding of that site gets the port), for {@code weir serve --root/--port}.
     * The applicationHost.config levels and merged tables are shared with this snapshot; the
     * web.config cache is the copy's own.
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
    public ApplicationHostConfig withSiteOverrides(
            String siteName, Optional<Path> physicalPath, Optional<String> ip, OptionalInt port) {
        SiteConfig site = site(siteName)
                .orElseThrow(() -> new IllegalArgumentException("no site named '" + siteName + "' in " + fileLabel));
        if (port.isPresent() && (port.getAsInt() < 0 || port.getAsInt() > 65535)) {
            throw new IllegalArgumentException("port " + port.getAsInt() + " is outside 0-65535");
        }
        List<BindingConfig> bindings = site.bindings().stream()
                .map(b -> (port.isPresent() || ip.isPresent()) && b.protocol().equalsIgnoreCase("http")
                        ? new BindingConfig(
                                b.protocol(),
                                ip.orElse(b.ip()),
                                port.isPresent() ? port.getAsInt() : b.port(),
                                b.host(),
                                b.source())
                        : b)
                .toList();
        List<ApplicationConfig> applications = site.applications().stream()
                .map(a -> physicalPath.isEmpty() || !a.path().equals("/")
                        ? a
                        : new ApplicationConfig(
                                a.path(),
                                a.applicationPool(),
                                a.virtualDirectories().stream()
                                        .map(d -> d.path().equals("/")
                                                ? new VirtualDirectoryConfig(
                                                        d.path(),
                                                        physicalPath
                                                                .get()
                                                                .toAbsolutePath()
                                                                .normalize(),
                                                        d.source())
                                                : d)
                                        .toList(),
                                a.source()))
                .toList();
        SiteConfig replaced = new SiteConfig(
                site.name(), site.id(), site.serverAutoStart(), bindings, applications, site.hsts(), site.source());
        return replacingSite(site, replaced);
    }

    /**
     * Returns a copy with one more site, rooted at a folder and listening on a port on every
     * address, as IIS Express's {@code /path:DIR /port:N} serves a folder with a configuration
     * file that defines no site (its stock applicationhost.config defines none). The site gets the
     * next free id, one root application and one http binding {@code *:port:}.
     *
     * @param siteName     the new site's name
     * @param physicalPath its root folder (made absolute and normalized)
     * @param port         its port, 0 for any free port
     * @return the copy
     * @throws IllegalArgumentException if a site already has that name, or the port is outside 0-65535
     */
    public ApplicationHostConfig withAddedSite(String siteName, Path physicalPath, int port) {
        if (site(siteName).isPresent()) {
            throw new IllegalArgumentException("a site named '" + siteName + "' already exists in " + fileLabel);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        long id = sites.stream().mapToLong(SiteConfig::id).max().orElse(0) + 1;
        ConfigSource source = new ConfigSource("<command line>", 0, 0);
        SiteConfig added = new SiteConfig(
                siteName,
                id,
                true,
                List.of(new BindingConfig("http", "*", port, "", source)),
                List.of(new ApplicationConfig(
                        "/",
                        "",
                        List.of(new VirtualDirectoryConfig(
                                "/", physicalPath.toAbsolutePath().normalize(), source)),
                        source)),
                source);
        List<SiteConfig> newSites = new ArrayList<>(sites);
        newSites.add(added);
        return new ApplicationHostConfig(
                fileLabel,
                globalModules,
                List.copyOf(newSites),
                unsupportedSections,
                global,
                locationsBySite,
                tree.shared(),
                noSubDirConfig,
                appHostFiles,
                tree.history(),
                baseDirectory);
    }

    /**
     * Returns a copy in which a site has one more binding (for {@code weir serve --https-port}).
     *
     * @param siteName the site
     * @param binding  the binding to add
     * @return the copy
     * @throws IllegalArgumentException if no site has that name
     */
    public ApplicationHostConfig withAddedBinding(String siteName, BindingConfig binding) {
        SiteConfig site = site(siteName)
                .orElseThrow(() -> new IllegalArgumentException("no site named '" + siteName + "' in " + fileLabel));
        List<BindingConfig> bindings = new ArrayList<>(site.bindings());
        bindings.add(binding);
        SiteConfig replaced = new SiteConfig(
                site.name(),
                site.id(),
                site.serverAutoStart(),
                List.copyOf(bindings),
                site.applications(),
                site.hsts(),
                site.source());
        return replacingSite(site, replaced);
    }

    /**
     * Returns where the https bindings' certificates come from (Weir's attributes on
     * {@code system.applicationHost/sites}); relative folders resolve against the folder of
     * applicationHost.config (the base directory it was parsed with), as physical paths do.
     *
     * @return the settings
     */
    public CertificateStoreSettings certificateStores() {
        ConfigElement section = global.section(ConfigSchema.SITES);
        Function<String, Path> resolve =
                p -> baseDirectory.resolve(p.replace('\\', '/')).normalize();
        return new CertificateStoreSettings(
                resolve.apply(section.attribute("weirCertificateStorePath").orElse("certificates")),
                section.attribute("weirCentralCertificateStorePath")
                        .filter(p -> !p.isBlank())
                        .map(resolve),
                section.attribute("weirCentralCertificateStorePasswordFile")
                        .filter(p -> !p.isBlank())
                        .map(resolve),
                section.attribute("weirCentralCertificateStorePasswordVariable").orElse("WEIR_CCS_PASSWORD"),
                section.attribute("weirSslProvider").orElse("OpenSsl"),
                section.booleanAttribute("weirH2c", false),
                section.booleanAttribute("weirHttp3", true));
    }

    /**
     * Returns a copy that continues the web.config history of {@code previous}: the last good
     * version of every web.config it read, so that a web.config edited into a bad state before an
     * applicationHost.config reload keeps its last good version in force after it (rather than
     * counting as bad the first time it is read). The hot-reload watcher calls it on every reloaded
     * snapshot with the one it replaces. A last good version that no longer parses or merges with
     * the new applicationHost.config (a section no longer declared, a new lock) is not used: the
     * URLs under that web.config get 500.19. The copy shares this snapshot's applicationHost.config
     * levels and tables; its web.config cache starts empty.
     *
     * @param previous the snapshot being replaced (its history is shared, not copied)
     * @return the copy; this snapshot when {@code previous} is this snapshot
     */
    public ApplicationHostConfig withWebConfigHistoryOf(ApplicationHostConfig previous) {
        Objects.requireNonNull(previous, "previous");
        if (previous == this || previous.tree.history() == tree.history()) {
            return this;
        }
        return new ApplicationHostConfig(
                fileLabel,
                globalModules,
                sites,
                unsupportedSections,
                global,
                locationsBySite,
                tree.shared(),
                noSubDirConfig,
                appHostFiles,
                previous.tree.history(),
                baseDirectory);
    }

    /**
     * Returns a copy that reads {@code bytes} as the content of the web.config {@code file} (which
     * need not exist yet) instead of the file on disk, so that an edit of a web.config is checked as
     * the server would load it before it is written: {@link #effectiveConfig} of a URL under the
     * file then carries the file's error (malformed XML, a locked section or attribute, a duplicate
     * collection entry, a bad value), with file, line and column, as a 500.19 would. The copy has no
     * web.config history, so a refused version never falls back to a last good one.
     *
     * @param file  the web.config, in the folder of a site's URL
     * @param bytes its proposed content
     * @return the copy; the other web.config files are read from disk as usual
     */
    public ApplicationHostConfig withProposedWebConfig(Path file, byte[] bytes) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(bytes, "bytes");
        return new ApplicationHostConfig(
                fileLabel,
                globalModules,
                sites,
                unsupportedSections,
                global,
                locationsBySite,
                noSubDirConfig,
                appHostFiles,
                baseDirectory,
                new ConfigTree(tree.shared(), sites, noSubDirConfig, new WebConfigHistory(), file, bytes));
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
     * Returns the effective {@code system.webServer} configuration of a URL: applicationHost.config's
     * global sections, then its {@code <location>}s whose path covers {@code siteName + urlPath} (on
     * segment boundaries, without regard to case, as IIS matches), outermost first, then the
     * {@code web.config} of each folder along the URL (site root, application and virtual-directory
     * roots, sub-folders), each with its own {@code <location>}s relative to its folder. For a site
     * this file does not define, only applicationHost.config's levels apply.
     *
     * <p>Canonical: URLs governed by the same levels get the same instance, so callers can cache
     * per instance (identity). Once the folders of a URL have been seen this is a few hash lookups
     * with no I/O; the first request under a folder lists it and reads its web.config on the
     * calling thread.
     *
     * @param siteName the site
     * @param urlPath  the absolute, decoded URL path, e.g. {@code "/docs/index.html"}
     * @return the effective configuration, never null; its {@link EffectiveConfig#error()} is set
     *         when a web.config governing the URL is invalid and has no last good version to fall
     *         back on (see the class comment)
     */
    public EffectiveConfig effectiveConfig(String siteName, String urlPath) {
        SiteConfig site = sitesByName.get(siteName);
        if (site == null && !sites.isEmpty()) {
            site = site(siteName).orElse(null);
        }
        if (site != null) {
            return tree.effectiveConfig(site, urlPath);
        }
        return appHostConfig(siteName, urlPath);
    }

    /**
     * Returns the configuration of a URL from applicationHost.config alone, ignoring web.config files.
     *
     * @param siteName the site
     * @param urlPath  the absolute URL path
     * @return the configuration; never carries an error
     */
    public EffectiveConfig appHostConfig(String siteName, String urlPath) {
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
            if (ConfigLevel.covers(location.urlPath(), urlPath)) {
                return location.table();
            }
        }
        return global;
    }

    /**
     * Drops the cached configuration a changed, added or removed file affects, so that the next
     * request under it reads the files again. For the engineer of hot reload: call it for every
     * change event of a file under a site's folders; when it returns true, the {@link
     * EffectiveConfig}s of the URLs below may be new instances (caches keyed by instance re-plan).
     * <ul>
     *   <li>a {@code web.config} (changed, added or removed), or a {@code configSource} file a
     *       web.config names: that folder's cache entry and everything below it are dropped;</li>
     *   <li>a folder that appeared or went away (or a file in a folder not seen before): the
     *       listing of its parent folder is dropped with the parent's entry;</li>
     *   <li>applicationHost.config itself, or one of its configSource files: nothing is dropped
     *       here (returns false): the snapshot has to be loaded again.</li>
     * </ul>
     * The next request under a dropped folder reads its web.config again; a version that is now
     * bad is refused (logged once, WARN) and the folder's last good version stays in force, or,
     * when there is none, the URLs under it get 500.19 (see the class comment). Safe to call from
     * any thread while requests run; requests in flight keep the configuration they started with.
     *
     * @param changedFile the file or folder that changed (absolute or relative to the working directory)
     * @return true when a cache entry was dropped
     */
    public boolean invalidate(Path changedFile) {
        return tree.invalidate(changedFile);
    }

    /**
     * Returns the files this snapshot has consulted so far, for a watcher: applicationHost.config
     * and its {@code configSource} files (when loaded from a file), the files of its schema folder, then every {@code web.config}
     * looked for in a site folder, whether present (its actual name) or absent
     * ({@code folder/web.config}), and the {@code configSource} files they name. The list grows as
     * requests reach new folders; {@link #invalidate} removes what it drops.
     *
     * @return absolute paths, applicationHost.config's first; a snapshot copy
     */
    public Set<Path> consultedFiles() {
        Set<Path> files = new LinkedHashSet<>(appHostFiles);
        files.addAll(tree.consultedFiles());
        return files;
    }

    /**
     * Returns the schema this snapshot was read with: Weir's sections plus those declared by the
     * schema files of the {@code schema} folder beside applicationHost.config and of the module
     * JARs ({@code META-INF/weir/schema/*.xml}, installed or on the class path).
     *
     * @return the schema
     */
    public SectionSchemas schemas() {
        return tree.shared().schemas;
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

    private static List<GlobalModuleEntry> globalModules(SectionTable global) {
        List<GlobalModuleEntry> entries = new ArrayList<>();
        for (ConfigElement add : global.section(ConfigSchema.GLOBAL_MODULES).collection()) {
            entries.add(new GlobalModuleEntry(
                    add.attribute("name").orElse(""),
                    add.attribute("image"),
                    add.attribute("type"),
                    add.attribute("preCondition").orElse(""),
                    add.source()));
        }
        return List.copyOf(entries);
    }

    /** @return this configuration with {@code replaced} in place of {@code site}, everything else shared */
    private ApplicationHostConfig replacingSite(SiteConfig site, SiteConfig replaced) {
        List<SiteConfig> newSites =
                sites.stream().map(s -> s == site ? replaced : s).toList();
        return new ApplicationHostConfig(
                fileLabel,
                globalModules,
                newSites,
                unsupportedSections,
                global,
                locationsBySite,
                tree.shared(),
                noSubDirConfig,
                appHostFiles,
                tree.history(),
                baseDirectory);
    }
}
