package io.weir.modules.compression;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code system.webServer/httpCompression} section, bound once per effective configuration
 * with IIS's defaults.
 *
 * @param schemes                  the schemes Weir has a codec for, in the order written (the
 *                                 server's preference when the client weighs two alike)
 * @param staticTypes              {@code staticTypes}
 * @param dynamicTypes             {@code dynamicTypes}
 * @param directory                {@code directory}: the compressed-file cache folder, absolute
 * @param doDiskSpaceLimiting      {@code doDiskSpaceLimiting}, default true
 * @param maxDiskSpaceBytes        {@code maxDiskSpaceUsage} (in MB, default 100), in bytes
 * @param minFileSizeForComp       {@code minFileSizeForComp}, bytes, default 2700
 * @param noCompressionForHttp10   {@code noCompressionForHttp10}, default true
 * @param noCompressionForProxies  {@code noCompressionForProxies} (a request with {@code Via}), default true
 * @param noCompressionForRange    {@code noCompressionForRange}, default true
 * @param sendCacheHeaders         {@code sendCacheHeaders}, default false
 * @param expiresHeader            {@code expiresHeader}, sent with compressed responses when sendCacheHeaders
 * @param cacheControlHeader       {@code cacheControlHeader}, likewise
 * @param ignoreHitFrequency       {@code staticCompressionIgnoreHitFrequency}, default false
 * @param staticCpu                {@code staticCompressionDisableCpuUsage}/{@code EnableCpuUsage} (100/50)
 * @param dynamicCpu               {@code dynamicCompressionDisableCpuUsage}/{@code EnableCpuUsage} (90/50)
 * @param dynamicBufferLimit       {@code dynamicCompressionBufferLimit}, bytes, default 65536
 * @param servePrecompressed       {@code weirServePrecompressed} (Weir's addition, default false):
 *                                 serve {@code file.br}, {@code file.zst}, {@code file.gz} beside a
 *                                 static file when present and not older than it
 */
record HttpCompressionSection(
        List<Scheme> schemes,
        MimeTypeRules staticTypes,
        MimeTypeRules dynamicTypes,
        Path directory,
        boolean doDiskSpaceLimiting,
        long maxDiskSpaceBytes,
        long minFileSizeForComp,
        boolean noCompressionForHttp10,
        boolean noCompressionForProxies,
        boolean noCompressionForRange,
        boolean sendCacheHeaders,
        String expiresHeader,
        String cacheControlHeader,
        boolean ignoreHitFrequency,
        CpuGate.Limits staticCpu,
        CpuGate.Limits dynamicCpu,
        long dynamicBufferLimit,
        boolean servePrecompressed) {

    /** Binds {@code system.webServer/httpCompression}; keep this one instance. */
    public static final ConfigSectionType<HttpCompressionSection> SECTION =
            ConfigSectionType.of("system.webServer/httpCompression", HttpCompressionSection::from);

    /** The folder in Weir's data folder used when {@code directory} names a variable that is not set. */
    static final String FALLBACK_FOLDER = "IIS Temporary Compressed Files";

    private static final Pattern UNEXPANDED = Pattern.compile("%[A-Za-z_][A-Za-z0-9_]*%");

    /**
     * Binds the merged section.
     *
     * @param section the {@code httpCompression} element
     * @return the record
     * @throws ConfigException when a scheme names no codec Weir has, or a value is out of range
     */
    public static HttpCompressionSection from(ConfigElement section) {
        List<Scheme> schemes = new ArrayList<>();
        for (ConfigElement s : section.collection()) {
            String name = s.stringAttribute("name", "");
            ContentCoding coding = ContentCoding.byName(name)
                    .orElseThrow(() -> new ConfigException(
                            s.attributeSource("name"),
                            "httpCompression scheme '" + name
                                    + "' is not one Weir can encode (gzip, deflate, br, zstd)"));
            schemes.add(new Scheme(
                    coding,
                    s.booleanAttribute("doStaticCompression", true),
                    s.booleanAttribute("doDynamicCompression", true),
                    s.longAttribute("staticCompressionLevel", 7),
                    s.longAttribute("dynamicCompressionLevel", 0)));
        }
        MimeTypeRules staticTypes =
                section.child("staticTypes").map(MimeTypeRules::from).orElse(MimeTypeRules.NONE);
        MimeTypeRules dynamicTypes =
                section.child("dynamicTypes").map(MimeTypeRules::from).orElse(MimeTypeRules.NONE);
        return new HttpCompressionSection(
                List.copyOf(schemes),
                staticTypes,
                dynamicTypes,
                directory(section),
                section.booleanAttribute("doDiskSpaceLimiting", true),
                section.longAttribute("maxDiskSpaceUsage", 100) * 1024 * 1024,
                section.longAttribute("minFileSizeForComp", 2700),
                section.booleanAttribute("noCompressionForHttp10", true),
                section.booleanAttribute("noCompressionForProxies", true),
                section.booleanAttribute("noCompressionForRange", true),
                section.booleanAttribute("sendCacheHeaders", false),
                section.stringAttribute("expiresHeader", "Wed, 01 Jan 1997 12:00:00 GMT"),
                section.stringAttribute("cacheControlHeader", "max-age=86400"),
                section.booleanAttribute("staticCompressionIgnoreHitFrequency", false),
                limits(section, "static", 100, 50),
                limits(section, "dynamic", 90, 50),
                Math.max(1024, section.longAttribute("dynamicCompressionBufferLimit", 65536)),
                section.booleanAttribute("weirServePrecompressed", false));
    }

    private static CpuGate.Limits limits(ConfigElement section, String kind, long disable, long enable) {
        long off = section.longAttribute(kind + "CompressionDisableCpuUsage", disable);
        long on = section.longAttribute(kind + "CompressionEnableCpuUsage", enable);
        if (off < 0 || off > 100 || on < 0 || on > 100) {
            throw new ConfigException(section.source(), kind + "Compression CPU limits must lie in 0..100");
        }
        return new CpuGate.Limits((int) off, (int) on);
    }

    /**
     * The cache folder: {@code directory} with {@code \} read as {@code /}. When it still names a
     * variable that nothing expanded (IIS's {@code %SystemDrive%} default, or IIS Express's
     * {@code %TEMP%} where no {@code TEMP} is set, as on Linux), Weir uses
     * {@code IIS Temporary Compressed Files} in its data folder: the {@code weir.data} system property,
     * else {@code $WEIR_DATA_HOME}, else {@code $XDG_STATE_HOME/weir}, else {@code ~/.local/state/weir}
     * (where Weir's logs go too). A relative folder resolves against the working directory.
     */
    /** IIS's schema default of {@code directory}. */
    private static final String IIS_DEFAULT_DIRECTORY = "%SystemDrive%\\inetpub\\temp\\IIS Temporary Compressed Files";

    private static Path directory(ConfigElement section) {
        String written =
                section.stringAttribute("directory", IIS_DEFAULT_DIRECTORY).trim();
        String value = written.replace('\\', '/');
        if (value.isEmpty() || UNEXPANDED.matcher(value).find()) {
            return dataFolder().resolve(FALLBACK_FOLDER);
        }
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(
                    section.attributeSource("directory"),
                    "httpCompression directory '" + written + "' is not a usable path: " + e.getMessage());
        }
    }

    private static Path dataFolder() {
        String configured = System.getProperty("weir.data");
        if (configured == null || configured.isBlank()) {
            configured = System.getenv("WEIR_DATA_HOME");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute()
                ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("weir").toAbsolutePath().normalize();
    }

    /** @return the schemes static compression may use */
    List<Scheme> staticSchemes() {
        return select(true);
    }

    /** @return the schemes dynamic compression may use */
    List<Scheme> dynamicSchemes() {
        return select(false);
    }

    /** @return the schemes for static or dynamic compression: {@link #schemes} itself when all qualify */
    private List<Scheme> select(boolean forStatic) {
        int n = schemes.size();
        int qualifying = 0;
        for (int i = 0; i < n; i++) {
            Scheme s = schemes.get(i);
            qualifying += (forStatic ? s.doStaticCompression() : s.doDynamicCompression()) ? 1 : 0;
        }
        if (qualifying == n) {
            return schemes;
        }
        List<Scheme> selected = new ArrayList<>(qualifying);
        for (int i = 0; i < n; i++) {
            Scheme s = schemes.get(i);
            if (forStatic ? s.doStaticCompression() : s.doDynamicCompression()) {
                selected.add(s);
            }
        }
        return List.copyOf(selected);
    }
}
