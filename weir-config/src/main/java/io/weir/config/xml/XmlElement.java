package io.weir.config.xml;

import io.weir.api.config.ConfigSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One element of a configuration file with the positions of its start tag and attributes.
 * Immutable and thread-safe; comments, processing instructions and text are not kept.
 *
 * @param name       the element's qualified name, for example {@code "add"}
 * @param source     the file, line and column of the start tag's {@code <}
 * @param attributes the attributes by name, in document order
 * @param children   the child elements, in document order
 */
public record XmlElement(
        String name, ConfigSource source, Map<String, XmlAttribute> attributes, List<XmlElement> children) {

    /**
     * Copies the collections so that the element is immutable.
     *
     * @param name       the element's name
     * @param source     where the start tag is
     * @param attributes the attributes in document order
     * @param children   the children in document order
     */
    public XmlElement {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        children = List.copyOf(children);
    }

    /**
     * Returns an attribute's value.
     *
     * @param attributeName the attribute's name (case-sensitive, as in IIS)
     * @return the value, or empty when the attribute is absent
     */
    public Optional<String> attribute(String attributeName) {
        XmlAttribute attribute = attributes.get(attributeName);
        return attribute == null ? Optional.empty() : Optional.of(attribute.value());
    }

    /**
     * Returns where an attribute is written.
     *
     * @param attributeName the attribute's name
     * @return the attribute's position, or the element's position when the attribute is absent
     */
    public ConfigSource attributeSource(String attributeName) {
        XmlAttribute attribute = attributes.get(attributeName);
        return attribute == null ? source : attribute.source();
    }
}
