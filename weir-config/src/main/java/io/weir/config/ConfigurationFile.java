package io.weir.config;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.schema.SectionSchemas;
import io.weir.config.xml.ConfigXmlReader;
import io.weir.config.xml.XmlElement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The structure of one configuration file (applicationHost.config or a web.config): its
 * {@code <configSections>} declarations and its levels (the file's own, and one per
 * {@code <location>} element), each with the sections written there. Refuses what IIS refuses
 * in one file by itself (docs/reference/configuration-system.md, "Declaring sections", "Locations"): a section that is not declared
 * (0x8007000d), a section written twice for the same path, a web.config redeclaring an inherited
 * section, {@code overrideMode} with {@code allowOverride} on one tag, a section with
 * {@code allowLocation="false"} inside a {@code <location>}, an AppHostOnly section inside a
 * location or a web.config, a {@code configSource} that is absolute, climbs with {@code ..}, is
 * combined with other attributes or content, or whose file is missing or has another root.
 *
 * <p>Sections of the .NET Framework's machine.config ({@code system.web}, {@code appSettings},
 * {@code connectionStrings}, ...) count as declared, as they are on Windows, and are reported
 * as not implemented. Immutable after construction.
 */
final class ConfigurationFile {

    /** Elements of the configuration system itself, not sections. */
    private static final Set<String> SYSTEM_ELEMENTS = Set.of("configSections", "configProtectedData");

    /**
     * Top-level elements that the .NET Framework's machine.config declares on Windows: a real
     * web.config (or applicationHost.config) carries them, IIS accepts them, Weir ignores them.
     */
    static final Set<String> NET_FRAMEWORK_ELEMENTS = Set.of(
            "appSettings",
            "connectionStrings",
            "system.web",
            "system.web.extensions",
            "system.net",
            "system.serviceModel",
            "system.codedom",
            "system.data",
            "system.diagnostics",
            "system.transactions",
            "system.runtime.remoting",
            "system.runtime.caching",
            "system.runtime.serialization",
            "system.xml.serialization",
            "system.identityModel",
            "system.identityModel.services",
            "system.windows.forms",
            "system.drawing",
            "runtime",
            "startup",
            "mscorlib",
            "satelliteassemblies",
            "uri",
            "system.serviceModel.activation");

    /**
     * What the reader needs to know of the file's place.
     *
     * @param label     how messages name the file
     * @param folder    what {@code configSource} paths are relative to
     * @param rank      0 for applicationHost.config, 1 + folder depth for a web.config
     * @param siteName  for a web.config: its site; "" for applicationHost.config
     * @param folderUrl for a web.config: the URL path of its folder ("" for the site root)
     * @param inherited the sections declared by the files above (empty for applicationHost.config)
     * @param groups    the section groups declared by the files above
     * @param schemas   the schema the sections are read with (which of them Weir implements)
     */
    record Context(
            String label,
            Path folder,
            int rank,
            String siteName,
            String folderUrl,
            Map<String, SectionDeclaration> inherited,
            Set<String> groups,
            SectionSchemas schemas) {

        boolean isAppHost() {
            return rank == 0;
        }
    }

    /**
     * Reads the root element of a {@code configSource} file. The default reads it from disk;
     * hot reload re-reads the last good version of a web.config with the roots it recorded
     * then, so that falling back does no I/O and does not see a newer, refused file.
     */
    @FunctionalInterface
    interface SourceReader {

        /** Reads the file at its current state from disk. */
        SourceReader DISK = target -> {
            try (InputStream in = Files.newInputStream(target)) {
                return ConfigXmlReader.read(target.toString(), in);
            }
        };

        /**
         * @param target the absolute file
         * @return its root element
         * @throws IOException     when it cannot be read (missing, unreadable)
         * @throws ConfigException when it is not well-formed XML
         */
        XmlElement read(Path target) throws IOException;
    }

