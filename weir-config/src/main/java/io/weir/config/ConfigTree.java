package io.weir.config;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.SiteConfig.ApplicationConfig;
import io.weir.config.SiteConfig.VirtualDirectoryConfig;
import io.weir.config.merge.MergedElement;
import io.weir.config.merge.SectionMerger;
import io.weir.config.merge.VariableExpansion;
import io.weir.config.merge.WrittenElement;
import io.weir.config.schema.ElementSchema;
import io.weir.config.schema.SectionSchemas;
import io.weir.config.xml.XmlElement;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration paths of one snapshot: applicationHost.config's levels, plus the web.config
 * files of the sites' folders, read lazily (the first time a URL under the folder is asked for)
 * and cached, and the merged tables of every list of levels, interned so that the same levels
 * give the same {@link EffectiveConfig} instance.
 *
 * <p>Per site, a tree of nodes mirrors the URL folders that can carry configuration: the site
 * root, application and virtual-directory roots, and the sub-folders that exist on disk. Each
 * node lists its folder once (its sub-folders and whether it holds a {@code web.config}, found
 * without regard to case), so a warm lookup is a walk over hash maps with no I/O; a URL segment
 * that is no sub-folder (a file, or a name that does not exist) creates nothing, so unknown URLs
 * cannot grow the cache.
 *
 * <p>Merge order of the levels of a URL (docs/reference/configuration-system.md, "Files and levels", "Locations"): file by file,
 * applicationHost.config first, then each web.config from the site's root down; within a file,
 * its own level, then its {@code <location>}s that cover the URL, shallowest first. A location
 * with {@code inheritInChildApplications="false"} applies only inside its own application.
 * {@code allowSubDirConfig="false"} on a virtual directory stops the web.config search below its
 * root folder.
 *
 * <p><b>Hot reload and bad edits.</b> A web.config is checked as a whole when its folder's node is
 * built: it must parse, and merge without error with the files above it (in force) at its folder's
 * URL and at every deeper {@code <location>} path that the files so far name. A valid version is
 * remembered as the folder's last good one ({@link WebConfigHistory}, which survives cache drops
 * and is handed on to the snapshot that replaces this one on an applicationHost.config reload). A
 * version that fails (malformed XML, unknown attribute, bad value, duplicate key, lock violation,
 * bad {@code configSource}, unreadable file) is refused when its folder has a last good version that
 * is still valid with the files above it now: that version stays in force for the URLs under the
 * folder, and the refusal is logged once per file version (WARN, file:line:column and reason), as a
 * refused applicationHost.config edit is. Without a last good version (the file was bad the first
 * time Weir read it, or it was deleted and recreated bad), or when the last good version does not
 * merge either (a parent now locks what it sets), the URLs under it get 500.19, as on IIS. Deleting
 * a web.config is a valid edit: its settings go away, and so does its last good version.
 *
 * <p>Thread-safe: lookups run concurrently on event loops; the first lookup of a folder reads its
 * listing and web.config on the calling thread (cold path only).
 */
final class ConfigTree {

    static final Logger LOG = LoggerFactory.getLogger(ConfigTree.class);

    /** Shared by the trees of one applicationHost.config (withSiteOverrides copies). */
    static final class Shared {
        final List<ConfigLevel> appHostLevels;
        final Map<String, SectionDeclaration> declarations;
        final Set<String> groups;
        final SectionMerger merger;
        final Map<String, ConfigElement> defaults;
        final SectionSchemas schemas;
        final ConcurrentHashMap<List<ConfigLevel>, SectionTable> tables = new ConcurrentHashMap<>();
        final ConcurrentHashMap<SectionKey, Object> merged = new ConcurrentHashMap<>();

