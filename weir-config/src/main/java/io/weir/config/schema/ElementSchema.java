package io.weir.config.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What Weir knows of one configuration element, after IIS's schema {@code <element>} /
 * {@code <sectionSchema>}: its attributes (type, default, validators), its plain child elements,
 * and the collection it holds, if any.
 *
 * <p>A <em>typed</em> element declares all its attributes and children: a file that sets an
 * attribute or writes a child element it does not declare is refused, as IIS refuses it
 * ("Unrecognized attribute", "Unrecognized element"). An untyped element (the generic
 * {@link #PLAIN}, or one built with the three-argument constructor) accepts anything; only the
 * attributes it names are expanded.
 *
 * @param attributes the declared attributes by name, in declaration order
 * @param children   the declared plain child elements, by name
 * @param collection the collection the element holds, if any
 * @param typed      whether undeclared attributes and children are refused
 */
public record ElementSchema(
        Map<String, AttributeSchema> attributes,
        Map<String, ElementSchema> children,
        Optional<CollectionSchema> collection,
        boolean typed) {

    /** An element with no declared attributes, no known children and no collection; accepts anything. */
    public static final ElementSchema PLAIN = new ElementSchema(Map.of(), Map.of(), Optional.empty(), false);

    /**
     * Copies the components.
     *
     * @param attributes the declared attributes
     * @param children   the known children
     * @param collection the collection, if any
     * @param typed      whether undeclared attributes and children are refused
     */
    public ElementSchema {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        children = Map.copyOf(children);
    }

    /**
     * Creates an untyped element that only names its expanded attributes.
     *
     * @param expandedAttributes attributes whose {@code %NAME%} references are expanded
     * @param children           known plain child elements, by name
     * @param collection         the collection the element holds, if any
     */
    public ElementSchema(
            Set<String> expandedAttributes,
            Map<String, ElementSchema> children,
            Optional<CollectionSchema> collection) {
        this(
                expandedAttributes.stream()
                        .collect(Collectors.toMap(
                                n -> n,
                                n -> AttributeSchema.of(n, AttributeType.STRING).asExpanded(),
                                (a, b) -> a,
                                LinkedHashMap::new)),
                children,
                collection,
                false);
    }

    /**
     * Creates a typed element.
     *
     * @param attributes its attributes, in declaration order
     * @param children   its plain child elements by name
     * @param collection its collection, if any
     * @return the element
     * @throws IllegalArgumentException if two attributes share a name
     */
    public static ElementSchema typed(
            List<AttributeSchema> attributes,
            Map<String, ElementSchema> children,
            Optional<CollectionSchema> collection) {
        Map<String, AttributeSchema> byName = new LinkedHashMap<>();
        for (AttributeSchema attribute : attributes) {
            if (byName.put(attribute.name(), attribute) != null) {
                throw new IllegalArgumentException("attribute '" + attribute.name() + "' is declared twice");
            }
        }
        return new ElementSchema(byName, children, collection, true);
    }

    /**
     * Returns a copy with one more attribute, for Weir's additions (one line per attribute, see
     * {@link ConfigSchema}).
     *
     * @param attribute the attribute to add or replace
     * @return the copy
     */
    public ElementSchema withAttribute(AttributeSchema attribute) {
        Map<String, AttributeSchema> copy = new LinkedHashMap<>(attributes);
        copy.put(attribute.name(), attribute);
        return new ElementSchema(copy, children, collection, typed);
    }

    /**
     * Returns the attributes whose {@code %NAME%} references are expanded.
     *
     * @return the names
     */
    public Set<String> expandedAttributes() {
        return attributes.values().stream()
                .filter(AttributeSchema::expanded)
                .map(AttributeSchema::name)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Returns a declared attribute.
     *
     * @param name the attribute's name (case-sensitive)
     * @return the declaration, or empty when the element does not declare it
     */
    public Optional<AttributeSchema> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
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
