package io.weir.config.merge;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.schema.AttributeSchema;
import io.weir.config.schema.ElementSchema;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A merged configuration element: the attributes that won across levels (each with where it was
 * written), merged plain children, and the merged collection items. Immutable and thread-safe.
 *
 * <p>The typed getters parse IIS's attribute types: {@code bool} ({@code true}/{@code false}, any
 * case), {@code uint}/{@code int}/{@code int64}, {@code enum} (friendly names, any case, {@code _}
 * ignored), and {@code timeSpan} ({@code [-][d.]hh:mm:ss[.fffffff]}). A malformed value throws
 * {@link ConfigException} naming the attribute's file, line and column.
 *
 * <p>Defaults: {@link #attribute} returns the value a file set, else the default IIS's schema
 * declares for the attribute ({@link ElementSchema}), as IIS's configuration API does.
 * {@link #attributes()} holds only the values files set. The typed getters and
 * {@link #stringAttribute} keep their contract: the value a file set, else the caller's default.
 */
public final class MergedElement implements ConfigElement {

    private static final Pattern TIME_SPAN =
            Pattern.compile("(-)?(?:(\\d+)\\.)?(\\d{1,2}):(\\d{1,2}):(\\d{1,2})(?:\\.(\\d{1,7}))?");

    private final String name;
    private final ConfigSource source;
    private final Map<String, String> attributes;
    private final Map<String, ConfigSource> attributeSources;
    private final Map<String, ConfigElement> children;
    private final List<ConfigElement> collection;
    private final ElementSchema schema;
    private final VariableExpansion expansion;

    /**
     * Creates an element.
     *
     * @param name             the XML name
     * @param source           where the element was written (the deepest level that wrote it)
     * @param attributes       the winning attribute values, in document order
     * @param attributeSources where each winning value was written
     * @param children         merged plain children by name
     * @param collection       merged collection items in effective order (empty when none)
     */
    public MergedElement(
            String name,
            ConfigSource source,
            Map<String, String> attributes,
            Map<String, ConfigSource> attributeSources,
            Map<String, ConfigElement> children,
            List<ConfigElement> collection) {
        this(name, source, attributes, attributeSources, children, collection, ElementSchema.PLAIN, null);
    }

    /**
     * Creates an element that knows its schema, for defaults.
     *
     * @param name             the XML name
     * @param source           where the element was written (the deepest level that wrote it)
     * @param attributes       the winning attribute values, in document order
     * @param attributeSources where each winning value was written
     * @param children         merged plain children by name
     * @param collection       merged collection items in effective order (empty when none)
     * @param schema           the element's schema, whose defaults {@link #attribute} returns
     * @param expansion        expands the defaults of expanded attributes; null: defaults kept as written
     */
    public MergedElement(
            String name,
            ConfigSource source,
            Map<String, String> attributes,
            Map<String, ConfigSource> attributeSources,
            Map<String, ConfigElement> children,
            List<ConfigElement> collection,
            ElementSchema schema,
            VariableExpansion expansion) {
        this.schema = schema;
        this.expansion = expansion;
        this.name = name;
        this.source = source;
        this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        this.attributeSources = Map.copyOf(attributeSources);
        this.children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
        this.collection = List.copyOf(collection);
    }

    /**
     * Returns an element that no level sets.
     *
     * @param name the element's XML name
     * @return an element with no attributes, children or items, whose source is {@link ConfigSource#DEFAULTS}
     */
    public static MergedElement empty(String name) {
        return new MergedElement(name, ConfigSource.DEFAULTS, Map.of(), Map.of(), Map.of(), List.of());
    }

    /**
     * Returns an element that no level sets, whose {@link #attribute} answers the schema's defaults.
     *
     * @param name      the element's XML name
     * @param schema    its schema
     * @param expansion expands the defaults of expanded attributes; may be null
     * @return an element with no set attributes, children or items, whose source is {@link ConfigSource#DEFAULTS}
     */
    public static MergedElement empty(String name, ElementSchema schema, VariableExpansion expansion) {
        return new MergedElement(
                name, ConfigSource.DEFAULTS, Map.of(), Map.of(), Map.of(), List.of(), schema, expansion);
    }

    /**
     * Returns the schema this element was merged with.
     *
     * @return the schema; {@link ElementSchema#PLAIN} when unknown
     */
    public ElementSchema schema() {
        return schema;
    }

    @Override
    public String elementName() {
        return name;
    }

    @Override
    public ConfigSource source() {
        return source;
    }

    @Override
    public Map<String, String> attributes() {
        return attributes;
    }

    @Override
    public Optional<String> attribute(String attributeName) {
        String value = attributes.get(attributeName);
        if (value != null) {
            return Optional.of(value);
        }
        AttributeSchema declared = schema.attributes().get(attributeName);
        if (declared == null || declared.defaultValue().isEmpty()) {
            return Optional.empty();
        }
        String fallback = declared.defaultValue().get();
        return Optional.of(declared.expanded() && expansion != null ? expansion.expand(fallback) : fallback);
    }

    /**
     * Returns the value a file set, else {@code defaultValue} (not the schema's default: callers
     * that pass their own default keep it).
     *
     * @param attributeName the attribute name
     * @param defaultValue  used when no file sets the attribute
     * @return the value
     */
    @Override
    public String stringAttribute(String attributeName, String defaultValue) {
        String value = attributes.get(attributeName);
        return value == null ? defaultValue : value;
    }

    @Override
    public ConfigSource attributeSource(String attributeName) {
        return attributeSources.getOrDefault(attributeName, source);
    }

    @Override
    public boolean booleanAttribute(String attributeName, boolean defaultValue) {
        String value = attributes.get(attributeName);
        if (value == null) {
            return defaultValue;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw malformed(attributeName, value, "must be 'true' or 'false'");
    }

    @Override
    public long longAttribute(String attributeName, long defaultValue) {
        String value = attributes.get(attributeName);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw malformed(attributeName, value, "must be an integer");
        }
    }

    @Override
    public <E extends Enum<E>> E enumAttribute(String attributeName, Class<E> type, E defaultValue) {
        String value = attributes.get(attributeName);
        if (value == null) {
            return defaultValue;
        }
        String wanted = friendlyName(value.strip());
        E[] constants = type.getEnumConstants();
        for (E constant : constants) {
            if (friendlyName(constant.name()).equals(wanted)) {
                return constant;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E constant : constants) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(constant.name());
        }
        throw malformed(attributeName, value, "must be one of " + allowed);
    }

    @Override
    public Duration timeSpanAttribute(String attributeName, Duration defaultValue) {
        String value = attributes.get(attributeName);
        if (value == null) {
            return defaultValue;
        }
        Matcher m = TIME_SPAN.matcher(value.strip());
        if (!m.matches()) {
            throw malformed(attributeName, value, "must be a time span [d.]hh:mm:ss[.fffffff]");
        }
        long hours = Long.parseLong(m.group(3));
        long minutes = Long.parseLong(m.group(4));
        long seconds = Long.parseLong(m.group(5));
        if (hours > 23 || minutes > 59 || seconds > 59) {
            throw malformed(
                    attributeName,
                    value,
                    "must be a time span [d.]hh:mm:ss[.fffffff] with hours below 24 and minutes and seconds below 60");
        }
        try {
            long days = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
            String fraction = m.group(6) == null ? "" : m.group(6);
            long nanos = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "0000000").substring(0, 7)) * 100;
            Duration duration = Duration.ofDays(days)
                    .plusHours(hours)
                    .plusMinutes(minutes)
                    .plusSeconds(seconds)
                    .plusNanos(nanos);
            return m.group(1) == null ? duration : duration.negated();
        } catch (ArithmeticException | NumberFormatException e) {
            throw malformed(attributeName, value, "is out of range for a time span");
        }
    }

    @Override
    public Optional<ConfigElement> child(String childName) {
        return Optional.ofNullable(children.get(childName));
    }

    @Override
    public List<ConfigElement> collection() {
        return collection;
    }

    /**
     * Returns the merged plain children.
     *
     * @return name to child, in document order
     */
    public Map<String, ConfigElement> children() {
        return children;
    }

    @Override
    public String toString() {
        return "<" + name + " " + attributes + (collection.isEmpty() ? "" : " items=" + collection.size()) + "> @ "
                + source;
    }

    private ConfigException malformed(String attributeName, String value, String reason) {
        return new ConfigException(
                attributeSource(attributeName),
                "attribute '" + attributeName + "' of <" + name + "> " + reason + ", not '" + value + "'");
    }

    private static String friendlyName(String value) {
        return value.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
