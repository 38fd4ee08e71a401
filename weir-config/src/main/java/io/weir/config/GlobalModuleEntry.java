package io.weir.config;

import io.weir.api.config.ConfigSource;
import java.util.Optional;

/**
 * One {@code system.webServer/globalModules/add} entry.
 *
 * @param name         the module's name
 * @param image        the {@code image} attribute, expanded; a JAR path, or an IIS DLL path
 * @param type         the {@code type} attribute: a {@code ModuleRegistration} class name (Weir's addition)
 * @param preCondition the {@code preCondition} attribute, empty when absent
 * @param source       where the entry was written
 */
public record GlobalModuleEntry(
        String name, Optional<String> image, Optional<String> type, String preCondition, ConfigSource source) {}
