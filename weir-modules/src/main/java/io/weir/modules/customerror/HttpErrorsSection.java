package io.weir.modules.customerror;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code system.webServer/httpErrors} section, with IIS's defaults (IIS_schema.xml).
 *
 * @param errorMode                       {@code errorMode}, default {@link ErrorMode#DETAILED_LOCAL_ONLY}
 * @param existingResponse                {@code existingResponse}, default {@link ExistingResponse#AUTO}
 * @param defaultPath                     {@code defaultPath}, expanded; empty when not set
 * @param defaultResponseMode             {@code defaultResponseMode}, default {@link ResponseMode#FILE}
 * @param detailedMoreInformationLink     {@code detailedMoreInformationLink}, default IIS's link;
 *                                        empty to leave the link out of detailed pages
 * @param allowAbsolutePathsWhenDelegated {@code allowAbsolutePathsWhenDelegated}, default false; read
 *                                        and kept (Weir has no delegated web.config files yet, so
 *                                        every path comes from applicationHost.config and absolute
 *                                        paths are always allowed)
 * @param errors                          the merged {@code <error>} collection, in effective order
 */
public record HttpErrorsSection(
        ErrorMode errorMode,
        ExistingResponse existingResponse,
        String defaultPath,
        ResponseMode defaultResponseMode,
        String detailedMoreInformationLink,
        boolean allowAbsolutePathsWhenDelegated,
        List<ErrorEntry> errors) {

    /** IIS's default for {@code detailedMoreInformationLink}. */
    public static final String DEFAULT_MORE_INFORMATION_LINK = "http://go.microsoft.com/fwlink/?LinkID=62293";

    /** Binds {@code system.webServer/httpErrors}; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<HttpErrorsSection> SECTION =
            ConfigSectionType.of("system.webServer/httpErrors", HttpErrorsSection::from);

    /** Who sees which page: IIS's {@code errorMode}. */
    public enum ErrorMode {
        /** Detailed pages for local (loopback) clients, custom pages for the others (IIS's default). */
        DETAILED_LOCAL_ONLY,
        /** Custom pages for everybody. */
        CUSTOM,
        /** Detailed pages for everybody (reveals internals: for debugging only). */
        DETAILED
    }

    /** What happens to an entity a module wrote with its error status: IIS's {@code existingResponse}. */
    public enum ExistingResponse {
        /** Kept if the status was set with trySkipCustomErrors, else decided by the error mode (IIS's default). */
        AUTO,
        /** Always replaced by the custom or detailed page. */
        REPLACE,
        /** Always kept. */
        PASS_THROUGH
    }

    /** How a custom error is produced: IIS's {@code responseMode}. */
    public enum ResponseMode {
        /** The content of a file. */
        FILE,
        /** The output of a child request for a URL of the same site. */
        EXECUTE_URL,
        /** A 302 redirect to the path. */
        REDIRECT
    }

    /**
     * One {@code <error>} item.
     *
     * @param statusCode             {@code statusCode}, 400 to 999
     * @param subStatusCode          {@code subStatusCode}, -1 (any) to 999
     * @param prefixLanguageFilePath {@code prefixLanguageFilePath}, expanded; empty when not set
     * @param path                   {@code path}, expanded: a file (File), a URL path (ExecuteURL), a URL (Redirect)
     * @param responseMode           {@code responseMode}, default {@link ResponseMode#FILE}
     */
    public record ErrorEntry(
            int statusCode, int subStatusCode, String prefixLanguageFilePath, String path, ResponseMode responseMode) {}

    /**
     * Copies the list so the record stays immutable.
     *
     * @param errorMode                       the error mode
     * @param existingResponse                the existing-response policy
     * @param defaultPath                     the default path, or empty
     * @param defaultResponseMode             the default response mode
     * @param detailedMoreInformationLink     the link on detailed pages, or empty
     * @param allowAbsolutePathsWhenDelegated read and kept
     * @param errors                          the error entries
     */
    public HttpErrorsSection {
        errors = List.copyOf(errors);
    }

    /**
     * Binds the merged section element, checking IIS's ranges.
     *
     * @param section the merged {@code httpErrors} element
     * @return the record
     * @throws ConfigException if an attribute is malformed or out of IIS's range, or an
     *                         {@code <error>} lacks {@code statusCode} or {@code path}
     */
    public static HttpErrorsSection from(ConfigElement section) {
        List<ErrorEntry> errors = new ArrayList<>();
        for (ConfigElement item : section.collection()) {
            if (item.attribute("statusCode").isEmpty()) {
                throw new ConfigException(item.source(), "<error> needs a statusCode");
            }
            long code = item.longAttribute("statusCode", 0);
            if (code < 400 || code > 999) {
                throw new ConfigException(
                        item.attributeSource("statusCode"),
                        "statusCode of <error> must be between 400 and 999, got " + code);
            }
            long sub = item.longAttribute("subStatusCode", -1);
            if (sub < -1 || sub > 999) {
                throw new ConfigException(
                        item.attributeSource("subStatusCode"),
                        "subStatusCode of <error> must be between -1 and 999, got " + sub);
            }
            String path = item.stringAttribute("path", "");
            if (path.isBlank()) {
                throw new ConfigException(
                        item.attributeSource("path"), "<error statusCode=\"" + code + "\"> needs a non-empty path");
            }
            errors.add(new ErrorEntry(
                    (int) code,
                    (int) sub,
                    item.stringAttribute("prefixLanguageFilePath", ""),
                    path.strip(),
                    item.enumAttribute("responseMode", ResponseMode.class, ResponseMode.FILE)));
        }
        return new HttpErrorsSection(
                section.enumAttribute("errorMode", ErrorMode.class, ErrorMode.DETAILED_LOCAL_ONLY),
                section.enumAttribute("existingResponse", ExistingResponse.class, ExistingResponse.AUTO),
                section.stringAttribute("defaultPath", "").strip(),
                section.enumAttribute("defaultResponseMode", ResponseMode.class, ResponseMode.FILE),
                section.stringAttribute("detailedMoreInformationLink", DEFAULT_MORE_INFORMATION_LINK)
                        .strip(),
                section.booleanAttribute("allowAbsolutePathsWhenDelegated", false),
                errors);
    }

    /**
     * Finds the entry for a status as IIS does: the entry with the exact substatus first, then the
     * entry for the code with {@code subStatusCode="-1"}.
     *
     * @param code      the status code
     * @param subStatus the substatus
     * @return the entry, or empty when neither exists
     */
    public Optional<ErrorEntry> find(int code, int subStatus) {
        ErrorEntry any = null;
        for (ErrorEntry e : errors) {
            if (e.statusCode() == code) {
                if (e.subStatusCode() == subStatus) {
                    return Optional.of(e);
                }
                if (e.subStatusCode() == -1 && any == null) {
                    any = e;
                }
            }
        }
        return Optional.ofNullable(any);
    }
}
