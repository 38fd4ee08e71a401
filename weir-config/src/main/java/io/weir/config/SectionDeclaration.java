package io.weir.config;

import io.weir.api.config.ConfigSource;

/**
 * One {@code <section>} of {@code <configSections>}.
 *
 * @param name                the full name, for example {@code "system.webServer/security/requestFiltering"}
 * @param allowDefinition     where the section may be set ({@code Everywhere} when not written)
 * @param overrideModeDefault {@code Allow} (when not written) or {@code Deny}
 * @param source              where the declaration was written
 */
public record SectionDeclaration(String name, String allowDefinition, String overrideModeDefault,
        ConfigSource source) {

    /**
     * Tells whether the section may only be set at the server level, outside any
     * {@code <location>} with a path ({@code allowDefinition="AppHostOnly"}).
     *
     * @return true for AppHostOnly sections
     */
    public boolean isAppHostOnly() {
        return allowDefinition.equalsIgnoreCase("AppHostOnly");
    }
}
