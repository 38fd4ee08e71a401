package io.weir.modules.caching;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code system.webServer/caching} section, with IIS's defaults.
 *
 * @param enabled           default true: the output cache runs
 * @param enableKernelCache default true: responses may go to the kernel-style cache
 * @param maxCacheSize      the output cache's size in MB; 0 (the default) lets Weir choose 64 MB
 * @param maxResponseSize   the largest response either cache keeps, in bytes (default 262144)
 * @param profiles          the profiles by extension in lower case ({@code .css}), in order
 */
public record CachingSection(
        boolean enabled,
        boolean enableKernelCache,
        long maxCacheSize,
        long maxResponseSize,
        Map<String, Profile> profiles) {

    /** Binds {@code system.webServer/caching}; keep this one instance. */
    public static final ConfigSectionType<CachingSection> SECTION =
            ConfigSectionType.of("system.webServer/caching", CachingSection::from);

    /** A profile's {@code policy} or {@code kernelCachePolicy}. */
    public enum Policy {
        /** Not cached by this profile (another rule may still cache it). */
        DontCache,
        /** Kept until the file behind the URL changes. */
        CacheUntilChange,
        /** Kept for the profile's {@code duration}. */
        CacheForTimePeriod,
        /** Never cached, whatever else would cache it. */
        DisableCache;

        /** @return true for the two policies that store */
        boolean stores() {
            return this == CacheUntilChange || this == CacheForTimePeriod;
        }
    }

    /** A profile's {@code location}: which caches may keep the response, and its {@code Cache-Control}. */
    public enum Location {
        /** Any cache: {@code Cache-Control: public}; the server caches. */
        Any,
        /** Only the client: {@code Cache-Control: private}; the server does not cache. */
        Client,
        /** Caches other than the server: {@code Cache-Control: public}; the server does not cache. */
        Downstream,
        /** Only the server: {@code Cache-Control: no-cache}. */
        Server,
        /** No cache: {@code Cache-Control: no-cache}; the server does not cache. */
        None,
        /** The server and the client: {@code Cache-Control: private}. */
        ServerAndClient;

        /** @return true when the server's caches may keep the response */
        boolean server() {
            return this == Any || this == Server || this == ServerAndClient;
        }

        /** @return the Cache-Control value for a response cached for {@code maxAge} (null: until change) */
        String cacheControl(Duration maxAge) {
            String age = maxAge == null ? "" : ", max-age=" + maxAge.toSeconds();
            return switch (this) {
                case Any, Downstream -> "public" + age;
                case Client, ServerAndClient -> "private" + age;
                case Server, None -> "no-cache";
            };
        }
    }

    /**
     * One {@code profiles/add} element.
     *
     * @param extension         the file extension it applies to, lower case, with its dot
     * @param policy            the output cache's policy (default DontCache)
     * @param kernelCachePolicy the kernel-style cache's policy (default DontCache)
     * @param duration          how long CacheForTimePeriod keeps a response (default 30 s)
     * @param location          default Server
     * @param varyByHeaders     request headers whose values make separate copies
     * @param varyByQueryString query parameters whose values make separate copies; {@code *} for all
     */
    public record Profile(
            String extension,
            Policy policy,
            Policy kernelCachePolicy,
            Duration duration,
            Location location,
            List<String> varyByHeaders,
            List<String> varyByQueryString) {}

    /**
     * Returns the profile of a URL's extension.
     *
     * @param urlPath the URL path
     * @return the profile, or empty
     */
    public Optional<Profile> profileFor(String urlPath) {
        if (profiles.isEmpty()) {
            return Optional.empty();
        }
        int slash = urlPath.lastIndexOf('/');
        int dot = urlPath.lastIndexOf('.');
        if (dot <= slash) {
            return Optional.empty();
        }
        return Optional.ofNullable(profiles.get(urlPath.substring(dot).toLowerCase(Locale.ROOT)));
    }

    /**
     * Binds the merged section.
     *
     * @param section the element
     * @return the record
     * @throws ConfigException for a duration outside IIS's 1 to 4294967 seconds
     */
    public static CachingSection from(ConfigElement section) {
        Map<String, Profile> profiles = new LinkedHashMap<>();
        section.child("profiles").ifPresent(p -> {
            for (ConfigElement add : p.collection()) {
                Duration duration = add.timeSpanAttribute("duration", Duration.ofSeconds(30));
                if (duration.toSeconds() < 1 || duration.toSeconds() > 4_294_967L) {
                    throw new ConfigException(
                            add.attributeSource("duration"),
                            "duration must be between 00:00:01 and 49.17:02:47, not " + duration);
                }
                String extension = add.stringAttribute("extension", "").toLowerCase(Locale.ROOT);
                profiles.put(
                        extension,
                        new Profile(
                                extension,
                                named(Policy.class, add.stringAttribute("policy", "DontCache")),
                                named(Policy.class, add.stringAttribute("kernelCachePolicy", "DontCache")),
                                duration,
                                named(Location.class, add.stringAttribute("location", "Server")),
                                list(add.stringAttribute("varyByHeaders", "")),
                                list(add.stringAttribute("varyByQueryString", ""))));
            }
        });
        return new CachingSection(
                section.booleanAttribute("enabled", true),
                section.booleanAttribute("enableKernelCache", true),
                section.longAttribute("maxCacheSize", 0),
                section.longAttribute("maxResponseSize", 262_144),
                Map.copyOf(profiles));
    }

    private static <E extends Enum<E>> E named(Class<E> type, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(name.trim())) {
                return e;
            }
        }
        return type.getEnumConstants()[0];
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split("[,;]")) {
            String p = part.trim();
            if (!p.isEmpty()) {
                out.add(p);
            }
        }
        return List.copyOf(out);
    }
}
