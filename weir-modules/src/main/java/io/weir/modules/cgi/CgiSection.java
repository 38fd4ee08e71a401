package io.weir.modules.cgi;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import java.time.Duration;

/**
 * The {@code system.webServer/cgi} section as CgiModule uses it.
 *
 * <p>{@code createProcessAsUser} (IIS: run the program with the request's Windows token) and
 * {@code createCGIWithNewConsole} are read and have no effect: Weir runs every CGI program as the
 * server's own operating-system user, with no console.
 *
 * @param timeout how long a CGI program may run before it is killed and the request gets 502.1
 *                (IIS's default: 15 minutes)
 */
public record CgiSection(Duration timeout) {

    /** Binds {@code system.webServer/cgi}; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<CgiSection> SECTION =
            ConfigSectionType.of("system.webServer/cgi", CgiSection::from);

    /**
     * Binds the merged section with IIS's default.
     *
     * @param section the merged element
     * @return the record
     */
    public static CgiSection from(ConfigElement section) {
        return new CgiSection(section.timeSpanAttribute("timeout", Duration.ofMinutes(15)));
    }
}
