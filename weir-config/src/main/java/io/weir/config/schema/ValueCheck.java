package io.weir.config.schema;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A validator a schema file declares with IIS's {@code validationType} and
 * {@code validationParameter}, for what {@link AttributeSchema}'s own components do not express.
 * The validators IIS's schema files use and what Weir checks for each:
 *
 * <ul>
 *   <li>{@code integerRange} {@code "min,max"}: the number lies in the range; with
 *       {@code ",exclude"} it lies outside it;</li>
 *   <li>{@code timeSpanRange} {@code "min,max[,granularity]"} (seconds): the duration lies in the
 *       range and is a whole number of granularity seconds;</li>
 *   <li>{@code nonEmptyString}: the value is not empty;</li>
 *   <li>{@code requireTrimmedString}: the value has no leading or trailing white space;</li>
 *   <li>{@code siteName}, {@code applicationPoolName}: not empty, and none of
 *       {@code / \ ? ; : @ & = + $ , | " < >};</li>
 *   <li>{@code applicationPath}, {@code virtualDirectoryPath}: begins with {@code /}.</li>
 * </ul>
 *
 * Any other {@code validationType} is refused when the schema file is read (IIS's COM and .NET
 * callback validators have no Weir counterpart). Immutable.
 *
 * @param type      the validator, as IIS names it
 * @param minimum   for the ranges: the lower bound (seconds for {@code timeSpanRange})
 * @param maximum   for the ranges: the upper bound
 * @param step      for {@code timeSpanRange}: the granularity in seconds (1 when not given)
 * @param exclude   for {@code integerRange}: the range is the values refused
 */
public record ValueCheck(String type, long minimum, long maximum, long step, boolean exclude) {

    /** The validation types Weir knows, as IIS's schema files write them. */
    public static final List<String> KNOWN_TYPES = List.of(
            "integerRange",
            "timeSpanRange",
            "nonEmptyString",
            "requireTrimmedString",
            "siteName",
            "applicationPoolName",
            "applicationPath",
            "virtualDirectoryPath");

    private static final String NAME_CHARACTERS = "/\\?;:@&=+$,|\"<>";

    /**
     * Validates the components.
     *
     * @param type    the validator
     * @param minimum the lower bound
     * @param maximum the upper bound
     * @param step    the granularity
     * @param exclude whether the range is refused
     * @throws NullPointerException if type is null
     */
    public ValueCheck {
        Objects.requireNonNull(type, "type");
    }

    /**
     * Creates a validator without parameters ({@code nonEmptyString}, {@code siteName}, ...).
     *
     * @param type the validator
     * @return the validator
     */
    public static ValueCheck of(String type) {
        return new ValueCheck(type, 0, 0, 1, false);
    }

    /**
     * Checks a value already checked against the attribute's type.
     *
     * @param value     the value as written (its number for integers, its duration in seconds for
     *                  time spans: see {@code number})
     * @param number    the value's number (integers) or whole seconds (time spans); ignored otherwise
     * @param isNumeric whether {@code number} holds the value
     * @return empty when the value passes, else the reason it does not
     */
    public Optional<String> reject(String value, long number, boolean isNumeric) {
        switch (type) {
            case "integerRange" -> {
                if (!isNumeric) {
                    return Optional.empty();
                }
                boolean inside = number >= minimum && number <= maximum;
                if (exclude && inside) {
                    return Optional.of("must not be between " + minimum + " and " + maximum + ", not " + number);
                }
                if (!exclude && !inside) {
                    return Optional.of("must be between " + minimum + " and " + maximum + ", not " + number);
                }
                return Optional.empty();
            }
            case "timeSpanRange" -> {
                if (!isNumeric) {
                    return Optional.empty();
                }
                if (number < minimum || number > maximum) {
                    return Optional.of("must be between " + minimum + " and " + maximum + " seconds, not " + number);
                }
                if (step > 1 && number % step != 0) {
                    return Optional.of("must be a whole number of " + step + " seconds, not " + number);
                }
                return Optional.empty();
            }
            case "nonEmptyString" -> {
                return value.isEmpty() ? Optional.of("must not be empty") : Optional.empty();
            }
            case "requireTrimmedString" -> {
                return value.strip().equals(value)
                        ? Optional.empty()
                        : Optional.of("must not begin or end with white space");
            }
            case "siteName", "applicationPoolName" -> {
                if (value.isEmpty()) {
                    return Optional.of("must not be empty");
                }
                for (char c : value.toCharArray()) {
                    if (NAME_CHARACTERS.indexOf(c) >= 0) {
                        return Optional.of("must not contain '" + c + "'");
                    }
                }
                return Optional.empty();
            }
            case "applicationPath", "virtualDirectoryPath" -> {
                return value.startsWith("/")
                        ? Optional.empty()
                        : Optional.of("must begin with '/' (" + type.toLowerCase(Locale.ROOT) + ")");
            }
            default -> throw new IllegalStateException("unknown validationType " + type);
        }
    }
}
