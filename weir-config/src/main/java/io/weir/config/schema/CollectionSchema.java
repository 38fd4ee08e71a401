package io.weir.config.schema;

import java.util.List;
import java.util.Optional;

/**
 * How an element holds a collection, as IIS's schema {@code <collection>} declares it.
 *
 * @param addElement        the directive that adds an item ({@code add}, {@code mimeMap}, {@code site}, ...)
 * @param removeElement     the directive that removes an inherited item, empty when the collection has none
 * @param clearElement      the directive that discards inherited items, empty when the collection has none
 * @param keyAttributes     the key: one unique-key attribute, or all combined-key attributes
 * @param caseSensitiveKeys whether keys compare with regard to case (IIS's {@code caseSensitive})
 * @param mergeAppend       {@code true}: inherited items first; {@code false}: this level's items first
 * @param item              the schema of each item (its own children and collections)
 */
public record CollectionSchema(
        String addElement,
        Optional<String> removeElement,
        Optional<String> clearElement,
        List<String> keyAttributes,
        boolean caseSensitiveKeys,
        boolean mergeAppend,
        ElementSchema item) {

    /**
     * Validates and copies the components.
     *
     * @param addElement        the add directive
     * @param removeElement     the remove directive, if any
     * @param clearElement      the clear directive, if any
     * @param keyAttributes     the key attributes, at least one
     * @param caseSensitiveKeys whether keys are case-sensitive
     * @param mergeAppend       append (true) or prepend (false)
     * @param item              the item schema
     * @throws IllegalArgumentException if no key attribute is given
     */
    public CollectionSchema {
        keyAttributes = List.copyOf(keyAttributes);
        if (keyAttributes.isEmpty()) {
            throw new IllegalArgumentException("a collection needs at least one key attribute");
        }
    }

    /**
     * Tells whether an element name is one of this collection's directives.
     *
     * @param elementName the XML name
     * @return true for the add, remove or clear directive
     */
    public boolean isDirective(String elementName) {
        return addElement.equals(elementName)
                || removeElement.filter(elementName::equals).isPresent()
                || clearElement.filter(elementName::equals).isPresent();
    }
}
