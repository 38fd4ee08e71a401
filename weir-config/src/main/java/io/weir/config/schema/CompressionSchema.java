package io.weir.config.schema;

import static io.weir.config.schema.AttributeType.BOOL;
import static io.weir.config.schema.AttributeType.STRING;
import static io.weir.config.schema.AttributeType.TIME_SPAN;
import static io.weir.config.schema.AttributeType.UINT;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sections that IIS's StaticCompressionModule and DynamicCompressionModule read:
 * {@code system.webServer/httpCompression}, {@code system.webServer/urlCompression} and the
 * compression-related part of {@code system.webServer/serverRuntime}, with IIS's attribute
 * types, defaults and ranges. A {@code scheme}'s {@code dll} is required as in IIS but only read:
 * Weir picks the codec by the scheme's name ({@code gzip}, {@code deflate}, {@code br},
 * {@code zstd}).
 */
final class CompressionSchema {

    private CompressionSchema() {}

    private static AttributeSchema a(String name, AttributeType type) {
        return AttributeSchema.of(name, type);
    }

    private static ElementSchema el(
            List<AttributeSchema> attributes, Map<String, ElementSchema> children, CollectionSchema collection) {
        return ElementSchema.typed(attributes, children, Optional.ofNullable(collection));
    }

    private static CollectionSchema coll(String add, List<String> keys, ElementSchema item) {
        return new CollectionSchema(add, Optional.of("remove"), Optional.of("clear"), keys, false, true, item);
    }

    private static ElementSchema mimeTypes() {
        return el(
                List.of(),
                Map.of(),
                coll(
                        "add",
                        List.of("mimeType"),
                        el(
                                List.of(
                                        a("mimeType", STRING)
                                                .asUniqueKey()
                                                .asNonEmpty()
                                                .asRequired(),
                                        a("enabled", BOOL).asRequired()),
                                Map.of(),
                                null)));
    }

    /** @return {@code system.webServer/httpCompression} */
    static ElementSchema httpCompression() {
        return el(
                List.of(
                        a("sendCacheHeaders", BOOL).withDefault("false"),
                        a("expiresHeader", STRING)
                                .withDefault("Wed, 01 Jan 1997 12:00:00 GMT")
                                .asCaseSensitive(),
                        a("cacheControlHeader", STRING)
                                .withDefault("max-age=86400")
                                .asCaseSensitive(),
                        a("directory", STRING)
                                .withDefault("%SystemDrive%\\inetpub\\temp\\IIS Temporary Compressed Files")
                                .asExpanded()
                                .asCaseSensitive(),
                        a("doDiskSpaceLimiting", BOOL).withDefault("true"),
                        a("maxDiskSpaceUsage", UINT).withDefault("100"),
                        a("minFileSizeForComp", UINT).withDefault("2700"),
                        a("noCompressionForHttp10", BOOL).withDefault("true"),
                        a("noCompressionForProxies", BOOL).withDefault("true"),
                        a("noCompressionForRange", BOOL).withDefault("true"),
                        a("staticCompressionIgnoreHitFrequency", BOOL).withDefault("false"),
                        a("staticCompressionDisableCpuUsage", UINT)
                                .withDefault("100")
                                .withRange(0L, 100L),
                        a("staticCompressionEnableCpuUsage", UINT)
                                .withDefault("50")
                                .withRange(0L, 100L),
                        a("dynamicCompressionDisableCpuUsage", UINT)
                                .withDefault("90")
                                .withRange(0L, 100L),
                        a("dynamicCompressionEnableCpuUsage", UINT)
                                .withDefault("50")
                                .withRange(0L, 100L),
                        a("dynamicCompressionBufferLimit", UINT).withDefault("65536")),
                Map.of("staticTypes", mimeTypes(), "dynamicTypes", mimeTypes()),
                coll(
                        "scheme",
                        List.of("name"),
                        el(
                                List.of(
                                        a("name", STRING)
                                                .asUniqueKey()
                                                .asNonEmpty()
                                                .asRequired(),
                                        a("doStaticCompression", BOOL).withDefault("true"),
                                        a("doDynamicCompression", BOOL).withDefault("true"),
                                        a("dll", STRING)
                                                .asExpanded()
                                                .asCaseSensitive()
                                                .asNonEmpty()
                                                .asRequired(),
                                        a("staticCompressionLevel", UINT).withDefault("7"),
                                        a("dynamicCompressionLevel", UINT).withDefault("0")),
                                Map.of(),
                                null)));
    }

    /** @return {@code system.webServer/urlCompression} */
    static ElementSchema urlCompression() {
        return el(
                List.of(
                        a("doStaticCompression", BOOL).withDefault("true"),
                        a("doDynamicCompression", BOOL).withDefault("true"),
                        a("dynamicCompressionBeforeCache", BOOL).withDefault("false")),
                Map.of(),
                null);
    }

    /** @return {@code system.webServer/serverRuntime} */
    static ElementSchema serverRuntime() {
        return el(
                List.of(
                        a("enabled", BOOL).withDefault("true"),
                        a("appConcurrentRequestLimit", UINT).withDefault("5000"),
                        a("maxRequestEntityAllowed", UINT).withDefault("4294967295"),
                        a("uploadReadAheadSize", UINT).withDefault("49152").withRange(0L, 2147483647L),
                        a("alternateHostName", STRING),
                        a("enableNagling", BOOL).withDefault("false"),
                        a("frequentHitThreshold", UINT).withDefault("2").withRange(1L, 2147483647L),
                        a("frequentHitTimePeriod", TIME_SPAN).withDefault("00:00:10"),
                        a("authenticatedUserOverride", AttributeType.ENUM)
                                .withDefault("UseAuthenticatedUser")
                                .withValues("UseAuthenticatedUser", 1L, "UseWorkerProcessUser", 2L)),
                Map.of(),
                null);
    }
}
