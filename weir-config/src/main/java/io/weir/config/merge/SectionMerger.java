package io.weir.config.merge;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.schema.AttributeSchema;
import io.weir.config.schema.CollectionSchema;
import io.weir.config.schema.ElementSchema;
import io.weir.config.xml.XmlAttribute;
import io.weir.config.xml.XmlElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Merges one element as written at several configuration levels (outermost first) into a
 * {@link MergedElement}, following IIS's rules (docs/reference/configuration-system.md, "Merging attributes and collections", "Delegation and locking"):
 * <ul>
 *   <li>an attribute set at a deeper level replaces the inherited value; plain child elements
 *       merge recursively;</li>
 *   <li>collections apply their add/remove/clear directives in document order, level by level,
 *       and put a level's own items after (mergeAppend) or before (mergeAppend="false": handlers,
 *       defaultDocument files) the inherited ones; adding a key already present, inherited or
 *       local, is refused as IIS refuses it (500.19, HRESULT 0x800700b7);</li>
 *   <li>granular locks: {@code lockAttributes}, {@code lockAllAttributesExcept},
 *       {@code lockElements}, {@code lockAllElementsExcept} (on a collection the names are its
 *       directives) and {@code lockItem} (a collection item that lower files may not remove or
 *       clear; on another element, the whole element) written in one file bind the files of a
 *       higher {@link WrittenElement#rank() rank} (0x80070021);</li>
 *   <li>on a typed element (see {@link ElementSchema#typed()}), an undeclared attribute or child
 *       element, a malformed bool, number, enum, flags or time span, a value outside its range and
 *       a missing required attribute are refused with the attribute's file, line and column.</li>
 * </ul>
 *
 * <p>Expanded attributes ({@code %VAR%}) are expanded here; {@code physicalPath} values also get
 * Windows {@code \} separators turned into {@code /}. The lock attributes, {@code xmlns} and
 * prefixed attributes ({@code xdt:Transform}) are not kept as values.
 *
 * <p>Immutable and thread-safe.
 */
public final class SectionMerger {

    /** The usual directive names: refused where the collection does not declare them (bindings have no remove). */
    private static final Set<String> DIRECTIVE_NAMES = Set.of("add", "remove", "clear");

    /** The configuration system's own attributes, allowed on every element (docs/reference/configuration-system.md, "Delegation and locking"). */
    public static final Set<String> LOCK_ATTRIBUTES =
            Set.of("lockAttributes", "lockAllAttributesExcept", "lockElements", "lockAllElementsExcept", "lockItem");

    private final VariableExpansion expansion;

    /**
     * Creates a merger.
     *
     * @param expansion how {@code %VAR%} references are expanded
     */
    public SectionMerger(VariableExpansion expansion) {
        this.expansion = expansion;
    }

    /**
     * Merges an element written in one file (rank 0 everywhere): applicationHost.config's levels.
     *
     * @param name   the element's XML name (used when {@code levels} is empty)
     * @param levels the element as written at each level, outermost first; may be empty
     * @param schema what Weir knows of the element
     * @return the merged element; {@link MergedElement#empty} when {@code levels} is empty
     * @throws ConfigException for a duplicate collection key, a collection item without its key,
     *                         or a value the schema refuses
     */
    public MergedElement merge(String name, List<XmlElement> levels, ElementSchema schema) {
        List<WrittenElement> written = new ArrayList<>(levels.size());
        for (XmlElement level : levels) {
            written.add(new WrittenElement(level, 0));
        }
        return mergeWritten(name, written, schema);
    }

    /**
     * Merges an element written at levels of several files.
     *
     * @param name   the element's XML name (used when {@code levels} is empty)
     * @param levels the element as written at each level with its file's rank, outermost first
     * @param schema what Weir knows of the element
     * @return the merged element; {@link MergedElement#empty} (with the schema's defaults) when
     *         {@code levels} is empty
     * @throws ConfigException as {@link #merge}, and for a lock violation
     */
    public MergedElement mergeWritten(String name, List<WrittenElement> levels, ElementSchema schema) {
        if (levels.isEmpty()) {
            return MergedElement.empty(name, schema, expansion);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        Map<String, ConfigSource> attributeSources = new HashMap<>();
        Map<String, List<WrittenElement>> childLevels = new LinkedHashMap<>();
        CollectionSchema collection = schema.collection().orElse(null);
        List<Item> items = new ArrayList<>();
        List<Lock> attributeLocks = new ArrayList<>();
        List<Lock> elementLocks = new ArrayList<>();
        for (WrittenElement written : levels) {
            XmlElement level = written.element();
            int rank = written.rank();
            for (XmlAttribute attribute : level.attributes().values()) {
                String attributeName = attribute.name();
                if (LOCK_ATTRIBUTES.contains(attributeName) || isXmlOrPrefixed(attributeName)) {
                    continue;
                }
                Lock lock = violated(attributeLocks, attributeName, rank);
                if (lock != null) {
                    throw new ConfigException(
                            attribute.source(),
                            "lock violation: attribute '" + attributeName + "' of <" + name + "> is locked by "
                                    + lock.describe() + " at a parent level");
                }
                attributes.put(attributeName, value(schema, attribute, name));
                attributeSources.put(attributeName, attribute.source());
            }
            for (XmlElement child : level.children()) {
                String childName = child.name();
                if (collection != null && !collection.isDirective(childName) && DIRECTIVE_NAMES.contains(childName)) {
                    throw new ConfigException(
                            child.source(),
                            "<" + childName + "> is not allowed in <" + level.name() + ">: its collection accepts only "
                                    + directives(collection));
                }
                Lock lock = violated(elementLocks, childName, rank);
                if (lock != null) {
                    throw new ConfigException(
                            child.source(),
                            "lock violation: element <" + childName + "> of <" + name + "> is locked by "
                                    + lock.describe() + " at a parent level");
                }
                if (collection == null || !collection.isDirective(childName)) {
                    if (schema.typed() && !schema.children().containsKey(childName)) {
                        throw new ConfigException(
                                child.source(), "unrecognized element <" + childName + "> in <" + name + ">");
                    }
                    childLevels
                            .computeIfAbsent(childName, k -> new ArrayList<>())
                            .add(new WrittenElement(child, rank));
                }
            }
            if (collection != null) {
                items = applyDirectives(collection, level, rank, items);
            }
            addLocks(level, rank, attributeLocks, elementLocks);
        }
        Map<String, ConfigElement> children = new LinkedHashMap<>();
        childLevels.forEach((childName, written) ->
                children.put(childName, mergeWritten(childName, written, schema.child(childName))));
        List<ConfigElement> merged = new ArrayList<>(items.size());
        for (Item item : items) {
            merged.add(item.element());
        }
        ConfigSource source = levels.get(levels.size() - 1).element().source();
        return new MergedElement(name, source, attributes, attributeSources, children, merged, schema, expansion);
    }

    private static boolean isXmlOrPrefixed(String attributeName) {
        return attributeName.equals("xmlns") || attributeName.indexOf(':') >= 0;
    }

    private static void addLocks(XmlElement level, int rank, List<Lock> attributeLocks, List<Lock> elementLocks) {
        level.attributes().values().forEach(attribute -> {
            switch (attribute.name()) {
                case "lockAttributes" -> attributeLocks.add(Lock.of(rank, attribute, false));
                case "lockAllAttributesExcept" -> attributeLocks.add(Lock.of(rank, attribute, true));
                case "lockElements" -> elementLocks.add(Lock.of(rank, attribute, false));
                case "lockAllElementsExcept" -> elementLocks.add(Lock.of(rank, attribute, true));
                case "lockItem" -> {
                    // On a collection item the item itself is locked (see applyDirectives); on any
                    // other element, lockItem="true" locks the whole element.
                    if (attribute.value().strip().equalsIgnoreCase("true")) {
                        XmlAttribute all = new XmlAttribute("lockItem", "*", attribute.source());
                        attributeLocks.add(Lock.of(rank, all, false));
                        elementLocks.add(Lock.of(rank, all, false));
                    }
                }
                default -> {
                    // an ordinary attribute
                }
            }
        });
    }

    private static Lock violated(List<Lock> locks, String name, int rank) {
        for (Lock lock : locks) {
            if (lock.rank() < rank && lock.covers(name)) {
                return lock;
            }
        }
        return null;
    }

    private List<Item> applyDirectives(CollectionSchema collection, XmlElement level, int rank, List<Item> inherited) {
        List<Item> kept = new ArrayList<>(inherited);
        List<Item> local = new ArrayList<>();
        for (XmlElement directive : level.children()) {
            String directiveName = directive.name();
            if (directiveName.equals(collection.addElement())) {
                String key = key(collection, directive);
                Item existing = find(kept, key);
                if (existing == null) {
                    existing = find(local, key);
                }
                if (existing != null) {
                    throw new ConfigException(
                            directive.source(),
                            "Cannot add duplicate collection entry of type '"
                                    + directiveName + "' with " + describeKey(collection, directive)
                                    + " (already added at " + existing.element().source() + ")");
                }
                MergedElement item =
                        mergeWritten(directiveName, List.of(new WrittenElement(directive, rank)), collection.item());
                checkRequired(collection.item(), directive, item);
                boolean locked = directive
                        .attribute("lockItem")
                        .map(v -> v.strip().equalsIgnoreCase("true"))
                        .orElse(false);
                local.add(new Item(key, item, locked ? rank : Integer.MAX_VALUE));
            } else if (collection.removeElement().filter(directiveName::equals).isPresent()) {
                checkRemoveAttributes(collection, directive);
                String key = key(collection, directive);
                Item lockedItem = find(kept, key);
                if (lockedItem != null && lockedItem.lockRank() < rank) {
                    throw new ConfigException(
                            directive.source(),
                            "lock violation: the entry with "
                                    + describeKey(collection, directive) + " is locked (lockItem=\"true\" at "
                                    + lockedItem.element().source() + ") and cannot be removed here");
                }
                kept.removeIf(item -> item.key().equals(key));
                local.removeIf(item -> item.key().equals(key));
            } else if (collection.clearElement().filter(directiveName::equals).isPresent()) {
                for (Item item : kept) {
                    if (item.lockRank() < rank) {
                        throw new ConfigException(
                                directive.source(),
                                "lock violation: <" + directiveName
                                        + "/> would remove the locked entry at "
                                        + item.element().source()
                                        + " (lockItem=\"true\")");
                    }
                }
                kept.clear();
                local.clear();
            }
        }
        List<Item> result = new ArrayList<>(kept.size() + local.size());
        if (collection.mergeAppend()) {
            result.addAll(kept);
            result.addAll(local);
        } else {
            result.addAll(local);
            result.addAll(kept);
        }
        return result;
    }

    private static void checkRequired(ElementSchema item, XmlElement directive, MergedElement merged) {
        if (!item.typed()) {
            return;
        }
        for (AttributeSchema declared : item.attributes().values()) {
            if (declared.required()
                    && !declared.combinedKey()
                    && declared.defaultValue().isEmpty()
                    && !merged.attributes().containsKey(declared.name())) {
                throw new ConfigException(
                        directive.source(),
                        "<" + directive.name() + "> is missing the required attribute '" + declared.name() + "'");
            }
        }
    }

    private static void checkRemoveAttributes(CollectionSchema collection, XmlElement directive) {
        if (!collection.item().typed()) {
            return;
        }
        for (XmlAttribute attribute : directive.attributes().values()) {
            if (!collection.keyAttributes().contains(attribute.name())
                    && !isXmlOrPrefixed(attribute.name())
                    && !LOCK_ATTRIBUTES.contains(attribute.name())) {
                throw new ConfigException(
                        attribute.source(),
                        "unrecognized attribute '" + attribute.name() + "' on <" + directive.name()
                                + ">: it takes only the key " + collection.keyAttributes());
            }
        }
    }

    private String key(CollectionSchema collection, XmlElement directive) {
        StringBuilder key = new StringBuilder();
        List<String> keyAttributes = collection.keyAttributes();
        boolean combined = keyAttributes.size() > 1;
        for (String attributeName : keyAttributes) {
            // IIS: a unique key is required; each part of a combined key (authorization's users +
            // roles + verbs, ipSecurity's ipAddress + subnetMask + domainName) may be left out.
            String value = combined
                    ? directive.attribute(attributeName).orElse("")
                    : directive
                            .attribute(attributeName)
                            .orElseThrow(() -> new ConfigException(
                                    directive.source(),
                                    "<" + directive.name() + "> is missing the required key attribute '" + attributeName
                                            + "'"));
            if (!collection.caseSensitiveKeys()) {
                value = value.toLowerCase(Locale.ROOT);
            }
            key.append(value).append('\u0000');
        }
        return key.toString();
    }

    private static String describeKey(CollectionSchema collection, XmlElement directive) {
        List<String> keys = collection.keyAttributes();
        StringBuilder out = new StringBuilder(keys.size() == 1 ? "unique key attribute " : "combined key attributes ");
        for (int i = 0; i < keys.size(); i++) {
            out.append(i == 0 ? "" : " and ")
                    .append('\'')
                    .append(keys.get(i))
                    .append("' set to '")
                    .append(directive.attribute(keys.get(i)).orElse(""))
                    .append('\'');
        }
        return out.toString();
    }

    private static String directives(CollectionSchema collection) {
        StringBuilder out =
                new StringBuilder("<").append(collection.addElement()).append('>');
        collection
                .removeElement()
                .ifPresent(name -> out.append(", <").append(name).append('>'));
        collection
                .clearElement()
                .ifPresent(name -> out.append(", <").append(name).append("/>"));
        return out.toString();
    }

    private static Item find(List<Item> items, String key) {
        for (Item item : items) {
            if (item.key().equals(key)) {
                return item;
            }
        }
        return null;
    }

    private String value(ElementSchema schema, XmlAttribute attribute, String elementName) {
        AttributeSchema declared = schema.attributes().get(attribute.name());
        if (declared == null) {
            if (schema.typed()) {
                throw new ConfigException(
                        attribute.source(),
                        "unrecognized attribute '" + attribute.name() + "' on <" + elementName
                                + "> (attribute names are case-sensitive)");
            }
            return attribute.value();
        }
        String value = attribute.value();
        if (declared.expanded()) {
            value = expansion.expand(value);
            if (attribute.name().equals("physicalPath")) {
                value = value.replace('\\', '/');
            }
        }
        return schema.typed() ? AttributeValues.check(declared, attribute, value, elementName) : value;
    }

    /** A collection item with its comparison key and the rank of the file that locked it (MAX_VALUE: unlocked). */
    private record Item(String key, MergedElement element, int lockRank) {}

    /** A granular lock written at one rank. */
    private record Lock(int rank, Set<String> names, boolean except, String attribute, ConfigSource source) {

        static Lock of(int rank, XmlAttribute attribute, boolean except) {
            Set<String> names = new LinkedHashSet<>();
            Arrays.stream(attribute.value().split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .forEach(names::add);
            return new Lock(rank, names, except, attribute.name(), attribute.source());
        }

        boolean covers(String name) {
            return except ? !names.contains(name) : names.contains("*") || names.contains(name);
        }

        String describe() {
            return attribute + "=\"" + String.join(",", names) + "\" (" + source + ")";
        }
    }
}
