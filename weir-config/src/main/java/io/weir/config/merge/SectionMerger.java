package io.weir.config.merge;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.schema.CollectionSchema;
import io.weir.config.schema.ElementSchema;
import io.weir.config.xml.XmlAttribute;
import io.weir.config.xml.XmlElement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges one element as written at several configuration levels (outermost first) into a
 * {@link MergedElement}, following IIS's rules: an attribute set at a deeper level replaces the
 * inherited value; plain child elements merge recursively; collections apply their
 * add/remove/clear directives in document order, level by level, and put a level's own items
 * after (mergeAppend) or before (mergeAppend="false") the inherited ones. Adding a key already
 * present, inherited or local, is refused as IIS refuses it (500.19, HRESULT 0x800700b7).
 *
 * <p>Expanded attributes ({@code %VAR%}) are expanded here; {@code physicalPath} values also get
 * Windows {@code \} separators turned into {@code /}.
 *
 * <p>Immutable and thread-safe.
 */
public final class SectionMerger {

    /** The usual directive names: refused where the collection does not declare them (bindings have no remove). */
    private static final java.util.Set<String> DIRECTIVE_NAMES = java.util.Set.of("add", "remove", "clear");

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
     * Merges an element across levels.
     *
     * @param name   the element's XML name (used when {@code levels} is empty)
     * @param levels the element as written at each level, outermost first; may be empty
     * @param schema what Weir knows of the element
     * @return the merged element; {@link MergedElement#empty} when {@code levels} is empty
     * @throws ConfigException for a duplicate collection key or a collection item without its key
     */
    public MergedElement merge(String name, List<XmlElement> levels, ElementSchema schema) {
        if (levels.isEmpty()) {
            return MergedElement.empty(name);
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        Map<String, ConfigSource> attributeSources = new HashMap<>();
        Map<String, List<XmlElement>> childLevels = new LinkedHashMap<>();
        CollectionSchema collection = schema.collection().orElse(null);
        List<Item> items = new ArrayList<>();
        for (XmlElement level : levels) {
            for (XmlAttribute attribute : level.attributes().values()) {
                attributes.put(attribute.name(), value(schema, attribute));
                attributeSources.put(attribute.name(), attribute.source());
            }
            for (XmlElement child : level.children()) {
                if (collection != null && !collection.isDirective(child.name())
                        && DIRECTIVE_NAMES.contains(child.name())) {
                    throw new ConfigException(child.source(), "<" + child.name() + "> is not allowed in <"
                            + level.name() + ">: its collection accepts only " + directives(collection));
                }
                if (collection == null || !collection.isDirective(child.name())) {
                    childLevels.computeIfAbsent(child.name(), k -> new ArrayList<>()).add(child);
                }
            }
            if (collection != null) {
                items = applyDirectives(collection, level, items);
            }
        }
        Map<String, ConfigElement> children = new LinkedHashMap<>();
        childLevels.forEach((childName, written) -> children.put(childName,
                merge(childName, written, schema.child(childName))));
        List<ConfigElement> merged = new ArrayList<>(items.size());
        for (Item item : items) {
            merged.add(item.element());
        }
        ConfigSource source = levels.get(levels.size() - 1).source();
        return new MergedElement(name, source, attributes, attributeSources, children, merged);
    }

    private List<Item> applyDirectives(CollectionSchema collection, XmlElement level, List<Item> inherited) {
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
                    throw new ConfigException(directive.source(), "cannot add duplicate collection entry of type '"
                            + directiveName + "' with " + describeKey(collection, directive)
                            + " (already added at " + existing.element().source() + ")");
                }
                local.add(new Item(key, merge(directiveName, List.of(directive), collection.item())));
            } else if (collection.removeElement().filter(directiveName::equals).isPresent()) {
                String key = key(collection, directive);
                kept.removeIf(item -> item.key().equals(key));
                local.removeIf(item -> item.key().equals(key));
            } else if (collection.clearElement().filter(directiveName::equals).isPresent()) {
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

    private String key(CollectionSchema collection, XmlElement directive) {
        StringBuilder key = new StringBuilder();
        List<String> keyAttributes = collection.keyAttributes();
        boolean combined = keyAttributes.size() > 1;
        for (String attributeName : keyAttributes) {
            // IIS: a unique key is required; each part of a combined key (authorization's users +
            // roles + verbs, ipSecurity's ipAddress + subnetMask + domainName) may be left out.
            String value = combined ? directive.attribute(attributeName).orElse("")
                    : directive.attribute(attributeName).orElseThrow(() -> new ConfigException(
                    directive.source(), "<" + directive.name() + "> is missing the required key attribute '"
                            + attributeName + "'"));
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
            out.append(i == 0 ? "" : " and ").append('\'').append(keys.get(i)).append("' set to '")
                    .append(directive.attribute(keys.get(i)).orElse("")).append('\'');
        }
        return out.toString();
    }

    private static String directives(CollectionSchema collection) {
        StringBuilder out = new StringBuilder("<").append(collection.addElement()).append('>');
        collection.removeElement().ifPresent(name -> out.append(", <").append(name).append('>'));
        collection.clearElement().ifPresent(name -> out.append(", <").append(name).append("/>"));
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

    private String value(ElementSchema schema, XmlAttribute attribute) {
        if (!schema.expandedAttributes().contains(attribute.name())) {
            return attribute.value();
        }
        String expanded = expansion.expand(attribute.value());
        return attribute.name().equals("physicalPath") ? expanded.replace('\\', '/') : expanded;
    }

    /** A collection item with its comparison key. */
    private record Item(String key, MergedElement element) {
    }
}
