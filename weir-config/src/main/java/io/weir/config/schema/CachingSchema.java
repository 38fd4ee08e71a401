package io.weir.config.schema;

import static io.weir.config.schema.AttributeType.BOOL;
import static io.weir.config.schema.AttributeType.ENUM;
import static io.weir.config.schema.AttributeType.STRING;
import static io.weir.config.schema.AttributeType.TIME_SPAN;
import static io.weir.config.schema.AttributeType.UINT;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code system.webServer/caching}, the section IIS's HttpCacheModule reads, with IIS's attribute
 * types, defaults and enumerations: the output cache's switches and limits and its {@code profiles}
 * (one per file extension).
 */
final class CachingSchema {

    private static final Object[] POLICIES = {
        "DontCache", 0L, "CacheUntilChange", 1L, "CacheForTimePeriod", 2L, "DisableCache", 3L
    };

    private CachingSchema() {}

    private static AttributeSchema a(String name, AttributeType type) {
        return AttributeSchema.of(name, type);
    }

    /** @return {@code system.webServer/caching} */
    static ElementSchema caching() {
        ElementSchema profile = ElementSchema.typed(
                List.of(
                        a("extension", STRING).asUniqueKey().asNonEmpty().asRequired(),
                        a("policy", ENUM).withDefault("DontCache").withValues(POLICIES),
                        a("kernelCachePolicy", ENUM).withDefault("DontCache").withValues(POLICIES),
                        a("duration", TIME_SPAN).withDefault("00:00:30"),
                        a("location", ENUM)
                                .withDefault("Server")
                                .withValues(
                                        "Any",
                                        0L,
                                        "Client",
                                        1L,
                                        "Downstream",
                                        2L,
                                        "Server",
                                        3L,
                                        "None",
                                        4L,
                                        "ServerAndClient",
                                        5L),
                        a("varyByHeaders", STRING),
                        a("varyByQueryString", STRING)),
                Map.of(),
                Optional.empty());
        ElementSchema profiles = ElementSchema.typed(
                List.of(),
                Map.of(),
                Optional.of(new CollectionSchema(
                        "add",
                        Optional.of("remove"),
                        Optional.of("clear"),
                        List.of("extension"),
                        false,
                        false,
                        profile)));
        return ElementSchema.typed(
                List.of(
                        a("enabled", BOOL).withDefault("true"),
                        a("enableKernelCache", BOOL).withDefault("true"),
                        a("maxCacheSize", UINT).withDefault("0"),
                        a("maxResponseSize", UINT).withDefault("262144")),
                Map.of("profiles", profiles),
                Optional.empty());
    }
}
