package io.weir.modules.httplogging;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;

/**
 * {@code system.applicationHost/log}, the server-wide logging settings. Immutable.
 *
 * @param centralLogFileMode {@code centralLogFileMode}, default Site (one log per site, the only
 *                           mode Weir writes; the central modes are logged per site with a warning)
 * @param logInUtf8          {@code logInUTF8}, default true: files are UTF-8 and named {@code u_ex…};
 *                           false: US-ASCII ({@code ?} for other characters) and named {@code ex…}
 */
public record CentralLogSection(CentralLogFileMode centralLogFileMode, boolean logInUtf8) {

    /** The section this record binds. */
    public static final ConfigSectionType<CentralLogSection> SECTION =
            ConfigSectionType.of("system.applicationHost/log", CentralLogSection::from);

    /** The values of {@code centralLogFileMode}. */
    public enum CentralLogFileMode {
        /** One log per site. */
        SITE,
        /** One binary log for the server (not written by Weir). */
        CENTRAL_BINARY,
        /** One W3C log for the server (not written by Weir). */
        CENTRAL_W3C
    }

    /**
     * Binds the merged section.
     *
     * @param section the section
     * @return the record
     * @throws io.weir.api.config.ConfigException when an attribute is malformed
     */
    public static CentralLogSection from(ConfigElement section) {
        return new CentralLogSection(
                section.enumAttribute("centralLogFileMode", CentralLogFileMode.class, CentralLogFileMode.SITE),
                section.booleanAttribute("logInUTF8", true));
    }
}
