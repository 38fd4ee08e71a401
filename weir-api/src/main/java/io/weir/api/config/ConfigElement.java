package io.weir.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of one merged configuration element: a section, one of its child elements, or
 * a collection item. Immutable and thread-safe. Attribute names are case-sensitive, as in IIS;
 * values have {@code %VAR%} references expanded where IIS expands them.
 *
 * <p>The typed getters take the default to use when the attribute is absent, and throw
 * {@link ConfigException} (with file and line) when the attribute is present but malformed.
 */
public interface ConfigElement {

    /**
     * Returns the element's XML name.
     *
     * @return for example {@code "staticContent"} or {@code "mimeMap"}
     */
    String elementName();

    /**
     * Returns where the element was written.
     *
     * @return file and line; {@link ConfigSource#DEFAULTS} for an element no file wrote
     */
    ConfigSource source();

    /**
     * Returns the attributes set on the element after merging (not the schema's defaults).
     *
     * @return name to value, in document order
     */
    Map<String, String> attributes();

    /**
     * Returns an attribute's value: the one a configuration file set, else the default the
     * section's schema declares for it (as IIS's configuration API answers schema defaults).
     *
     * @param name the attribute name
     * @return the value; empty when no file sets it and the schema declares no default
     */
    Optional<String> attribute(String name);

    /**
     * Returns where an attribute was set.
     *
     * @param name the attribute name
     * @return the file and line of the attribute's winning value, or the element's source when absent
     */
    ConfigSource attributeSource(String name);

    /**
     * Returns a string attribute.
     *
     * @param name         the attribute name
     * @param defaultValue used when no file sets the attribute
     * @return the value
     */
    default String stringAttribute(String name, String defaultValue) {
        return attribute(name).orElse(defaultValue);
    }

    /**
     * Returns a boolean attribute ({@code true}/{@code false}, any case).
     *
     * @param name         the attribute name
     * @param defaultValue used when absent
     * @return the value
     * @throws ConfigException if the value is neither true nor false
     */
    boolean booleanAttribute(String name, boolean defaultValue);

    /**
     * Returns an integer attribute (IIS's {@code uint}, {@code int} and {@code int64}).
     *
     * @param name         the attribute name
     * @param defaultValue used when absent
     * @return the value
     * @throws ConfigException if the value is not an integer
     */
    long longAttribute(String name, long defaultValue);

    /**
     * Returns an enum attribute, matching IIS's friendly names without regard to case
     * ({@code "UseMaxAge"} matches a constant {@code USE_MAX_AGE} or {@code UseMaxAge}).
     *
     * @param name         the attribute name
     * @param type         the enum class
     * @param defaultValue used when absent
     * @param <E>          the enum type
     * @return the value
     * @throws ConfigException if the value names no constant
     */
    <E extends Enum<E>> E enumAttribute(String name, Class<E> type, E defaultValue);

    /**
     * Returns an IIS {@code timeSpan} attribute ({@code [d.]hh:mm:ss[.fffffff]}).
     *
     * @param name         the attribute name
     * @param defaultValue used when absent
     * @return the value
     * @throws ConfigException if the value is not a time span
     */
    Duration timeSpanAttribute(String name, Duration defaultValue);

    /**
     * Returns a child element that is not a collection item.
     *
     * @param name the child's XML name
     * @return the merged child, or empty when no level sets it
     */
    Optional<ConfigElement> child(String name);

    /**
     * Returns the merged items of the collection this element holds (its {@code <add>},
     * {@code <mimeMap>}, {@code <error>}, ... children after {@code <remove>} and
     * {@code <clear/>} have been applied across levels), in effective order.
     *
     * @return the items; empty when the element holds no collection
     */
    List<ConfigElement> collection();

    /**
     * Returns where in the URL space the section was set: the URL path, below the site, of the
     * deepest configuration level ({@code <location path="Site/URL">}, later also a folder's
     * web.config) that wrote this section, as IIS's configuration path names the level a setting
     * comes from. Modules whose behaviour is relative to the folder they are configured for use
     * it (HttpRedirectionModule appends the part of the request URL below it to a relative
     * destination, as IIS does).
     *
     * <p>For an item of a section's collection, the URL path of the level that added the item (URL
     * Rewrite matches a distributed rule against the URL relative to the folder whose web.config
     * defines it).
     *
     * @return {@code ""} when only the server-wide or site level wrote the section (or item), or no
     *         level did, and for other elements that are not a section's root; else an absolute
     *         path without a trailing slash, for example {@code "/old"}
     */
    default String locationPath() {
        return "";
    }
}
