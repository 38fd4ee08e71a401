package ${package};

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;

/**
 * ${moduleName}'s own configuration section, {@code system.webServer/${moduleName}}, declared by
 * {@code src/main/resources/META-INF/weir/schema/${moduleName}.xml} (IIS's schema format), bound
 * once per distinct effective configuration: the server, a {@code <location>} or a
 * {@code web.config} may set it.
 *
 * @param enabled    whether the module adds its header ({@code enabled}, default {@code true})
 * @param headerName the header it adds ({@code headerName}, default {@code X-${moduleName}})
 */
public record ${moduleName}Section(boolean enabled, String headerName) {

    /** The section's name, as {@code <configSections>} and the schema file declare it. */
    public static final String NAME = "system.webServer/${moduleName}";

    /** The section, bound to this record; {@code HttpContext.config(SECTION)} reads it for a request. */
    public static final ConfigSectionType<${moduleName}Section> SECTION =
            ConfigSectionType.of(NAME, ${moduleName}Section::from);

    /**
     * Binds the merged section. The fallbacks repeat the schema's defaults, for a server that reads
     * the section without the schema.
     *
     * @param section the merged section
     * @return the record
     */
    static ${moduleName}Section from(ConfigElement section) {
        return new ${moduleName}Section(
                section.booleanAttribute("enabled", true),
                section.stringAttribute("headerName", "X-${moduleName}"));
    }
}