        Shared(
                List<ConfigLevel> appHostLevels,
                Map<String, SectionDeclaration> declarations,
                Set<String> groups,
                VariableExpansion expansion,
                SectionSchemas schemas) {
            this.schemas = schemas;
            this.appHostLevels = List.copyOf(appHostLevels);
            this.declarations = Map.copyOf(declarations);
            this.groups = Set.copyOf(groups);
            this.merger = new SectionMerger(expansion);
            Map<String, ConfigElement> defaults = new LinkedHashMap<>();
            for (String section : schemas.implementedSections()) {
                defaults.put(
                        section,
                        MergedElement.empty(
                                leaf(section), schemas.section(section).orElseThrow(), expansion));
            }
            this.defaults = Map.copyOf(defaults);
        }
    }

    /** A section and the levels that write it (identity list): the key of one merge. */
    private record SectionKey(String section, List<ConfigLevel> writers) {}

    /** One URL folder of a site that can carry configuration. */
    private final class Node {
        final String site;
        final String url;
        final Path folder;
        final Node parent;
        final int rank;
        final boolean subDirConfig;
        final Path webConfigCandidate;
        /** The web.config in force: the file as read, or its last good version when the file was refused. */
        final WebConfigFile webConfig;
        /** The configSource files of the file as read and of the version in force (a change to one drops this node). */
        final List<Path> sourceFiles;

        final Set<String> subdirectories;
        final List<WebConfigFile> chain;
        final ConfigException chainError;
        final Map<String, SectionDeclaration> declarations;
        final Set<String> groups;
        final EffectiveConfig config;
        final List<ConfigLevel> deeperLocations;
        final ConcurrentHashMap<String, Node> children = new ConcurrentHashMap<>();

        Node(String site, String url, Path folder, Node parent, boolean readWebConfig, boolean subDirConfig) {
            this.site = site;
            this.url = url;
            this.folder = folder;
            this.parent = parent;
            this.rank = parent == null ? 1 : parent.rank + 1;
            this.subDirConfig = subDirConfig;
            Set<String> subdirs = new HashSet<>();
            String webConfigName = null;
            if (folder != null) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                    for (Path entry : entries) {
                        String name = entry.getFileName().toString();
                        if (Files.isDirectory(entry)) {
                            subdirs.add(name);
                        } else if (name.equalsIgnoreCase("web.config")
                                && (webConfigName == null || name.equals("web.config"))) {
                            webConfigName = name;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // a folder that does not exist (or cannot be listed) has no configuration
                }
                if (webConfigName == null && proposedWebConfig(folder.resolve("web.config")) != null) {
                    webConfigName = "web.config";
                }
            }
            this.subdirectories = Set.copyOf(subdirs);
            Map<String, SectionDeclaration> inheritedDeclarations =
                    parent == null ? shared.declarations : parent.declarations;
            Set<String> inheritedGroups = parent == null ? shared.groups : parent.groups;
            this.webConfigCandidate = folder == null || !readWebConfig
                    ? null
                    : folder.resolve(webConfigName == null ? "web.config" : webConfigName);
            WebConfigFile file = null;
            List<Path> sources = List.of();
            ConfigException parentError = parent == null ? null : parent.chainError;
            List<WebConfigFile> parentChain = parent == null ? List.of() : parent.chain;
            if (readWebConfig && webConfigName != null) {
                Path path = folder.resolve(webConfigName);
                ConfigurationFile.Context context = new ConfigurationFile.Context(
                        path.toString(),
                        folder,
                        rank,
                        site,
                        url,
                        inheritedDeclarations,
                        inheritedGroups,
                        shared.schemas);
                WebConfigHistory.ReadWebConfig read = WebConfigHistory.read(path, proposedWebConfig(path), context);
                file = read.file();
                sources = read.sourceFiles();
                if (parentError == null) {
                    // a file under a folder that is itself in error is not checked: 500.19 comes from above
                    ConfigException problem =
                            file.error() != null ? file.error() : validate(site, url, parentChain, file);
                    if (problem == null) {
                        history.remember(folder, read);
                    } else {
                        WebConfigFile fallback = lastGood(folder, context, site, url, parentChain);
                        if (fallback != null) {
                            logRefusal(path, read.version(), problem, site, url);
                            forget(file);
                            List<Path> both = new ArrayList<>(sources);
                            both.addAll(fallback.parsed().configSourceFiles());
                            sources = List.copyOf(both);
                            file = fallback;
                        } else if (file.error() == null) {
                            logOnce(problem);
                        }
                    }
                }
            } else if (readWebConfig && folder != null) {
                // no web.config (or it was deleted): nothing to fall back on if one appears bad
                history.forget(folder);
            }
            this.sourceFiles = sources;
            this.webConfig = file;
            List<WebConfigFile> files = new ArrayList<>(parent == null ? List.of() : parent.chain);
            ConfigException error = parent == null ? null : parent.chainError;
            if (file != null) {
                files.add(file);
                if (error == null) {
                    error = file.error();
                }
            }
            this.chain = List.copyOf(files);
            this.chainError = error;
            this.declarations =
                    file != null && file.parsed() != null ? file.parsed().declarations() : inheritedDeclarations;
            this.groups = file != null && file.parsed() != null ? file.parsed().groups() : inheritedGroups;
            this.deeperLocations = deeperLocations(site, url, chain);
            this.config = chainError != null ? errorTable(chainError, site, url) : table(levelsFor(site, url, chain));
        }
    }