    private final Context context;
    private final SourceReader sourceReader;
    private final Map<String, SectionDeclaration> declarations;
    private final Set<String> groups;
    private final List<ConfigLevel> levels = new ArrayList<>();
    private final Map<String, Map<String, ConfigSource>> writtenByPath = new HashMap<>();
    private final Set<String> unsupported = new LinkedHashSet<>();
    private final Set<String> writtenSections = new LinkedHashSet<>();
    private final List<Path> configSourceFiles = new ArrayList<>();

    private ConfigurationFile(Context context, SourceReader sourceReader) {
        this.context = context;
        this.sourceReader = sourceReader;
        this.declarations = new LinkedHashMap<>(context.inherited());
        this.groups = new HashSet<>(context.groups());
    }

    /**
     * Reads the structure of a parsed file.
     *
     * @param root    the document's root element
     * @param context the file's place
     * @return the structure
     * @throws ConfigException for anything the class comment lists
     */
    static ConfigurationFile read(XmlElement root, Context context) {
        return read(root, context, SourceReader.DISK);
    }

    /**
     * Reads the structure of a parsed file, its {@code configSource} files read by {@code sourceReader}.
     *
     * @param root         the document's root element
     * @param context      the file's place
     * @param sourceReader reads the root element of a {@code configSource} file
     * @return the structure
     * @throws ConfigException for anything the class comment lists
     */
    static ConfigurationFile read(XmlElement root, Context context, SourceReader sourceReader) {
        if (!root.name().equals("configuration")) {
            throw new ConfigException(
                    root.source(), "the root element must be <configuration>, not <" + root.name() + ">");
        }
        ConfigurationFile file = new ConfigurationFile(context, sourceReader);
        for (XmlElement child : root.children()) {
            if (child.name().equals("configSections")) {
                file.declare("", child);
            }
        }
        ConfigLevel own = file.newLevel(root.source(), "", false, "Inherit", true);
        for (XmlElement child : root.children()) {
            if (SYSTEM_ELEMENTS.contains(child.name())) {
                continue;
            }
            if (child.name().equals("location")) {
                ConfigLevel level = file.location(child);
                for (XmlElement inner : child.children()) {
                    file.place("", inner, level);
                }
            } else {
                file.place("", child, own);
            }
        }
        return file;
    }

    /** @return the file's levels: its own first, then one per {@code <location>}, in document order */
    List<ConfigLevel> levels() {
        return List.copyOf(levels);
    }

    /** @return the declarations in force in this file: inherited ones and its own */
    Map<String, SectionDeclaration> declarations() {
        return declarations;
    }

    /** @return the declared section groups in force in this file */
    Set<String> groups() {
        return groups;
    }

    /** @return the sections the file writes that Weir does not implement, in first-written order */
    List<String> unsupportedSections() {
        return unsupportedSections(context.schemas());
    }

    /**
     * @param schemas the schema to judge by (applicationHost.config's, once its module schemas are known)
     * @return the sections the file writes that {@code schemas} does not declare, in first-written order
     */
    List<String> unsupportedSections(SectionSchemas schemas) {
        Set<String> out = new LinkedHashSet<>(unsupported);
        for (String section : writtenSections) {
            if (schemas.section(section).isEmpty()) {
                out.add(section);
            }
        }
        return List.copyOf(out);
    }

    /** @return the {@code configSource} files the file refers to (absolute), read or missing */
    List<Path> configSourceFiles() {
        return List.copyOf(configSourceFiles);
    }

    private void declare(String prefix, XmlElement container) {
        for (XmlElement child : container.children()) {
            switch (child.name()) {
                case "sectionGroup" -> {
                    String name = required(child, "name");
                    String full = prefix.isEmpty() ? name : prefix + "/" + name;
                    groups.add(full);
                    declare(full, child);
                }
                case "section" -> {
                    String name = required(child, "name");
                    String full = prefix.isEmpty() ? name : prefix + "/" + name;
                    SectionDeclaration previous = declarations.get(full);
                    if (previous != null) {
                        throw new ConfigException(
                                child.source(),
                                "section '" + full + "' is already declared (at "
                                        + previous.source() + "); a file may not declare a section twice or redeclare"
                                        + " one declared above it");
                    }
                    String allowLocation = child.attribute("allowLocation").orElse("true");
                    declarations.put(
                            full,
                            new SectionDeclaration(
                                    full,
                                    child.attribute("allowDefinition").orElse("Everywhere"),
                                    child.attribute("overrideModeDefault").orElse("Allow"),
                                    !allowLocation.strip().equalsIgnoreCase("false"),
                                    child.source()));
                }
                case "remove", "clear" -> {
                    // .NET section-declaration directives; nothing declared at a higher level to undo here
                }
                default ->
                    throw new ConfigException(
                            child.source(),
                            "unrecognized element <" + child.name()
                                    + "> in <configSections>: expected <sectionGroup> or <section>");
            }
        }
    }

