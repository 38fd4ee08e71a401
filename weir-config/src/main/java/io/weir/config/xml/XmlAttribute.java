package io.weir.config.xml;

import io.weir.api.config.ConfigSource;

/**
 * One attribute of a configuration file element, as written (entities decoded, not expanded).
 *
 * @param name   the attribute's qualified name, for example {@code "name"} or {@code "xmlns:xdt"}
 * @param value  the attribute's value after XML attribute-value normalization
 * @param source the file, line and column where the attribute's name starts
 */
public record XmlAttribute(String name, String value, ConfigSource source) {}