    private final Shared shared;
    private final List<SiteConfig> sites;
    /** Lower-case "site|/vdir/url" of the virtual directories with allowSubDirConfig="false". */
    private final Set<String> noSubDirConfig;

    private final ConcurrentHashMap<String, Node> roots = new ConcurrentHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private final WebConfigHistory history;
    /** A proposed web.config (absolute, normalized) read instead of the file on disk; null when none. */
    private final Path proposedFile;

    private final byte[] proposedBytes;

    ConfigTree(Shared shared, List<SiteConfig> sites, Set<String> noSubDirConfig) {
        this(shared, sites, noSubDirConfig, new WebConfigHistory());
    }

    ConfigTree(Shared shared, List<SiteConfig> sites, Set<String> noSubDirConfig, WebConfigHistory history) {
        this(shared, sites, noSubDirConfig, history, null, null);
    }

    /**
     * A tree that reads {@code proposedBytes} as the content of {@code proposedFile} (which may not
     * exist yet), to check an edit of a web.config before it is written.
     */
    ConfigTree(
            Shared shared,
            List<SiteConfig> sites,
            Set<String> noSubDirConfig,
            WebConfigHistory history,
            Path proposedFile,
            byte[] proposedBytes) {
        this.shared = shared;
        this.sites = sites;
        this.noSubDirConfig = Set.copyOf(noSubDirConfig);
        this.history = history;
        this.proposedFile =
                proposedFile == null ? null : proposedFile.toAbsolutePath().normalize();
        this.proposedBytes = proposedBytes;
    }

    /** The proposed content of a web.config, or null to read the file. */
    private byte[] proposedWebConfig(Path file) {
        return proposedFile != null && proposedFile.equals(file.toAbsolutePath().normalize()) ? proposedBytes : null;
    }

    Shared shared() {
        return shared;
    }

    WebConfigHistory history() {
        return history;
    }

    // ---------------------------------------------------------------------------------------------
    // Lookup
    // ---------------------------------------------------------------------------------------------

