package io.weir.modules.httpredirect;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.HttpStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code system.webServer/httpRedirect} section as HttpRedirectionModule uses it, with IIS's
 * schema defaults; bound once per effective configuration.
 *
 * @param enabled            {@code enabled}, default false
 * @param destination        {@code destination}: a URL or a virtual path; empty when absent
 * @param exactDestination   {@code exactDestination}, default false: when false the part of the
 *                           request URL below {@link #locationPath()} is appended to the destination
 * @param childOnly          {@code childOnly}, default false: redirect only requests for content
 *                           directly in the configured folder, to the destination plus the file name
 * @param httpResponseStatus {@code httpResponseStatus}, default Found
 * @param wildcards          the {@code <add wildcard destination>} rules, in effective order
 * @param locationPath       where the section was set (see {@link ConfigElement#locationPath()})
 */
public record HttpRedirectSection(
        boolean enabled,
        String destination,
        boolean exactDestination,
        boolean childOnly,
        RedirectStatus httpResponseStatus,
        List<Wildcard> wildcards,
        String locationPath) {

    /** Binds {@code system.webServer/httpRedirect}; keep this one instance. */
    public static final ConfigSectionType<HttpRedirectSection> SECTION =
            ConfigSectionType.of("system.webServer/httpRedirect", HttpRedirectSection::from);

    /**
     * Copies the rules.
     *
     * @param enabled            see the class description
     * @param destination        see the class description
     * @param exactDestination   see the class description
     * @param childOnly          see the class description
     * @param httpResponseStatus see the class description
     * @param wildcards          see the class description
     * @param locationPath       see the class description
     */
    public HttpRedirectSection {
        wildcards = List.copyOf(wildcards);
    }

    /**
     * Binds the merged section.
     *
     * @param section the merged {@code httpRedirect} element
     * @return the record
     * @throws ConfigException when a wildcard rule lacks its wildcard or destination, or
     *                         {@code httpResponseStatus} names no IIS value
     */
    public static HttpRedirectSection from(ConfigElement section) {
        List<Wildcard> wildcards = new ArrayList<>();
        for (ConfigElement item : section.collection()) {
            String wildcard = item.attribute("wildcard").orElse("").trim();
            String destination = item.attribute("destination").orElse("").trim();
            if (wildcard.isEmpty() || destination.isEmpty()) {
                throw new ConfigException(
                        item.source(), "<add> in httpRedirect needs a non-empty wildcard and destination");
            }
            wildcards.add(new Wildcard(wildcard, destination));
        }
        return new HttpRedirectSection(
                section.booleanAttribute("enabled", false),
                section.attribute("destination").orElse("").trim(),
                section.booleanAttribute("exactDestination", false),
                section.booleanAttribute("childOnly", false),
                section.enumAttribute("httpResponseStatus", RedirectStatus.class, RedirectStatus.FOUND),
                wildcards,
                section.locationPath());
    }

    /** IIS's {@code httpResponseStatus} enum. */
    public enum RedirectStatus {
        /** {@code Permanent}: 301. */
        PERMANENT(HttpStatus.MOVED_PERMANENTLY),
        /** {@code Found}, the default: 302. */
        FOUND(HttpStatus.FOUND),
        /** {@code Temporary}: 307. */
        TEMPORARY(new HttpStatus(307, 0, "Temporary Redirect")),
        /** {@code PermRedirect} (IIS 10): 308. */
        PERM_REDIRECT(new HttpStatus(308, 0, "Permanent Redirect"));

        private final HttpStatus status;

        RedirectStatus(HttpStatus status) {
            this.status = status;
        }

        /**
         * Returns the status sent.
         *
         * @return 301, 302, 307 or 308
         */
        public HttpStatus status() {
            return status;
        }
    }

    /**
     * One {@code <add wildcard destination>}.
     *
     * @param wildcard    the pattern; {@code *} matches any run of characters, {@code /} included;
     *                    compared without case
     * @param destination the target, with the substitutions of the module; {@code !} means "do not
     *                    redirect" (IIS 6's exclusion)
     */
    public record Wildcard(String wildcard, String destination) {}
}
