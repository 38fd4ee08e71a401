package io.weir.config.schema;

/**
 * The runtime types of IIS configuration attributes ({@code <attribute type="...">} in IIS's schema).
 */
public enum AttributeType {
    /** Any text. */
    STRING,
    /** {@code true} or {@code false}, any case. */
    BOOL,
    /** An unsigned 32-bit integer, 0 to 4294967295. */
    UINT,
    /** A signed 32-bit integer. */
    INT,
    /** A signed 64-bit integer. */
    INT64,
    /** One friendly name of a list (any case), or its numeric value. */
    ENUM,
    /** A comma-separated list of friendly names whose values are OR-ed, or the numeric sum. */
    FLAGS,
    /** A duration: {@code [-][d.]hh:mm:ss[.fffffff]}, or seconds/minutes per the attribute's format. */
    TIME_SPAN
}
