package io.weir.config;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import java.util.Optional;

/**
 * The merged configuration that governs a URL. Instances are canonical (see
 * {@link ApplicationHostConfig#effectiveConfig}) and immutable.
 */
public interface EffectiveConfig {

    /**
     * Returns a merged section.
     *
     * @param sectionPath for example {@code "system.webServer/handlers"}
     * @return the section; an element with no set attributes and no items (source DEFAULTS), whose
     *         {@link ConfigElement#attribute} answers the schema's defaults, when no level sets it
     */
    ConfigElement section(String sectionPath);

    /**
     * Returns why the configuration of this URL is invalid, as IIS answers 500.19 for every request
     * governed by a web.config that is malformed or sets what it may not (a locked section or
     * attribute, a section beyond its {@code allowDefinition}, a duplicate collection key, ...) and
     * that has no last good version to fall back on: a web.config that was read valid and is then
     * edited into a bad state keeps its last good version in force instead (no error here), and the
     * refused edit is logged (see {@link ApplicationHostConfig}).
     * While an error is present, {@link #section} answers what applicationHost.config alone sets
     * for the URL, so that modules that still run for the failed request (logging) see sane values.
     *
     * @return the error with the file, line, column and reason; empty when the configuration is valid
     */
    default Optional<ConfigException> error() {
        return Optional.empty();
    }
}