    private ConfigLevel location(XmlElement location) {
        Optional<String> overrideMode = location.attribute("overrideMode");
        Optional<String> allowOverride = location.attribute("allowOverride");
        if (overrideMode.isPresent() && allowOverride.isPresent()) {
            throw new ConfigException(
                    location.attributeSource("allowOverride"),
                    "a <location> may not set both overrideMode and allowOverride");
        }
        String mode = overrideMode
                .map(m -> normalizeMode(m, location))
                .orElse(allowOverride
                        .map(allow -> allow.strip().equalsIgnoreCase("true") ? "Allow" : "Deny")
                        .orElse("Inherit"));
        String inherit =
                location.attribute("inheritInChildApplications").orElse("true").strip();
        if (!inherit.equalsIgnoreCase("true") && !inherit.equalsIgnoreCase("false")) {
            throw new ConfigException(
                    location.attributeSource("inheritInChildApplications"),
                    "inheritInChildApplications must be 'true' or 'false', not '" + inherit + "'");
        }
        String path = normalize(location.attribute("path").orElse(""));
        return newLevel(location.source(), path, true, mode, inherit.equalsIgnoreCase("true"));
    }

    private static String normalizeMode(String mode, XmlElement location) {
        for (String allowed : List.of("Allow", "Deny", "Inherit")) {
            if (allowed.equalsIgnoreCase(mode.strip())) {
                return allowed;
            }
        }
        throw new ConfigException(
                location.attributeSource("overrideMode"),
                "overrideMode must be Allow, Deny or Inherit, not '" + mode + "'");
    }

    private ConfigLevel newLevel(
            ConfigSource source,
            String path,
            boolean isLocationElement,
            String mode,
            boolean inheritInChildApplications) {
        ConfigLevel level;
        if (context.isAppHost()) {
            if (path.isEmpty()) {
                level = new ConfigLevel(
                        context.label(),
                        0,
                        true,
                        "",
                        "",
                        false,
                        mode,
                        inheritInChildApplications,
                        new LinkedHashMap<>(),
                        source);
            } else {
                int slash = path.indexOf('/');
                String site = slash < 0 ? path : path.substring(0, slash);
                String url = slash < 0 ? "" : path.substring(slash);
                level = new ConfigLevel(
                        context.label(),
                        0,
                        false,
                        site,
                        url,
                        true,
                        mode,
                        inheritInChildApplications,
                        new LinkedHashMap<>(),
                        source);
            }
        } else {
            String url = path.isEmpty() ? context.folderUrl() : context.folderUrl() + "/" + path;
            level = new ConfigLevel(
                    context.label(),
                    context.rank(),
                    false,
                    context.siteName(),
                    url,
                    !path.isEmpty(),
                    mode,
                    inheritInChildApplications,
                    new LinkedHashMap<>(),
                    source);
        }
        levels.add(level);
        return level;
    }

