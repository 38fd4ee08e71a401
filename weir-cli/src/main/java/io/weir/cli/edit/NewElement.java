package io.weir.cli.edit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An element to insert: its name, its attributes in the order they are written, and its children.
 *
 * @param name       the element's name
 * @param attributes name to value, in writing order (values are escaped when written)
 * @param children   the child elements, in order
 */
public record NewElement(String name, Map<String, String> attributes, List<NewElement> children) {

    /**
     * Copies the components.
     *
     * @param name       the name
     * @param attributes the attributes in order
     * @param children   the children
     */
    public NewElement {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        children = List.copyOf(children);
    }

    /**
     * An element with attributes and no children.
     *
     * @param name       the name
     * @param attributes alternating names and values
     * @return the element
     * @throws IllegalArgumentException when {@code attributes} has an odd length
     */
    public static NewElement of(String name, String... attributes) {
        if (attributes.length % 2 != 0) {
            throw new IllegalArgumentException("attributes come in name/value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            map.put(attributes[i], attributes[i + 1]);
        }
        return new NewElement(name, map, List.of());
    }

    /**
     * Returns a copy with children.
     *
     * @param newChildren the children, in order
     * @return the copy
     */
    public NewElement with(NewElement... newChildren) {
        return new NewElement(name, attributes, List.of(newChildren));
    }

    /**
     * Wraps this element in a chain of elements, outermost first: {@code wrap("a", "b")} gives
     * {@code <a><b>this</b></a>}.
     *
     * @param names the wrappers' names, outermost first
     * @return the outermost element (this one when {@code names} is empty)
     */
    public NewElement wrappedIn(List<String> names) {
        NewElement inner = this;
        for (int i = names.size() - 1; i >= 0; i--) {
            inner = new NewElement(names.get(i), Map.of(), List.of(inner));
        }
        return inner;
    }
}
