package io.weir.config.schema;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.xml.ConfigXmlReader;
import io.weir.config.xml.XmlAttribute;
import io.weir.config.xml.XmlElement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * One configuration schema file in IIS's own format (the files of {@code inetsrv\config\schema}:
 * {@code IIS_schema.xml}, {@code rewrite_schema.xml}, a module's own), read into the declarations
 * Weir merges and checks files with. The format:
 *
 * <pre>{@code
 * <configSchema>
 *   <sectionSchema name="system.webServer/greeting">
 *     <attribute name="text" type="string" defaultValue="Hello" validationType="nonEmptyString" />
 *     <element name="limits"> <attribute name="maxLength" type="uint" defaultValue="100" /> </element>
 *     <collection addElement="add" removeElement="remove" clearElement="clear">
 *       <attribute name="name" type="string" isUniqueKey="true" />
 *     </collection>
 *   </sectionSchema>
 * </configSchema>
 * }</pre>
 *
 * <p>{@code <attribute>} reads {@code name}, {@code type} ({@code bool enum flags uint int int64
 * string timeSpan}), {@code defaultValue}, {@code required}, {@code isUniqueKey},
 * {@code isCombinedKey}, {@code caseSensitive}, {@code expanded}, {@code timeSpanFormat},
 * {@code validationType} with {@code validationParameter} (see {@link ValueCheck}) and its
 * {@code <enum>}/{@code <flag>} children; {@code <collection>} reads {@code addElement},
 * {@code removeElement}, {@code clearElement}, {@code mergeAppend} and
 * {@code allowUnrecognizedAttributes}. A collection's key is its first {@code isUniqueKey}
 * attribute, else its {@code isCombinedKey} attributes, else all its attributes. The presentation
 * and storage hints {@code displayHex}, {@code encrypted}, {@code allowInfinite},
 * {@code isCollectionDefault}, {@code defaultElement}, {@code mergeElement} and
 * {@code allowDuplicates} are accepted and not acted on; any other attribute of a schema element is
 * ignored, as IIS ignores it, and named in {@link #notes()}.
 *
 * <p>Refused with file, line, column and reason: malformed XML, a root other than
 * {@code <configSchema>}, an unknown element, a missing {@code name}, {@code type} or
 * {@code addElement}, an unknown type, {@code timeSpanFormat} or {@code validationType}, a
 * malformed {@code validationParameter}, {@code <enum>}/{@code <flag>} values that are not
 * numbers, an enum or flags attribute without values, and a section, attribute or child element
 * declared twice. Immutable.
 *
 * @param label    how messages name the file
 * @param sections each {@code sectionSchema} by its full name, in file order
 * @param sources  where each {@code sectionSchema} is written
 * @param notes    what was ignored, one line each ({@code file:line:column: ...})
 */
public record SchemaFile(
        String label, Map<String, ElementSchema> sections, Map<String, ConfigSource> sources, List<String> notes) {

    /** Where a module JAR keeps its schema files: {@value}{@code *.xml}. */
    public static final String RESOURCE_FOLDER = "META-INF/weir/schema/";

    private static final Set<String> ACCEPTED_HINTS = Set.of(
            "displayHex",
            "encrypted",
            "allowInfinite",
            "isCollectionDefault",
            "defaultElement",
            "mergeElement",
            "allowDuplicates",
            "xmlns");

    private static final Set<String> ATTRIBUTE_ATTRIBUTES = Set.of(
            "name",
            "type",
            "defaultValue",
            "required",
            "isUniqueKey",
            "isCombinedKey",
            "caseSensitive",
            "expanded",
            "timeSpanFormat",
            "validationType",
            "validationParameter");

    /**
     * Copies the components.
     *
     * @param label    the file's label
     * @param sections the sections
     * @param sources  their positions
     * @param notes    what was ignored
     */
    public SchemaFile {
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(sections));
        sources = Map.copyOf(sources);
        notes = List.copyOf(notes);
    }

    /**
     * Reads a schema file from disk.
     *
     * @param file the file
     * @return the schema
     * @throws ConfigException with file, line, column and reason when the file is refused, or line 0
     *                         when it cannot be read
     */
    public static SchemaFile read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in);
        } catch (IOException e) {
            throw new ConfigException(
                    new ConfigSource(file.toString(), 0, 0),
                    "cannot read the schema file: " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    e);
        }
    }

    /**
     * Reads the schema files a module JAR ships: its {@value #RESOURCE_FOLDER}{@code *.xml}
     * entries, in name order, each labelled {@code jar!/entry}.
     *
     * @param jar the module JAR
     * @return the schema files, none when the JAR ships none
     * @throws IOException     when the JAR cannot be read
     * @throws ConfigException with file, line, column and reason when a schema file is refused
     */
    public static List<SchemaFile> readJar(Path jar) throws IOException {
        List<SchemaFile> files = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            List<JarEntry> entries = new ArrayList<>();
            Enumeration<JarEntry> all = file.entries();
            while (all.hasMoreElements()) {
                JarEntry entry = all.nextElement();
                String name = entry.getName();
                if (name.startsWith(RESOURCE_FOLDER)
                        && name.toLowerCase(Locale.ROOT).endsWith(".xml")
                        && name.indexOf('/', RESOURCE_FOLDER.length()) < 0
                        && !entry.isDirectory()) {
                    entries.add(entry);
                }
            }
            entries.sort(Comparator.comparing(JarEntry::getName));
            for (JarEntry entry : entries) {
                String label = jar.toAbsolutePath().normalize() + "!/" + entry.getName();
                try (InputStream in = file.getInputStream(entry)) {
                    files.add(read(label, in));
                }
            }
        }
        return List.copyOf(files);
    }

    /**
     * Reads a schema file.
     *
     * @param label how messages name the file
     * @param in    the XML; read to the end, not closed
     * @return the schema
     * @throws ConfigException with file, line, column and reason when the file is refused
     */
    public static SchemaFile read(String label, InputStream in) {
        XmlElement root = ConfigXmlReader.read(label, in);
        if (!root.name().equals("configSchema")) {
            throw new ConfigException(
                    root.source(),
                    "the root element of a schema file must be <configSchema>, not <" + root.name() + ">");
        }
        Reading reading = new Reading();
        Map<String, ElementSchema> sections = new LinkedHashMap<>();
        Map<String, ConfigSource> sources = new LinkedHashMap<>();
        for (XmlElement child : root.children()) {
            if (!child.name().equals("sectionSchema")) {
                throw new ConfigException(
                        child.source(),
                        "unrecognized element <" + child.name() + "> in <configSchema>: expected <sectionSchema>");
            }
            reading.hints(child, Set.of("name"));
            String name = required(child, "name");
            ConfigSource previous = sources.putIfAbsent(name, child.source());
            if (previous != null) {
                throw new ConfigException(
                        child.source(),
                        "section '" + name + "' is declared twice in this file (first at " + previous + ")");
            }
            sections.put(name, reading.element(child, "<sectionSchema name=\"" + name + "\">"));
        }
        return new SchemaFile(label, sections, sources, reading.notes);
    }

    /** The state of one read: what was ignored. */
    private static final class Reading {
        final List<String> notes = new ArrayList<>();

        ElementSchema element(XmlElement element, String where) {
            List<AttributeSchema> attributes = new ArrayList<>();
            Map<String, ConfigSource> attributeSources = new LinkedHashMap<>();
            Map<String, ElementSchema> children = new LinkedHashMap<>();
            Map<String, ConfigSource> childSources = new LinkedHashMap<>();
            CollectionSchema collection = null;
            ConfigSource collectionSource = null;
            for (XmlElement child : element.children()) {
                switch (child.name()) {
                    case "attribute" -> {
                        AttributeSchema attribute = attribute(child);
                        ConfigSource previous = attributeSources.putIfAbsent(attribute.name(), child.source());
                        if (previous != null) {
                            throw new ConfigException(
                                    child.source(),
                                    "attribute '" + attribute.name() + "' is declared twice in " + where + " (first at "
                                            + previous + ")");
                        }
                        attributes.add(attribute);
                    }
                    case "element" -> {
                        hints(child, Set.of("name"));
                        String name = required(child, "name");
                        ConfigSource previous = childSources.putIfAbsent(name, child.source());
                        if (previous != null) {
                            throw new ConfigException(
                                    child.source(),
                                    "element '" + name + "' is declared twice in " + where + " (first at " + previous
                                            + ")");
                        }
                        children.put(name, element(child, "<element name=\"" + name + "\">"));
                    }
                    case "collection" -> {
                        if (collectionSource != null) {
                            throw new ConfigException(
                                    child.source(),
                                    where + " declares a second <collection> (the first is at " + collectionSource
                                            + "); an element holds at most one");
                        }
                        collectionSource = child.source();
                        collection = collection(child);
                    }
                    default ->
                        throw new ConfigException(
                                child.source(),
                                "unrecognized element <" + child.name() + "> in " + where
                                        + ": expected <attribute>, <element> or <collection>");
                }
            }
            return ElementSchema.typed(attributes, children, Optional.ofNullable(collection));
        }

        CollectionSchema collection(XmlElement collection) {
            hints(
                    collection,
                    Set.of(
                            "addElement",
                            "removeElement",
                            "clearElement",
                            "mergeAppend",
                            "allowUnrecognizedAttributes"));
            String add = required(collection, "addElement");
            ElementSchema declared = element(collection, "<collection addElement=\"" + add + "\">");
            ElementSchema item = flag(collection, "allowUnrecognizedAttributes", false)
                    ? new ElementSchema(declared.attributes(), declared.children(), declared.collection(), false)
                    : declared;
            List<String> keys = new ArrayList<>();
            item.attributes().values().stream()
                    .filter(AttributeSchema::uniqueKey)
                    .findFirst()
                    .ifPresent(a -> keys.add(a.name()));
            if (keys.isEmpty()) {
                item.attributes().values().stream()
                        .filter(AttributeSchema::combinedKey)
                        .forEach(a -> keys.add(a.name()));
            }
            if (keys.isEmpty()) {
                keys.addAll(item.attributes().keySet());
            }
            if (keys.isEmpty()) {
                throw new ConfigException(
                        collection.source(),
                        "<collection addElement=\"" + add + "\"> declares no attribute, so its items have no key");
            }
            boolean caseSensitive =
                    keys.stream().anyMatch(k -> item.attributes().get(k).caseSensitive());
            return new CollectionSchema(
                    add,
                    collection.attribute("removeElement").filter(s -> !s.isBlank()),
                    collection.attribute("clearElement").filter(s -> !s.isBlank()),
                    keys,
                    caseSensitive,
                    flag(collection, "mergeAppend", true),
                    item);
        }

        AttributeSchema attribute(XmlElement element) {
            hints(element, ATTRIBUTE_ATTRIBUTES);
            String name = required(element, "name");
            String typeName = required(element, "type");
            AttributeType type = type(element, typeName);
            AttributeSchema attribute = AttributeSchema.of(name, type);
            Optional<String> defaultValue = element.attribute("defaultValue");
            if (defaultValue.isPresent()) {
                attribute = attribute.withDefault(defaultValue.get());
            }
            if (flag(element, "required", false)) {
                attribute = attribute.asRequired();
            }
            if (flag(element, "isUniqueKey", false)) {
                attribute = attribute.asUniqueKey();
            }
            if (flag(element, "isCombinedKey", false)) {
                attribute = attribute.asCombinedKey();
            }
            if (flag(element, "caseSensitive", false)) {
                attribute = attribute.asCaseSensitive();
            }
            if (flag(element, "expanded", false)) {
                attribute = attribute.asExpanded();
            }
            attribute = values(element, attribute);
            Optional<String> format = element.attribute("timeSpanFormat");
            if (format.isPresent()) {
                attribute = switch (format.get().strip().toLowerCase(Locale.ROOT)) {
                    case "string" -> attribute;
                    case "seconds" -> attribute.withTimeSpanUnit(AttributeSchema.TimeSpanUnit.SECONDS);
                    case "minutes" -> attribute.withTimeSpanUnit(AttributeSchema.TimeSpanUnit.MINUTES);
                    default ->
                        throw new ConfigException(
                                element.attributeSource("timeSpanFormat"),
                                "timeSpanFormat must be string, seconds or minutes, not '" + format.get() + "'");
                };
            }
            return validation(element, attribute);
        }

        private static AttributeType type(XmlElement element, String typeName) {
            return switch (typeName.strip()) {
                case "bool" -> AttributeType.BOOL;
                case "enum" -> AttributeType.ENUM;
                case "flags" -> AttributeType.FLAGS;
                case "uint" -> AttributeType.UINT;
                case "int" -> AttributeType.INT;
                case "int64" -> AttributeType.INT64;
                case "string" -> AttributeType.STRING;
                case "timeSpan" -> AttributeType.TIME_SPAN;
                default ->
                    throw new ConfigException(
                            element.attributeSource("type"),
                            "unknown attribute type '" + typeName
                                    + "': IIS's types are bool, enum, flags, uint, int, int64, string and timeSpan");
            };
        }

        private AttributeSchema values(XmlElement element, AttributeSchema attribute) {
            boolean named = attribute.type() == AttributeType.ENUM || attribute.type() == AttributeType.FLAGS;
            String expected = attribute.type() == AttributeType.FLAGS ? "flag" : "enum";
            List<Object> pairs = new ArrayList<>();
            for (XmlElement value : element.children()) {
                if (!named || !value.name().equals(expected)) {
                    throw new ConfigException(
                            value.source(),
                            "unrecognized element <" + value.name() + "> in <attribute name=\"" + attribute.name()
                                    + "\" type=\"" + attribute.typeName() + "\">"
                                    + (named
                                            ? ": expected <" + expected + ">"
                                            : ": only enum and flags attributes have values"));
                }
                hints(value, Set.of("name", "value"));
                String valueName = required(value, "name");
                String number = required(value, "value");
                try {
                    pairs.add(valueName);
                    pairs.add(Long.decode(number.strip()));
                } catch (NumberFormatException e) {
                    throw new ConfigException(
                            value.attributeSource("value"),
                            "the value of <" + expected + " name=\"" + valueName + "\"> must be a number, not '"
                                    + number + "'");
                }
            }
            if (named && pairs.isEmpty()) {
                throw new ConfigException(
                        element.source(),
                        "<attribute name=\"" + attribute.name() + "\" type=\"" + attribute.typeName()
                                + "\"> declares no <" + expected + "> values");
            }
            return pairs.isEmpty() ? attribute : attribute.withValues(pairs.toArray());
        }

        private static AttributeSchema validation(XmlElement element, AttributeSchema attribute) {
            String type = element.attribute("validationType").orElse("").strip();
            String parameter =
                    element.attribute("validationParameter").orElse("").strip();
            ConfigSource at = element.attributeSource("validationParameter");
            switch (type) {
                case "" -> {
                    return attribute;
                }
                case "nonEmptyString" -> {
                    return attribute.asNonEmpty();
                }
                case "integerRange" -> {
                    long[] range = numbers(at, type, parameter, "min,max[,exclude]", true);
                    return parameter.endsWith("exclude")
                            ? attribute.withCheck(new ValueCheck(type, range[0], range[1], 1, true))
                            : attribute.withRange(range[0], range[1]);
                }
                case "timeSpanRange" -> {
                    long[] range = numbers(at, type, parameter, "min,max[,granularity]", false);
                    return attribute.withCheck(
                            new ValueCheck(type, range[0], range[1], range.length > 2 ? range[2] : 1, false));
                }
                default -> {
                    if (ValueCheck.KNOWN_TYPES.contains(type)) {
                        return attribute.withCheck(ValueCheck.of(type));
                    }
                    throw new ConfigException(
                            element.attributeSource("validationType"),
                            "unknown validationType '" + type + "' on attribute '" + attribute.name() + "': Weir knows "
                                    + String.join(", ", ValueCheck.KNOWN_TYPES));
                }
            }
        }

        private static long[] numbers(ConfigSource at, String type, String parameter, String form, boolean exclude) {
            List<String> parts = new ArrayList<>(List.of(parameter.split(",")));
            if (exclude && parts.size() == 3 && parts.get(2).strip().equals("exclude")) {
                parts.remove(2);
            }
            if (parts.size() < 2 || parts.size() > (exclude ? 2 : 3)) {
                throw new ConfigException(
                        at, "validationParameter of " + type + " must be \"" + form + "\", not '" + parameter + "'");
            }
            long[] numbers = new long[parts.size()];
            for (int i = 0; i < numbers.length; i++) {
                try {
                    numbers[i] = Long.parseLong(parts.get(i).strip());
                } catch (NumberFormatException e) {
                    throw new ConfigException(
                            at,
                            "validationParameter of " + type + " must be \"" + form + "\", not '" + parameter + "'");
                }
            }
            if (numbers[0] > numbers[1]) {
                throw new ConfigException(
                        at,
                        "validationParameter of " + type + ": the minimum " + numbers[0] + " exceeds the maximum "
                                + numbers[1]);
            }
            return numbers;
        }

        private static boolean flag(XmlElement element, String name, boolean absent) {
            Optional<String> value = element.attribute(name);
            if (value.isEmpty()) {
                return absent;
            }
            String v = value.get().strip();
            if (v.equalsIgnoreCase("true")) {
                return true;
            }
            if (v.equalsIgnoreCase("false")) {
                return false;
            }
            throw new ConfigException(
                    element.attributeSource(name), name + " must be 'true' or 'false', not '" + value.get() + "'");
        }

        void hints(XmlElement element, Set<String> read) {
            for (XmlAttribute attribute : element.attributes().values()) {
                String name = attribute.name();
                if (!read.contains(name) && !ACCEPTED_HINTS.contains(name) && name.indexOf(':') < 0) {
                    notes.add(attribute.source() + ": attribute '" + name + "' of <" + element.name()
                            + "> is not part of IIS's schema format and is ignored");
                }
            }
        }
    }

    private static String required(XmlElement element, String attribute) {
        String value = element.attribute(attribute).orElse("");
        if (value.isBlank()) {
            throw new ConfigException(
                    element.source(), "<" + element.name() + "> is missing the required attribute '" + attribute + "'");
        }
        return value.strip();
    }
}
