package io.weir.config;

import io.weir.api.config.ConfigSource;

/**
 * One {@code <section>} of {@code <configSections>} (docs/reference/configuration-system.md, "Declaring sections").
 *
 * @param name                the full name, for example {@code "system.webServer/security/requestFiltering"}
 * @param allowDefinition     where the section may be set: {@code MachineOnly},
 *                            {@code MachineToRootWeb}, {@code MachineToApplication},
 *                            {@code AppHostOnly} or {@code Everywhere} (when not written)
 * @param overrideModeDefault {@code Allow} (when not written) or {@code Deny}: whether lower
 *                            levels may set the section unless a {@code <location overrideMode>}
 *                            says otherwise
 * @param allowLocation       whether the section may be written inside a {@code <location>} with a path
 * @param source              where the declaration was written
 */
public record SectionDeclaration(
        String name, String allowDefinition, String overrideModeDefault, boolean allowLocation, ConfigSource source) {

    /**
     * Creates a declaration that may appear in locations.
     *
     * @param name                the full name
     * @param allowDefinition     where the section may be set
     * @param overrideModeDefault Allow or Deny
     * @param source              where the declaration was written
     */
    public SectionDeclaration(String name, String allowDefinition, String overrideModeDefault, ConfigSource source) {
        this(name, allowDefinition, overrideModeDefault, true, source);
    }

    /**
     * Tells whether the section may only be set in applicationHost.config, at the server level
     * ({@code AppHostOnly}; Weir, having no machine.config or root web.config, reads
     * {@code MachineOnly} and {@code MachineToRootWeb} the same way).
     *
     * @return true for those sections
     */
    public boolean isAppHostOnly() {
        return allowDefinition.equalsIgnoreCase("AppHostOnly")
                || allowDefinition.equalsIgnoreCase("MachineOnly")
                || allowDefinition.equalsIgnoreCase("MachineToRootWeb");
    }

    /**
     * Tells whether the section may be set no deeper than an application's root
     * ({@code MachineToApplication}).
     *
     * @return true for MachineToApplication sections
     */
    public boolean isMachineToApplication() {
        return allowDefinition.equalsIgnoreCase("MachineToApplication");
    }

    /**
     * Tells whether lower levels may set the section by default.
     *
     * @return true unless {@code overrideModeDefault="Deny"}
     */
    public boolean allowsOverrideByDefault() {
        return !overrideModeDefault.equalsIgnoreCase("Deny");
    }
}