    private static String normalize(String path) {
        String p = path.strip().replace('\\', '/');
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        while (p.contains("//")) {
            p = p.replace("//", "/");
        }
        if (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p.equals(".") ? "" : p;
    }

    private void place(String prefix, XmlElement element, ConfigLevel level) {
        String full = prefix.isEmpty() ? element.name() : prefix + "/" + element.name();
        SectionDeclaration declaration = declarations.get(full);
        if (declaration != null) {
            String pathKey = (level.serverWide() ? "" : level.siteName()).toLowerCase(Locale.ROOT) + "|"
                    + level.urlPath().toLowerCase(Locale.ROOT);
            Map<String, ConfigSource> written = writtenByPath.computeIfAbsent(pathKey, k -> new HashMap<>());
            ConfigSource previous = written.putIfAbsent(full, element.source());
            if (previous != null) {
                throw new ConfigException(
                        element.source(),
                        "section '" + full + "' is set twice for the same path:" + " there is a duplicate '" + full
                                + "' section defined (first at " + previous + ")");
            }
            if (level.isLocation() && !declaration.allowLocation()) {
                throw new ConfigException(
                        element.source(),
                        "section '" + full
                                + "' may not be set inside a <location> (allowLocation=\"false\" at "
                                + declaration.source()
                                + ")");
            }
            if (declaration.isAppHostOnly() && (level.isLocation() || !context.isAppHost())) {
                throw new ConfigException(
                        element.source(),
                        "this configuration section cannot be used at this path:"
                                + " section '" + full
                                + "' may only be set in applicationHost.config at the server level"
                                + " (allowDefinition=" + declaration.allowDefinition() + "), not in "
                                + (context.isAppHost()
                                        ? "<location path=\"" + level.siteName() + level.urlPath() + "\">"
                                        : "a web.config"));
            }
            XmlElement content = configSource(element);
            level.sections().put(full, content);
            writtenSections.add(full);
        } else if (groups.contains(full)) {
            for (XmlElement child : element.children()) {
                place(full, child, level);
            }
        } else if (element.name().equals("location")) {
            throw new ConfigException(element.source(), "<location> must be a child of <configuration>");
        } else if (prefix.isEmpty() && NET_FRAMEWORK_ELEMENTS.contains(full)) {
            unsupported.add(full);
        } else {
            throw new ConfigException(
                    element.source(),
                    "unrecognized configuration section '" + full + "': it is not declared in <configSections>");
        }
    }

    /** Replaces a section written with {@code configSource="file"} by that file's root element. */
    private XmlElement configSource(XmlElement element) {
        Optional<String> configSource = element.attribute("configSource");
        if (configSource.isEmpty()) {
            return element;
        }
        ConfigSource at = element.attributeSource("configSource");
        long others = element.attributes().keySet().stream()
                .filter(n -> !n.equals("configSource") && !n.equals("xmlns") && n.indexOf(':') < 0)
                .count();
        if (others > 0 || !element.children().isEmpty()) {
            throw new ConfigException(at, "a section with configSource may have no other attributes and no content");
        }
        String relative = configSource.get().strip().replace('\\', '/');
        Path target;
        try {
            Path written = Path.of(relative);
            if (relative.isEmpty()
                    || written.isAbsolute()
                    || relative.startsWith("/")
                    || relative.contains(":")
                    || written.normalize().startsWith("..")
                    || List.of(relative.split("/")).contains("..")) {
                throw new ConfigException(
                        at,
                        "configSource '" + configSource.get() + "' must be a relative path to a"
                                + " file in the same folder as the configuration file or below it");
            }
            target = context.folder().resolve(written).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(at, "configSource '" + configSource.get() + "' is not a valid path");
        }
        configSourceFiles.add(target);
        XmlElement root;
        try {
            root = sourceReader.read(target);
        } catch (IOException e) {
            throw new ConfigException(
                    at,
                    "unable to open configSource file '" + configSource.get() + "' (" + target + "): "
                            + e.getClass().getSimpleName());
        }
        if (!root.name().equals(element.name())) {
            throw new ConfigException(
                    root.source(),
                    "the root element of a configSource file must be <" + element.name() + ">, not <" + root.name()
                            + ">");
        }
        return root;
    }

    private static String required(XmlElement element, String attribute) {
        String value = element.attribute(attribute).orElse("");
        if (value.isBlank()) {
            throw new ConfigException(
                    element.source(), "<" + element.name() + "> is missing the required attribute '" + attribute + "'");
        }
        return value;
    }
}
