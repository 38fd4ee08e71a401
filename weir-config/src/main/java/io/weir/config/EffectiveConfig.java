package io.weir.config;

import io.weir.api.config.ConfigElement;

/**
 * The merged configuration that governs a URL. Instances are canonical (see
 * {@link ApplicationHostConfig#effectiveConfig}) and immutable.
 */
public interface EffectiveConfig {

    /**
     * Returns a merged section.
     *
     * @param sectionPath for example {@code "system.webServer/handlers"}
     * @return the section; an empty element (no attributes, no items, source DEFAULTS) when no level sets it
     */
    ConfigElement section(String sectionPath);
}
