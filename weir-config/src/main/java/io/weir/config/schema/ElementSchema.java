package io.weir.config.schema;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What Weir knows of one configuration element: which attributes IIS expands ({@code %VAR%}),
 * which child elements are plain elements, and whether it holds a collection. Child elements not
 * listed are accepted and kept as plain elements until the schema grows to cover them.
 *
 * @param expandedAttributes attributes whose {@code %NAME%} references are expanded
 * @param children           known plain child elements, by name
 * @param collection         the collection the element holds, if any
 */
public record ElementSchema(Set<String> expandedAttributes, Map<String, ElementSchema> children,
        Optional<CollectionSchema> collection) {

    /** An element with no expanded attributes, no known children and no collection. */
    public static final ElementSchema PLAIN = new ElementSchema(Set.of(), Map.of(), Optional.empty());

    /**
     * Copies the components.
     *
     * @param expandedAttributes the expanded attributes
     * @param children           the known children
     * @param collection         the collection, if any
     */
    public ElementSchema {
        expandedAttributes = Set.copyOf(expandedAttributes);
        children = Map.copyOf(children);
    }

    /**
     * Returns the schema of a plain child element.
     *
     * @param name the child's XML name
     * @return the declared schema, or {@link #PLAIN} for a child the schema does not list
     */
    public ElementSchema child(String name) {
        return children.getOrDefault(name, PLAIN);
    }
}
