package io.weir.modules.compression;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;

/**
 * The {@code system.webServer/urlCompression} section: whether static and dynamic compression run
 * for a URL.
 *
 * @param doStaticCompression           default true
 * @param doDynamicCompression          default true
 * @param dynamicCompressionBeforeCache default false: read; Weir has no output cache yet for it to
 *                                      order against, so it changes nothing
 */
public record UrlCompressionSection(
        boolean doStaticCompression, boolean doDynamicCompression, boolean dynamicCompressionBeforeCache) {

    /** Binds {@code system.webServer/urlCompression}; keep this one instance. */
    public static final ConfigSectionType<UrlCompressionSection> SECTION =
            ConfigSectionType.of("system.webServer/urlCompression", UrlCompressionSection::from);

    /**
     * Binds the merged section with IIS's defaults.
     *
     * @param section the element
     * @return the record
     */
    public static UrlCompressionSection from(ConfigElement section) {
        return new UrlCompressionSection(
                section.booleanAttribute("doStaticCompression", true),
                section.booleanAttribute("doDynamicCompression", true),
                section.booleanAttribute("dynamicCompressionBeforeCache", false));
    }
}
