package io.weir.config.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One attribute of a configuration element, as IIS's schema declares it with
 * {@code <attribute name type defaultValue required isUniqueKey isCombinedKey caseSensitive
 * expanded validationType validationParameter>}: its type, its default, the names an enum or flags
 * attribute accepts, and the validators Weir applies when a file sets it.
 *
 * <p>Built with the fluent {@code with...} and {@code as...} methods from {@link #of(String, AttributeType)}:
 * <pre>{@code
 * AttributeSchema.of("maxUrl", AttributeType.UINT).withDefault("4096")
 * AttributeSchema.of("name", AttributeType.STRING).asUniqueKey().asCaseSensitive().asNonEmpty()
 * }</pre>
 * Immutable and thread-safe.
 *
 * @param name          the attribute's name (case-sensitive, as in IIS)
 * @param type          its runtime type
 * @param defaultValue  the value when no file sets it, as IIS writes it in its schema; empty when
 *                      the schema has none
 * @param values        for {@code enum} and {@code flags}: friendly name to numeric value, in
 *                      declaration order; empty otherwise
 * @param required      a collection item must set it
 * @param uniqueKey     it alone identifies a collection item ({@code isUniqueKey})
 * @param combinedKey   it is part of the item's combined key ({@code isCombinedKey})
 * @param caseSensitive values compare with regard to case (keys; IIS's {@code caseSensitive})
 * @param expanded      {@code %NAME%} references are expanded (IIS's {@code expanded})
 * @param nonEmpty      a set value must not be empty (IIS's {@code nonEmptyString} validator)
 * @param minimum       for integers: the smallest value allowed (IIS's {@code integerRange})
 * @param maximum       for integers: the largest value allowed
 * @param timeSpanUnit  for {@code timeSpan}: how a value is written ({@code [d.]hh:mm:ss} by
 *                      default, or a number of seconds or minutes, IIS's {@code timeSpanFormat})
 * @param weirExtension the attribute is Weir's addition, not in IIS's schema (documented departures)
 * @param checks        further validators a schema file declares ({@code validationType}) that the
 *                      components above do not express; empty for most attributes
 */
public record AttributeSchema(
        String name,
        AttributeType type,
        Optional<String> defaultValue,
        Map<String, Long> values,
        boolean required,
        boolean uniqueKey,
        boolean combinedKey,
        boolean caseSensitive,
        boolean expanded,
        boolean nonEmpty,
        OptionalLong minimum,
        OptionalLong maximum,
        TimeSpanUnit timeSpanUnit,
        boolean weirExtension,
        List<ValueCheck> checks) {

    /** How an IIS {@code timeSpan} attribute is written (IIS's {@code timeSpanFormat}). */
    public enum TimeSpanUnit {
        /** {@code [-][d.]hh:mm:ss[.fffffff]}, IIS's default format. */
        TIME_SPAN,
        /** A whole number of seconds. */
        SECONDS,
        /** A whole number of minutes. */
        MINUTES
    }

    /**
     * Validates and copies the components.
     *
     * @param name          the name
     * @param type          the type
     * @param defaultValue  the default, if any
     * @param values        enum or flag values
     * @param required      required in collection items
     * @param uniqueKey     unique key
     * @param combinedKey   part of a combined key
     * @param caseSensitive case-sensitive comparison
     * @param expanded      {@code %VAR%} expansion
     * @param nonEmpty      non-empty validator
     * @param minimum       integer minimum
     * @param maximum       integer maximum
     * @param timeSpanUnit  time-span format
     * @param weirExtension Weir's own attribute
     * @param checks        further validators
     * @throws NullPointerException if a component is null
     */
    public AttributeSchema {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        Objects.requireNonNull(minimum, "minimum");
        Objects.requireNonNull(maximum, "maximum");
        Objects.requireNonNull(timeSpanUnit, "timeSpanUnit");
        checks = List.copyOf(checks);
    }

    /**
     * Starts an attribute with no default, no values and no validators.
     *
     * @param name the attribute's name
     * @param type its type
     * @return the attribute
     */
    public static AttributeSchema of(String name, AttributeType type) {
        return new AttributeSchema(
                name,
                type,
                Optional.empty(),
                Map.of(),
                false,
                false,
                false,
                false,
                false,
                false,
                OptionalLong.empty(),
                OptionalLong.empty(),
                TimeSpanUnit.TIME_SPAN,
                false,
                List.of());
    }

    /**
     * Returns a copy with a default.
     *
     * @param value the default as IIS's schema writes it
     * @return the copy
     */
    public AttributeSchema withDefault(String value) {
        return new AttributeSchema(
                name,
                type,
                Optional.of(value),
                values,
                required,
                uniqueKey,
                combinedKey,
                caseSensitive,
                expanded,
                nonEmpty,
                minimum,
                maximum,
                timeSpanUnit,
                weirExtension,
                checks);
    }

    /**
     * Returns a copy accepting the given names (for {@code enum} and {@code flags}).
     *
     * @param namesAndValues alternating name, value pairs: {@code "File", 0L, "Directory", 1L}
     * @return the copy
     * @throws IllegalArgumentException if the pairs are malformed
     */
    public AttributeSchema withValues(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("values come in name, value pairs");
        }
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).longValue());
        }
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                map,
                required,
                uniqueKey,
                combinedKey,
                caseSensitive,
                expanded,
                nonEmpty,
                minimum,
                maximum,
                timeSpanUnit,
                weirExtension,
                checks);
    }

    /** @return a copy that collection items must set */
    public AttributeSchema asRequired() {
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                values,
                true,
                uniqueKey,
                combinedKey,
                caseSensitive,
                expanded,
                nonEmpty,
                minimum,
                maximum,
                timeSpanUnit,
                weirExtension,
                checks);
    }

    /** @return a copy that is the collection's unique key (and required) */
    public AttributeSchema asUniqueKey() {
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                values,
                true,
                true,
                combinedKey,
                caseSensitive,
                expanded,
                nonEmpty,
                minimum,
                maximum,
                timeSpanUnit,
                weirExtension,
                checks);
    }

    /** @return a copy that is part of the collection's combined key */
    public AttributeSchema asCombinedKey() {
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                values,
                required,
                uniqueKey,
                true,
                caseSensitive,
                expanded,
                nonEmpty,
                minimum,
                maximum,
                timeSpanUnit,
                weirExtension,
                checks);
    }

    /** @return a copy whose values compare with regard to case */
    public AttributeSchema asCaseSensitive() {
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                values,
                required,
                uniqueKey,
                combinedKey,
                true,
                expanded,
                nonEmpty,
                minimum,
                maximum,
                timeSpanUnit,
                weirExtension,
                checks);
    }

    /** @return a copy whose {@code %VAR%} references are expanded */
    public AttributeSchema asExpanded() {
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                values,
                required,
                uniqueKey,
                combinedKey,
                caseSensitive,
                true,
                nonEmpty,
                minimum,
                maximum,
                timeSpanUnit,
                weirExtension,
                checks);
    }

    /** @return a copy that refuses an empty value */
    public AttributeSchema asNonEmpty() {
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                values,
                required,
                uniqueKey,
                combinedKey,
                caseSensitive,
                expanded,
                true,
                minimum,
                maximum,
                timeSpanUnit,
                weirExtension,
                checks);
    }

    /**
     * Returns a copy with an integer range (IIS's {@code integerRange} validator, bounds included).
     *
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @return the copy
     */
    public AttributeSchema withRange(long min, long max) {
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                values,
                required,
                uniqueKey,
                combinedKey,
                caseSensitive,
                expanded,
                nonEmpty,
                OptionalLong.of(min),
                OptionalLong.of(max),
                timeSpanUnit,
                weirExtension,
                checks);
    }

    /**
     * Returns a copy whose time span is written as a number in a unit.
     *
     * @param unit the unit
     * @return the copy
     */
    public AttributeSchema withTimeSpanUnit(TimeSpanUnit unit) {
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                values,
                required,
                uniqueKey,
                combinedKey,
                caseSensitive,
                expanded,
                nonEmpty,
                minimum,
                maximum,
                unit,
                weirExtension,
                checks);
    }

    /** @return a copy marked as Weir's addition to IIS's schema */
    public AttributeSchema asWeirExtension() {
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                values,
                required,
                uniqueKey,
                combinedKey,
                caseSensitive,
                expanded,
                nonEmpty,
                minimum,
                maximum,
                timeSpanUnit,
                true,
                checks);
    }

    /**
     * Returns a copy with one more validator.
     *
     * @param check the validator
     * @return the copy
     */
    public AttributeSchema withCheck(ValueCheck check) {
        List<ValueCheck> more = new ArrayList<>(checks);
        more.add(check);
        return new AttributeSchema(
                name,
                type,
                defaultValue,
                values,
                required,
                uniqueKey,
                combinedKey,
                caseSensitive,
                expanded,
                nonEmpty,
                minimum,
                maximum,
                timeSpanUnit,
                weirExtension,
                more);
    }

    /**
     * Finds the declared spelling of an enum or flag name, without regard to case.
     *
     * @param written the name as written
     * @return the declared name, or empty when the attribute has no such value
     */
    public Optional<String> valueName(String written) {
        for (String declared : values.keySet()) {
            if (declared.equalsIgnoreCase(written)) {
                return Optional.of(declared);
            }
        }
        return Optional.empty();
    }

    /**
     * Finds the declared name of an enum's numeric value.
     *
     * @param number the value
     * @return the first name declared with that value, or empty
     */
    public Optional<String> valueName(long number) {
        for (Map.Entry<String, Long> entry : values.entrySet()) {
            if (entry.getValue() == number) {
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }

    /** @return the type's name as IIS's schema writes it, for messages */
    public String typeName() {
        return type.name().toLowerCase(Locale.ROOT).replace("_", "");
    }
}