    /**
     * The effective configuration of a URL of a configured site.
     *
     * @param site the site
     * @param url  the absolute URL path
     * @return the configuration
     */
    EffectiveConfig effectiveConfig(SiteConfig site, String url) {
        Node node = roots.get(site.name());
        if (node == null) {
            node = roots.computeIfAbsent(site.name(), name -> newRoot(site));
        }
        int length = url.length();
        int start = 1;
        while (start < length) {
            int end = url.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                String segment = url.substring(start, end);
                Node child = node.children.get(segment);
                if (child == null) {
                    child = newChild(site, node, segment);
                    if (child == null) {
                        break;
                    }
                }
                node = child;
            }
            start = end + 1;
        }
        if (node.deeperLocations.isEmpty() || node.chainError != null) {
            return node.config;
        }
        String path = url.endsWith("/") && url.length() > 1 ? url.substring(0, url.length() - 1) : url;
        for (ConfigLevel location : node.deeperLocations) {
            if (location.coversUrl(path)) {
                return table(levelsFor(site.name(), path, node.chain));
            }
        }
        return node.config;
    }

    /**
     * The table of a URL from applicationHost.config's levels alone.
     *
     * @param site the site name
     * @param url  the URL path
     * @return the canonical table
     */
    SectionTable appHostTable(String site, String url) {
        return table(levelsFor(site, url, List.of()));
    }

    private Node newRoot(SiteConfig site) {
        ApplicationConfig root = site.applications().stream()
                .filter(a -> a.path().equals("/"))
                .findFirst()
                .orElse(site.applications().get(0));
        Path folder = rootDirectory(root).orElse(null);
        return new Node(site.name(), "", folder, null, true, subDirConfig(site.name(), ""));
    }

    private Node newChild(SiteConfig site, Node parent, String segment) {
        String url = parent.url + "/" + segment;
        Optional<Path> virtualRoot = virtualRoot(site, url);
        boolean leadsToVirtualDirectory = virtualRoot.isPresent() || belowIsVirtual(site, url);
        if (!leadsToVirtualDirectory && !parent.subdirectories.contains(segment)) {
            return null;
        }
        return parent.children.computeIfAbsent(segment, s -> {
            if (virtualRoot.isPresent()) {
                return new Node(site.name(), url, virtualRoot.get(), parent, true, subDirConfig(site.name(), url));
            }
            Path folder = parent.folder == null ? null : parent.folder.resolve(segment);
            return new Node(site.name(), url, folder, parent, parent.subDirConfig, parent.subDirConfig);
        });
    }

    private boolean subDirConfig(String site, String url) {
        return !noSubDirConfig.contains((site + "|" + (url.isEmpty() ? "/" : url)).toLowerCase(Locale.ROOT));
    }

    private static Optional<Path> rootDirectory(ApplicationConfig application) {
        return application.virtualDirectories().stream()
                .filter(d -> d.path().equals("/"))
                .map(VirtualDirectoryConfig::physicalPath)
                .findFirst();
    }

    /** The physical folder of an application or virtual directory whose URL is exactly {@code url}. */
    private static Optional<Path> virtualRoot(SiteConfig site, String url) {
        for (ApplicationConfig application : site.applications()) {
            String appPrefix = application.path().equals("/") ? "" : application.path();
            for (VirtualDirectoryConfig directory : application.virtualDirectories()) {
                String full = appPrefix + (directory.path().equals("/") ? "" : directory.path());
                if (full.equalsIgnoreCase(url)) {
                    return Optional.of(directory.physicalPath());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean belowIsVirtual(SiteConfig site, String url) {
        for (ApplicationConfig application : site.applications()) {
            String appPrefix = application.path().equals("/") ? "" : application.path();
            for (VirtualDirectoryConfig directory : application.virtualDirectories()) {
                String full = appPrefix + (directory.path().equals("/") ? "" : directory.path());
                if (full.length() > url.length() && ConfigLevel.covers(url, full)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The application path ("" for the root) that serves a URL of a site. */
    private String applicationOf(String site, String url) {
        String best = "";
        for (SiteConfig config : sites) {
            if (!config.name().equalsIgnoreCase(site)) {
                continue;
            }
            for (ApplicationConfig application : config.applications()) {
                String path = application.path().equals("/") ? "" : application.path();
                if (path.length() > best.length() && ConfigLevel.covers(path, url)) {
                    best = path;
                }
            }
        }
        return best;
    }

    private boolean isApplicationRoot(String site, String url) {
        return url.isEmpty() || applicationOf(site, url).equalsIgnoreCase(url);
    }

    // ---------------------------------------------------------------------------------------------
    // Levels and tables
    // ---------------------------------------------------------------------------------------------

    /**
     * The levels that apply to a URL, in merge order: applicationHost.config's, then each
     * web.config's of the chain.
     */
    private List<ConfigLevel> levelsFor(String site, String url, List<WebConfigFile> chain) {
        List<ConfigLevel> result = new ArrayList<>();
        addCovering(result, shared.appHostLevels, site, url);
        for (WebConfigFile webConfig : chain) {
            if (webConfig.parsed() != null) {
                addCovering(result, webConfig.parsed().levels(), site, url);
            }
        }
        return result;
    }

    private void addCovering(List<ConfigLevel> into, List<ConfigLevel> levels, String site, String url) {
        List<ConfigLevel> covering = new ArrayList<>();
        for (ConfigLevel level : levels) {
            if (level.appliesToSite(site) && level.coversUrl(url) && inherits(level, site, url)) {
                covering.add(level);
            }
        }
        covering.sort(Comparator.comparingInt(
                        (ConfigLevel l) -> l.serverWide() ? -1 : l.urlPath().length())
                .thenComparing(ConfigLevel::isLocation));
        into.addAll(covering);
    }

    private boolean inherits(ConfigLevel level, String site, String url) {
        if (level.inheritInChildApplications() || level.serverWide()) {
            return true;
        }
        return applicationOf(site, level.urlPath()).equalsIgnoreCase(applicationOf(site, url));
    }

    private List<ConfigLevel> deeperLocations(String site, String url, List<WebConfigFile> chain) {
        List<ConfigLevel> deeper = new ArrayList<>();
        List<ConfigLevel> all = new ArrayList<>(shared.appHostLevels);
        for (WebConfigFile file : chain) {
            if (file.parsed() != null) {
                all.addAll(file.parsed().levels());
            }
        }
        for (ConfigLevel level : all) {
            if (!level.serverWide()
                    && level.appliesToSite(site)
                    && level.urlPath().length() > url.length()
                    && ConfigLevel.covers(url, level.urlPath())) {
                deeper.add(level);
            }
        }
        return List.copyOf(deeper);
    }

    /**
     * The canonical table of a list of levels, built (and its error logged once) on first use.
     *
     * @param levels the levels in merge order
     * @return the table
     */
    SectionTable table(List<ConfigLevel> levels) {
        return table(levels, true);
    }

    /**
     * The canonical table of a list of levels.
     *
     * @param levels   the levels in merge order
     * @param logError whether an error found while building it is logged (false while a web.config
     *                 version is being checked: whether it serves 500.19 is decided afterwards)
     * @return the table
     */
    private SectionTable table(List<ConfigLevel> levels, boolean logError) {
        List<ConfigLevel> key = List.copyOf(levels);
        SectionTable table = shared.tables.get(key);
        if (table == null) {
            SectionTable built = build(key);
            table = shared.tables.putIfAbsent(key, built);
            if (table == null) {
                table = built;
                // an error in applicationHost.config's own levels refuses the whole load (the caller
                // reports it); only a table that involves a web.config serves 500.19
                if (logError && !key.stream().allMatch(l -> l.rank() == 0)) {
                    table.error().ifPresent(this::logOnce);
                }
            }
        }
        return table;
    }

    private SectionTable build(List<ConfigLevel> levels) {
        Map<String, ConfigElement> sections = new LinkedHashMap<>();
        ConfigException error = null;
        Set<String> written = new LinkedHashSet<>();
        for (ConfigLevel level : levels) {
            written.addAll(level.sections().keySet());
        }
        for (String section : written) {
            List<ConfigLevel> writers = new ArrayList<>();
            for (ConfigLevel level : levels) {
                if (level.sections().containsKey(section)) {
                    writers.add(level);
                }
            }
            Object result = shared.merged.computeIfAbsent(
                    new SectionKey(section, List.copyOf(writers)), key -> mergeSection(key.section(), key.writers()));
            if (result instanceof ConfigException e) {
                if (error == null
                        || e.source().file().equals(error.source().file())
                                && e.source().line() < error.source().line()) {
                    error = e;
                }
            } else if (result instanceof ConfigElement element) {
                sections.put(section, element);
            }
        }
        StringBuilder description = new StringBuilder();
        for (ConfigLevel level : levels) {
            description.append(description.isEmpty() ? "" : " + ").append(level.describe());
        }
        if (error == null) {
            return new SectionTable(description.toString(), sections, shared.defaults);
        }
        List<ConfigLevel> appHostOnly =
                levels.stream().filter(l -> l.rank() == 0).toList();
        if (appHostOnly.size() == levels.size()) {
            // applicationHost.config itself is in error: the load refuses it
            return new SectionTable(description.toString(), sections, shared.defaults, error, null);
        }
        return new SectionTable(description.toString(), Map.of(), shared.defaults, error, table(appHostOnly));
    }

    /** @return the merged section (ConfigElement), null for a section Weir does not implement, or the ConfigException */
    private Object mergeSection(String section, List<ConfigLevel> writers) {
        try {
            checkDelegation(section, writers);
            Optional<ElementSchema> schema = shared.schemas.section(section);
            if (schema.isEmpty()) {
                return Boolean.FALSE;
            }
            List<WrittenElement> elements = new ArrayList<>(writers.size());
            for (ConfigLevel level : writers) {
                elements.add(new WrittenElement(level.sections().get(section), level.rank()));
            }
            ConfigElement merged = shared.merger.mergeWritten(leaf(section), elements, schema.get());
            // ConfigElement.locationPath(): the URL path of the deepest level that wrote the section,
            // and for each item of its collection the level that added it
            ConfigLevel deepest = writers.get(writers.size() - 1);
            Map<ConfigSource, String> itemPaths = LocatedElement.itemPaths(section, writers);
            return (deepest.serverWide() || deepest.urlPath().isEmpty()) && itemPaths.isEmpty()
                    ? merged
                    : new LocatedElement(merged, deepest.serverWide() ? "" : deepest.urlPath(), itemPaths);
        } catch (ConfigException e) {
            return e;
        }
    }

    /**
     * Checks that every web.config level writing a section may set it
     * (docs/reference/configuration-system.md, "Declaring sections", "Delegation and locking"): the section's {@code allowDefinition} permits the
     * level, and its override mode there is Allow: the nearest {@code overrideMode} (or
     * {@code allowOverride}) of a {@code <location>} holding the section in a file above, else
     * the declaration's {@code overrideModeDefault}.
     */
    private void checkDelegation(String section, List<ConfigLevel> writers) {
        SectionDeclaration declaration = shared.declarations.get(section);
        for (int i = 0; i < writers.size(); i++) {
            ConfigLevel level = writers.get(i);
            if (level.rank() == 0) {
                continue;
            }
            XmlElement element = level.sections().get(section);
            if (declaration != null
                    && declaration.isMachineToApplication()
                    && !isApplicationRoot(level.siteName(), level.urlPath())) {
                throw new ConfigException(
                        element.source(),
                        "this configuration section cannot be used at this path:"
                                + " section '" + section + "' may be set no deeper than an application's root"
                                + " (allowDefinition=MachineToApplication), and '" + level.siteName() + level.urlPath()
                                + "' is not one");
            }
            String mode = null;
            ConfigLevel decidedBy = null;
            for (int j = i - 1; j >= 0 && mode == null; j--) {
                ConfigLevel above = writers.get(j);
                if (above.rank() < level.rank() && !above.overrideMode().equals("Inherit")) {
                    mode = above.overrideMode();
                    decidedBy = above;
                }
            }
            boolean allowed =
                    mode != null ? mode.equals("Allow") : declaration == null || declaration.allowsOverrideByDefault();
            if (!allowed) {
                String why = decidedBy != null
                        ? "locked by overrideMode=\"Deny\" (or allowOverride=\"false\") on " + decidedBy.describe()
                                + " at " + decidedBy.source()
                        : "locked by default (overrideModeDefault=\"Deny\" at " + declaration.source() + ")";
                throw new ConfigException(
                        element.source(),
                        "this configuration section cannot be used at this path:"
                                + " section '" + section + "' is " + why
                                + "; unlock it in applicationHost.config with <location path=\"" + level.siteName()
                                + level.urlPath() + "\" overrideMode=\"Allow\">");
            }
        }
    }

    private EffectiveConfig errorTable(ConfigException error, String site, String url) {
        List<ConfigLevel> appHostOnly = levelsFor(site, url, List.of());
        logOnce(error);
        return new SectionTable("error " + error.getMessage(), Map.of(), shared.defaults, error, table(appHostOnly));
    }

    private void logOnce(ConfigException error) {
        // a tree that checks a proposed web.config reports its errors to the caller, not to the log
        if (proposedFile == null && logged.add(error.source().file() + "\u0000" + error.getMessage())) {
            LOG.error(
                    "configuration error; requests governed by {} get 500.19 until it is fixed: {}",
                    error.source().file(),
                    error.getMessage());
        }
    }

    /**
     * Checks a web.config version as a whole: it merges without error with the files above it at
     * its folder's URL and at every deeper {@code <location>} path (of applicationHost.config, of the
     * files above, of its own) below that URL.
     *
     * @return the first error, or null when the version is valid there
     */
    private ConfigException validate(String site, String url, List<WebConfigFile> parentChain, WebConfigFile file) {
        List<WebConfigFile> chain = new ArrayList<>(parentChain);
        chain.add(file);
        Set<String> paths = new LinkedHashSet<>();
        paths.add(url);
        for (ConfigLevel level : deeperLocations(site, url, chain)) {
            paths.add(level.urlPath());
        }
        for (String path : paths) {
            Optional<ConfigException> error =
                    table(levelsFor(site, path, chain), false).error();
            if (error.isPresent()) {
                return error.get();
            }
        }
        return null;
    }

    /**
     * The last good version of a folder's web.config (see {@link WebConfigHistory#lastGood}) when
     * it is still valid with the files above it now.
     *
     * @return the version, or null when there is none or it is not valid with the files above it now
     */
    private WebConfigFile lastGood(
            Path folder, ConfigurationFile.Context context, String site, String url, List<WebConfigFile> parentChain) {
        WebConfigFile file = history.lastGood(folder, context);
        if (file == null) {
            return null;
        }
        if (validate(site, url, parentChain, file) != null) {
            forget(file);
            return null;
        }
        return file;
    }

    /**
     * Logs a refused web.config version once (per file, version and error): the place (the
     * web.config's line and column, or its configSource file's), the reason, and what keeps serving.
     */
    private void logRefusal(Path file, String version, ConfigException problem, String site, String url) {
        if (proposedFile == null && history.firstRefusal(file, version, problem)) {
            String where = problem.source().file().equals(file.toString())
                    ? problem.source().toString()
                    : file + " (" + problem.source() + ")";
            LOG.warn(
                    "web.config {} refused: {}; its last good version keeps serving {}{}",
                    where,
                    problem.reason(),
                    site,
                    url.isEmpty() ? "/" : url);
        }
    }

    /** Drops the tables and merged sections built while checking a version that is not used. */
    private void forget(WebConfigFile file) {
        if (file.parsed() == null) {
            return;
        }
        Set<ConfigLevel> levels = Collections.newSetFromMap(new IdentityHashMap<>());
        levels.addAll(file.parsed().levels());
        shared.tables.keySet().removeIf(key -> key.stream().anyMatch(levels::contains));
        shared.merged.keySet().removeIf(key -> key.writers().stream().anyMatch(levels::contains));
    }

    // ---------------------------------------------------------------------------------------------
    // Files and invalidation
    // ---------------------------------------------------------------------------------------------

    /** @return every web.config path consulted so far (present or absent) and the configSource files they name */
    Set<Path> consultedFiles() {
        Set<Path> files = new LinkedHashSet<>();
        for (Node root : roots.values()) {
            collect(root, files);
        }
        return files;
    }

    private void collect(Node node, Set<Path> files) {
        if (node.webConfigCandidate != null) {
            files.add(node.webConfigCandidate);
        }
        files.addAll(node.sourceFiles);
        node.children.values().forEach(child -> collect(child, files));
    }

    /**
     * Drops the cached nodes a changed, added or removed file affects: a web.config (or a
     * configSource file it names) drops its folder's node and everything below it; a folder
     * that appeared or disappeared (or a web.config in a folder not seen before) drops the
     * listing of its parent's node.
     *
     * @param changed the file or folder that changed
     * @return true when something was dropped
     */
    boolean invalidate(Path changed) {
        Path path = changed.toAbsolutePath().normalize();
        boolean dropped = false;
        for (Map.Entry<String, Node> entry : roots.entrySet()) {
            Node root = entry.getValue();
            if (affects(root, path)) {
                dropped |= roots.remove(entry.getKey(), root);
            } else {
                dropped |= invalidateBelow(root, path);
            }
        }
        if (dropped) {
            String prefix = path.getParent() == null
                    ? path.toString()
                    : path.getParent().toString();
            logged.removeIf(key -> key.startsWith(prefix));
            Set<ConfigLevel> live = liveLevels();
            shared.tables.keySet().removeIf(levels -> levels.stream().anyMatch(l -> l.rank() > 0 && !live.contains(l)));
            shared.merged.keySet().removeIf(key -> key.writers().stream()
                    .anyMatch(l -> l.rank() > 0 && !live.contains(l)));
        }
        return dropped;
    }

    private boolean invalidateBelow(Node node, Path path) {
        boolean dropped = false;
        for (Map.Entry<String, Node> entry : node.children.entrySet()) {
            Node child = entry.getValue();
            if (affects(child, path)) {
                dropped |= node.children.remove(entry.getKey(), child);
            } else {
                dropped |= invalidateBelow(child, path);
            }
        }
        return dropped;
    }

    /** Whether a change of {@code path} makes a node stale: its web.config, a configSource of it, its folder, or a direct entry of its folder. */
    private static boolean affects(Node node, Path path) {
        if (node.folder == null) {
            return false;
        }
        Path folder = node.folder.toAbsolutePath().normalize();
        if (path.startsWith(folder)) {
            Path relative = folder.relativize(path);
            if (relative.toString().isEmpty()) {
                return true;
            }
            String first = relative.getName(0).toString();
            if (relative.getNameCount() == 1
                    && (first.equalsIgnoreCase("web.config")
                            || node.subdirectories.contains(first)
                            || Files.isDirectory(path))) {
                // this folder's web.config, or a sub-folder that appeared or went away
                return true;
            }
            if (relative.getNameCount() > 1
                    && !node.subdirectories.contains(first)
                    && Files.isDirectory(folder.resolve(first))) {
                // a file in a sub-folder this node's listing does not know yet
                return true;
            }
        }
        return node.sourceFiles.contains(path);
    }

    private Set<ConfigLevel> liveLevels() {
        Set<ConfigLevel> live = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node root : roots.values()) {
            addLive(root, live);
        }
        return live;
    }

    private void addLive(Node node, Set<ConfigLevel> live) {
        if (node.webConfig != null && node.webConfig.parsed() != null) {
            live.addAll(node.webConfig.parsed().levels());
        }
        node.children.values().forEach(child -> addLive(child, live));
    }

    static String leaf(String section) {
        int slash = section.lastIndexOf('/');
        return slash < 0 ? section : section.substring(slash + 1);
    }
}
