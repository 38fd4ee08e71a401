package io.weir.config.merge;

import io.weir.api.config.ConfigException;
import io.weir.config.schema.AttributeSchema;
import io.weir.config.schema.ValueCheck;
import io.weir.config.xml.XmlAttribute;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks an attribute value against its declaration, as IIS checks a file against its schema:
 * booleans, integers (with their range), enum and flags names, time spans, non-empty strings.
 * Returns the value to keep: an enum written as a number or in another case is kept under its
 * declared name, so readers see one spelling. Stateless.
 */
final class AttributeValues {

    private static final Pattern TIME_SPAN = Pattern.compile("-?(\\d+\\.)?\\d{1,2}:\\d{1,2}:\\d{1,2}(\\.\\d{1,7})?");

    private AttributeValues() {}

    /**
     * Validates one written value.
     *
     * @param declared    the attribute's declaration
     * @param attribute   the attribute as written (value already expanded when the attribute is)
     * @param value       the value to check
     * @param elementName the element's name, for messages
     * @return the value to keep
     * @throws ConfigException naming the attribute's file, line and column and what is wrong
     */
    static String check(AttributeSchema declared, XmlAttribute attribute, String value, String elementName) {
        String kept = checkType(declared, attribute, value, elementName);
        for (ValueCheck check : declared.checks()) {
            long number = 0;
            boolean numeric = false;
            switch (declared.type()) {
                case UINT, INT, INT64 -> {
                    number = Long.parseLong(kept);
                    numeric = true;
                }
                case TIME_SPAN -> {
                    number = seconds(declared, kept);
                    numeric = true;
                }
                default -> {
                    // strings, booleans, enums and flags are checked as written
                }
            }
            var reason = check.reject(kept, number, numeric);
            if (reason.isPresent()) {
                throw bad(attribute, elementName, reason.get());
            }
        }
        return kept;
    }

    /** The whole seconds of a time span already checked against its format. */
    private static long seconds(AttributeSchema declared, String v) {
        return switch (declared.timeSpanUnit()) {
            case SECONDS -> Long.parseLong(v);
            case MINUTES -> Long.parseLong(v) * 60;
            case TIME_SPAN -> {
                boolean negative = v.startsWith("-");
                String body = negative ? v.substring(1) : v;
                long days = 0;
                int dot = body.indexOf('.');
                int colon = body.indexOf(':');
                if (dot >= 0 && dot < colon) {
                    days = Long.parseLong(body.substring(0, dot));
                    body = body.substring(dot + 1);
                }
                String[] parts = body.split("[:.]");
                long total = days * 86_400
                        + Long.parseLong(parts[0]) * 3600
                        + Long.parseLong(parts[1]) * 60
                        + Long.parseLong(parts[2]);
                yield negative ? -total : total;
            }
        };
    }

    private static String checkType(
            AttributeSchema declared, XmlAttribute attribute, String value, String elementName) {
        String v = value.strip();
        switch (declared.type()) {
            case STRING -> {
                if (declared.nonEmpty() && value.isEmpty()) {
                    throw bad(attribute, elementName, "must not be empty");
                }
                return value;
            }
            case BOOL -> {
                if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                    return v.toLowerCase(Locale.ROOT);
                }
                throw bad(attribute, elementName, "must be 'true' or 'false', not '" + value + "'");
            }
            case UINT, INT, INT64 -> {
                long number;
                try {
                    number = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw bad(attribute, elementName, "must be " + integerKind(declared) + ", not '" + value + "'");
                }
                long min =
                        switch (declared.type()) {
                            case UINT -> 0;
                            case INT -> Integer.MIN_VALUE;
                            default -> Long.MIN_VALUE;
                        };
                long max =
                        switch (declared.type()) {
                            case UINT -> 0xFFFF_FFFFL;
                            case INT -> Integer.MAX_VALUE;
                            default -> Long.MAX_VALUE;
                        };
                if (number < min || number > max) {
                    throw bad(attribute, elementName, "must be " + integerKind(declared) + ", not '" + value + "'");
                }
                if (declared.minimum().isPresent()
                                && number < declared.minimum().getAsLong()
                        || declared.maximum().isPresent()
                                && number > declared.maximum().getAsLong()) {
                    throw bad(
                            attribute,
                            elementName,
                            "must be between " + declared.minimum().orElse(min) + " and "
                                    + declared.maximum().orElse(max) + ", not " + number);
                }
                return v;
            }
            case ENUM -> {
                var name = declared.valueName(v);
                if (name.isPresent()) {
                    return name.get();
                }
                try {
                    var byNumber = declared.valueName(Long.parseLong(v));
                    if (byNumber.isPresent()) {
                        return byNumber.get();
                    }
                } catch (NumberFormatException notNumeric) {
                    // fall through to the error
                }
                throw bad(
                        attribute,
                        elementName,
                        "must be one of " + String.join(", ", declared.values().keySet()) + ", not '" + value + "'");
            }
            case FLAGS -> {
                try {
                    long number = Long.parseLong(v);
                    long all = declared.values().values().stream()
                            .mapToLong(Long::longValue)
                            .reduce(0, (a, b) -> a | b);
                    if (number < 0 || (number & ~all) != 0) {
                        throw bad(attribute, elementName, "has bits that are not flags of the attribute: " + value);
                    }
                    return v;
                } catch (NumberFormatException names) {
                    for (String part : v.split(",")) {
                        if (declared.valueName(part.strip()).isEmpty()) {
                            throw bad(
                                    attribute,
                                    elementName,
                                    "may only combine "
                                            + String.join(
                                                    ", ", declared.values().keySet()) + "; '" + part.strip()
                                            + "' is not one of them");
                        }
                    }
                    return value;
                }
            }
            case TIME_SPAN -> {
                boolean ok =
                        switch (declared.timeSpanUnit()) {
                            case TIME_SPAN -> TIME_SPAN.matcher(v).matches() && timeSpanFieldsInRange(v);
                            case SECONDS, MINUTES -> v.matches("\\d{1,18}");
                        };
                if (!ok) {
                    throw bad(
                            attribute,
                            elementName,
                            declared.timeSpanUnit() == AttributeSchema.TimeSpanUnit.TIME_SPAN
                                    ? "must be a time span [d.]hh:mm:ss, not '" + value + "'"
                                    : "must be a whole number of "
                                            + declared.timeSpanUnit().name().toLowerCase(Locale.ROOT) + ", not '"
                                            + value + "'");
                }
                return v;
            }
            default -> throw new IllegalStateException(declared.type().toString());
        }
    }

    private static boolean timeSpanFieldsInRange(String v) {
        String body = v.startsWith("-") ? v.substring(1) : v;
        int dot = body.indexOf('.');
        int colon = body.indexOf(':');
        if (dot >= 0 && dot < colon) {
            body = body.substring(dot + 1);
        }
        String[] parts = body.split("[:.]");
        return Integer.parseInt(parts[0]) < 24 && Integer.parseInt(parts[1]) < 60 && Integer.parseInt(parts[2]) < 60;
    }

    private static String integerKind(AttributeSchema declared) {
        return switch (declared.type()) {
            case UINT -> "an unsigned integer (0 to 4294967295)";
            case INT -> "an integer (-2147483648 to 2147483647)";
            default -> "a 64-bit integer";
        };
    }

    private static ConfigException bad(XmlAttribute attribute, String elementName, String reason) {
        return new ConfigException(
                attribute.source(), "attribute '" + attribute.name() + "' of <" + elementName + "> " + reason);
    }
}
