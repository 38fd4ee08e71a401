package io.weir.modules.staticfile;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code system.webServer/staticContent} section as StaticFileModule uses it: the merged
 * {@code <mimeMap>} collection and the {@code <clientCache>} element, with IIS's defaults. Bound
 * once per distinct effective configuration by {@link io.weir.api.http.HttpContext#config}, so the
 * derived header values below are computed off the hot path.
 *
 * <p>Not modelled: {@code enableDocFooter}, {@code defaultDocFooter}, {@code isDocFooterFileName}
 * (document footers; see {@code package-info}).
 *
 * @param mimeTypes   lower-cased file extension with its dot ({@code ".html"}) to MIME type; IIS's
 *                    special keys {@code "."} (files without an extension) and {@code "*"} (any
 *                    extension not otherwise mapped) are kept as written
 * @param clientCache the {@code <clientCache>} element
 */
public record StaticFileSection(Map<String, String> mimeTypes, ClientCache clientCache) {

    /** Binds {@code system.webServer/staticContent}; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<StaticFileSection> SECTION =
            ConfigSectionType.of("system.webServer/staticContent", StaticFileSection::from);

    /**
     * Copies the map so the record stays immutable.
     *
     * @param mimeTypes   the extension map
     * @param clientCache the client-cache settings
     */
    public StaticFileSection {
        mimeTypes = Collections.unmodifiableMap(new HashMap<>(mimeTypes));
    }

    /**
     * Binds the merged section element, applying IIS's schema defaults for absent attributes.
     *
     * @param section the merged {@code staticContent} element
     * @return the record
     * @throws ConfigException if an attribute is malformed
     */
    public static StaticFileSection from(ConfigElement section) {
        Map<String, String> types = new HashMap<>();
        for (ConfigElement item : section.collection()) {
            Optional<String> extension = item.attribute("fileExtension");
            Optional<String> type = item.attribute("mimeType");
            if (extension.isEmpty() || type.isEmpty() || type.get().isBlank()) {
                throw new ConfigException(item.source(), "<mimeMap> needs a fileExtension and a non-empty mimeType");
            }
            types.put(
                    extension.get().trim().toLowerCase(Locale.ROOT), type.get().trim());
        }
        ClientCache cache = section.child("clientCache").map(ClientCache::from).orElse(ClientCache.DEFAULT);
        return new StaticFileSection(types, cache);
    }

    /**
     * Returns the MIME type for a file name, by its extension, ignoring case; IIS's rule: the
     * extension is what follows the last dot, {@code "."} stands for no extension, and a
     * {@code "*"} entry catches every extension without its own entry.
     *
     * @param fileName the file's name (last path segment)
     * @return the type, or empty when the extension has no mapping (404.3)
     */
    public Optional<String> mimeTypeOf(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String extension = dot < 0 ? "." : fileName.substring(dot).toLowerCase(Locale.ROOT);
        String type = mimeTypes.get(extension);
        if (type == null) {
            type = mimeTypes.get("*");
        }
        return Optional.ofNullable(type);
    }

    /**
     * Prints the section in its XML form (counting the MIME map rather than listing it).
     *
     * @return for example {@code <staticContent mimeMaps="374"><clientCache cacheControlMode="NoControl" .../>}
     */
    @Override
    public String toString() {
        return "<staticContent mimeMaps=\"" + mimeTypes.size() + "\">" + clientCache + "</staticContent>";
    }

    /** The values of {@code clientCache@cacheControlMode}, with IIS's names. */
    public enum CacheControlMode {
        /** 0, the default: no {@code Cache-Control} or {@code Expires} from this module. */
        NoControl,
        /** 1: {@code Cache-Control: no-cache}. */
        DisableCache,
        /** 2: {@code Cache-Control: max-age=} from {@code cacheControlMaxAge}. */
        UseMaxAge,
        /** 3: {@code Expires:} from {@code httpExpires}. */
        UseExpires
    }

    /**
     * The {@code staticContent/clientCache} element.
     *
     * @param cacheControlMode   the mode, default NoControl
     * @param cacheControlMaxAge the max age for UseMaxAge, default {@code 1.00:00:00}
     * @param httpExpires        the RFC 1123 date for UseExpires, empty when absent
     * @param cacheControlCustom extra {@code Cache-Control} directives, empty when absent
     * @param setEtag            whether to send {@code ETag}, default true
     * @param cacheControl       the derived {@code Cache-Control} value to send, empty for none
     * @param expires            the derived {@code Expires} value to send, empty for none
     */
    public record ClientCache(
            CacheControlMode cacheControlMode,
            Duration cacheControlMaxAge,
            String httpExpires,
            String cacheControlCustom,
            boolean setEtag,
            String cacheControl,
            String expires) {

        /**
         * The element's defaults, as the configuration schema declares them (IIS's
         * {@code clientCache} schema); {@link #from} falls back to these same values.
         */
        public static final ClientCache DEFAULT = of(CacheControlMode.NoControl, Duration.ofDays(1), "", "", true);

        /**
         * Binds the element, applying IIS's defaults.
         *
         * @param element the merged {@code clientCache} element
         * @return the record
         * @throws ConfigException if an attribute is malformed
         */
        public static ClientCache from(ConfigElement element) {
            Duration maxAge = element.timeSpanAttribute("cacheControlMaxAge", DEFAULT.cacheControlMaxAge());
            if (maxAge.isNegative()) {
                throw new ConfigException(
                        element.attributeSource("cacheControlMaxAge"), "cacheControlMaxAge must not be negative");
            }
            return of(
                    element.enumAttribute("cacheControlMode", CacheControlMode.class, DEFAULT.cacheControlMode()),
                    maxAge,
                    element.stringAttribute("httpExpires", DEFAULT.httpExpires())
                            .trim(),
                    element.stringAttribute("cacheControlCustom", DEFAULT.cacheControlCustom())
                            .trim(),
                    element.booleanAttribute("setEtag", DEFAULT.setEtag()));
        }

        /**
         * Creates the record and derives the headers IIS sends for it: the mode's directive with
         * {@code cacheControlCustom} appended (", "-separated), and {@code Expires} for UseExpires.
         *
         * @param mode    the mode
         * @param maxAge  the max age
         * @param expires the httpExpires date
         * @param custom  the custom directives
         * @param setEtag whether to send ETag
         * @return the record
         */
        public static ClientCache of(
                CacheControlMode mode, Duration maxAge, String expires, String custom, boolean setEtag) {
            String directive =
                    switch (mode) {
                        case NoControl, UseExpires -> "";
                        case DisableCache -> "no-cache";
                        case UseMaxAge -> "max-age=" + maxAge.toSeconds();
                    };
            String cacheControl =
                    directive.isEmpty() ? custom : custom.isEmpty() ? directive : directive + ", " + custom;
            return new ClientCache(
                    mode,
                    maxAge,
                    expires,
                    custom,
                    setEtag,
                    cacheControl,
                    mode == CacheControlMode.UseExpires ? expires : "");
        }

        /**
         * Prints the element in its XML form.
         *
         * @return for example {@code <clientCache cacheControlMode="UseMaxAge" cacheControlMaxAge="PT24H" .../>}
         */
        @Override
        public String toString() {
            return "<clientCache cacheControlMode=\"" + cacheControlMode + "\" cacheControlMaxAge=\""
                    + cacheControlMaxAge + "\" httpExpires=\"" + httpExpires + "\" cacheControlCustom=\""
                    + cacheControlCustom + "\" setEtag=\"" + setEtag + "\"/>";
        }
    }
}
