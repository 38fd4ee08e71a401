package io.weir.config;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.schema.ConfigSchema;
import io.weir.config.xml.XmlElement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The structure of one configuration file: its {@code <configSections>} declarations and, for
 * each level it writes (the file's own level, and each {@code <location path>}), the sections
 * written there. Refuses sections that are not declared, a section written twice at one level,
 * and AppHostOnly sections inside a location with a path. Immutable after construction.
 */
final class ConfigurationFile {

    /** Elements of the configuration system itself, not sections. */
    private static final Set<String> SYSTEM_ELEMENTS = Set.of("configSections", "configProtectedData");

    /**
     * One configuration level of the file.
     *
     * @param path         the normalized location path ("" for the file's own level)
     * @param siteName     the site part of the path ("" for the file's own level)
     * @param urlPath      the URL part of the path without trailing slash ("" for the whole site)
     * @param overrideMode the location's overrideMode (or legacy allowOverride mapped), "Inherit" when absent
     * @param sections     section full name to the element as written
     */
    record Level(String path, String siteName, String urlPath, String overrideMode, Map<String, XmlElement> sections) {
    }

    private final Map<String, SectionDeclaration> declarations = new LinkedHashMap<>();
    private final Set<String> groups = new HashSet<>();
    private final Level global = new Level("", "", "", "Inherit", new LinkedHashMap<>());
    private final Map<String, Level> locations = new LinkedHashMap<>();
    private final Set<String> unsupported = new LinkedHashSet<>();

    private ConfigurationFile() {
    }

    /**
     * Reads the structure of a parsed file.
     *
     * @param root the document's root element
     * @return the structure
     * @throws ConfigException for a root that is not {@code <configuration>}, an undeclared or
     *                         duplicated section, or a malformed declaration
     */
    static ConfigurationFile read(XmlElement root) {
        if (!root.name().equals("configuration")) {
            throw new ConfigException(root.source(),
                    "the root element must be <configuration>, not <" + root.name() + ">");
        }
        ConfigurationFile file = new ConfigurationFile();
        for (XmlElement child : root.children()) {
            if (child.name().equals("configSections")) {
                file.declare("", child);
            }
        }
        for (XmlElement child : root.children()) {
            if (SYSTEM_ELEMENTS.contains(child.name())) {
                continue;
            }
            if (child.name().equals("location")) {
                Level level = file.location(child);
                for (XmlElement inner : child.children()) {
                    file.place("", inner, level);
                }
            } else {
                file.place("", child, file.global);
            }
        }
        return file;
    }

    Level global() {
        return global;
    }

    /** @return the location levels with a path, in first-written order */
    List<Level> locations() {
        return List.copyOf(locations.values());
    }

    List<String> unsupportedSections() {
        return List.copyOf(unsupported);
    }

    Map<String, SectionDeclaration> declarations() {
        return declarations;
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
                        throw new ConfigException(child.source(), "section '" + full
                                + "' is declared twice (first at " + previous.source() + ")");
                    }
                    declarations.put(full, new SectionDeclaration(full,
                            child.attribute("allowDefinition").orElse("Everywhere"),
                            child.attribute("overrideModeDefault").orElse("Allow"), child.source()));
                }
                case "remove", "clear" -> {
                    // .NET section-declaration directives; nothing declared at a higher level to undo here
                }
                default -> throw new ConfigException(child.source(), "unrecognized element <" + child.name()
                        + "> in <configSections>: expected <sectionGroup> or <section>");
            }
        }
    }

    private Level location(XmlElement location) {
        Optional<String> overrideMode = location.attribute("overrideMode");
        Optional<String> allowOverride = location.attribute("allowOverride");
        if (overrideMode.isPresent() && allowOverride.isPresent()) {
            throw new ConfigException(location.attributeSource("allowOverride"),
                    "a <location> may not set both overrideMode and allowOverride");
        }
        String mode = overrideMode.orElse(allowOverride
                .map(allow -> allow.equalsIgnoreCase("true") ? "Allow" : "Deny").orElse("Inherit"));
        String path = normalize(location.attribute("path").orElse(""));
        if (path.isEmpty()) {
            return global;
        }
        int slash = path.indexOf('/');
        String siteName = slash < 0 ? path : path.substring(0, slash);
        String urlPath = slash < 0 ? "" : path.substring(slash);
        return locations.computeIfAbsent(path.toLowerCase(Locale.ROOT),
                key -> new Level(path, siteName, urlPath, mode, new LinkedHashMap<>()));
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
        return p.equals(".") ? "" : p;
    }

    private void place(String prefix, XmlElement element, Level level) {
        String full = prefix.isEmpty() ? element.name() : prefix + "/" + element.name();
        SectionDeclaration declaration = declarations.get(full);
        if (declaration != null) {
            XmlElement previous = level.sections().get(full);
            if (previous != null) {
                throw new ConfigException(element.source(), "section '" + full
                        + "' is set twice at the same level (first at " + previous.source() + ")");
            }
            if (declaration.isAppHostOnly() && level != global) {
                throw new ConfigException(element.source(), "section '" + full
                        + "' may only be set at the server level (allowDefinition=AppHostOnly), not in <location path=\""
                        + level.path() + "\">");
            }
            level.sections().put(full, element);
            if (ConfigSchema.section(full).isEmpty()) {
                unsupported.add(full);
            }
        } else if (groups.contains(full)) {
            for (XmlElement child : element.children()) {
                place(full, child, level);
            }
        } else if (element.name().equals("location")) {
            throw new ConfigException(element.source(), "<location> must be a child of <configuration>");
        } else {
            throw new ConfigException(element.source(), "unrecognized configuration section '" + full
                    + "': it is not declared in <configSections>");
        }
    }

    private static String required(XmlElement element, String attribute) {
        String value = element.attribute(attribute).orElse("");
        if (value.isBlank()) {
            throw new ConfigException(element.source(),
                    "<" + element.name() + "> is missing the required attribute '" + attribute + "'");
        }
        return value;
    }
}
