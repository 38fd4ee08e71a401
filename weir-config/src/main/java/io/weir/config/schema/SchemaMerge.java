package io.weir.config.schema;

import io.weir.api.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Merges a schema file's declaration of a section into what other files (or Weir itself) declared
 * of it, as IIS merges {@code <sectionSchema>} elements of one name across its schema files: the
 * attributes, child elements and collection item attributes the file adds are appended; the
 * collection's directives and keys stay those of the first declaration.
 */
final class SchemaMerge {

    private SchemaMerge() {}

    /**
     * @param base      the section as declared so far
     * @param added     the file's declaration
     * @param weirs     Weir's own declaration of the element, whose attributes govern (a file may
     *                  repeat them), or null when Weir does not declare it
     * @param duplicate the error for an attribute declared twice by files, given its path
     * @return the merged declaration
     */
    static ElementSchema merge(
            ElementSchema base, ElementSchema added, ElementSchema weirs, Function<String, ConfigException> duplicate) {
        return merge(base, added, weirs, duplicate, "");
    }

    private static ElementSchema merge(
            ElementSchema base,
            ElementSchema added,
            ElementSchema weirs,
            Function<String, ConfigException> duplicate,
            String path) {
        Map<String, AttributeSchema> attributes = new LinkedHashMap<>(base.attributes());
        for (AttributeSchema a : added.attributes().values()) {
            if (weirs != null && weirs.attribute(a.name()).isPresent()) {
                continue;
            }
            if (attributes.putIfAbsent(a.name(), a) != null) {
                throw duplicate.apply(path + a.name());
            }
        }
        Map<String, ElementSchema> children = new LinkedHashMap<>(base.children());
        for (Map.Entry<String, ElementSchema> child : added.children().entrySet()) {
            ElementSchema before = base.children().get(child.getKey());
            children.put(
                    child.getKey(),
                    before == null
                            ? child.getValue()
                            : merge(
                                    before,
                                    child.getValue(),
                                    weirs == null ? null : weirs.children().get(child.getKey()),
                                    duplicate,
                                    path + child.getKey() + "/"));
        }
        Optional<CollectionSchema> collection = base.collection();
        if (collection.isEmpty()) {
            collection = added.collection();
        } else if (added.collection().isPresent()) {
            CollectionSchema c = collection.get();
            ElementSchema weirsItem = weirs == null
                    ? null
                    : weirs.collection().map(CollectionSchema::item).orElse(null);
            ElementSchema item =
                    merge(c.item(), added.collection().get().item(), weirsItem, duplicate, path + c.addElement() + "/");
            collection = Optional.of(new CollectionSchema(
                    c.addElement(),
                    c.removeElement(),
                    c.clearElement(),
                    c.keyAttributes(),
                    c.caseSensitiveKeys(),
                    c.mergeAppend(),
                    item));
        }
        return new ElementSchema(attributes, children, collection, base.typed() || (weirs == null && added.typed()));
    }
}
