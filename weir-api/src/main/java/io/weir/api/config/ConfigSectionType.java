package io.weir.api.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * Names a configuration section and binds its effective element to a module's record; passed to
 * {@link io.weir.api.http.HttpContext#config}. Keep one instance per section in a
 * {@code static final} field: the server caches bound values per instance.
 *
 * <pre>{@code
 * static final ConfigSectionType<StaticContentSection> SECTION =
 *         ConfigSectionType.of("system.webServer/staticContent", StaticContentSection::from);
 * }</pre>
 *
 * @param sectionPath the section's full name, for example {@code "system.webServer/staticContent"}
 * @param binder      turns the merged section element into the record, applying IIS's defaults for
 *                    absent attributes; may throw {@link ConfigException}
 * @param <T>         the record type
 */
public record ConfigSectionType<T>(String sectionPath, Function<ConfigElement, T> binder) {

    /**
     * Validates the components.
     *
     * @param sectionPath the section's full name
     * @param binder      the binder
     * @throws NullPointerException if either is null
     */
    public ConfigSectionType {
        Objects.requireNonNull(sectionPath, "sectionPath");
        Objects.requireNonNull(binder, "binder");
    }

    /**
     * Creates a section type.
     *
     * @param sectionPath the section's full name
     * @param binder      the binder
     * @param <T>         the record type
     * @return the section type
     */
    public static <T> ConfigSectionType<T> of(String sectionPath, Function<ConfigElement, T> binder) {
        return new ConfigSectionType<>(sectionPath, binder);
    }

    /**
     * Identity equality, so that each instance gets its own cache slot even for equal paths.
     *
     * @param other the other object
     * @return true only for the same instance
     */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    /**
     * Identity hash code, consistent with {@link #equals}.
     *
     * @return the identity hash code
     */
    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
