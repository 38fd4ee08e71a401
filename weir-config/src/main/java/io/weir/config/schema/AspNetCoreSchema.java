package io.weir.config.schema;

import static io.weir.config.schema.AttributeType.BOOL;
import static io.weir.config.schema.AttributeType.STRING;
import static io.weir.config.schema.AttributeType.TIME_SPAN;
import static io.weir.config.schema.AttributeType.UINT;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code system.webServer/aspNetCore}, the section of the ASP.NET Core Module
 * ({@code AspNetCoreModuleV2}), with the types, defaults and ranges of the module's published schema
 * ({@code aspnetcore_schema_v2.xml}): seconds for {@code startupTimeLimit} (0 to 3600) and
 * {@code shutdownTimeLimit} (0 to 600), a time span for {@code requestTimeout}, and the
 * {@code recycleOnFileChange}, {@code environmentVariables} and {@code handlerSettings}
 * collections. {@code hostingModel} is a string, as in that schema; the module refuses
 * {@code inprocess} when it binds the section.
 */
final class AspNetCoreSchema {

    private AspNetCoreSchema() {}

    private static AttributeSchema a(String name, AttributeType type) {
        return AttributeSchema.of(name, type);
    }

    private static ElementSchema el(
            List<AttributeSchema> attributes, Map<String, ElementSchema> children, CollectionSchema collection) {
        return ElementSchema.typed(attributes, children, Optional.ofNullable(collection));
    }

    private static ElementSchema nameValues(String add) {
        return el(
                List.of(),
                Map.of(),
                new CollectionSchema(
                        add,
                        Optional.empty(),
                        Optional.of("clear"),
                        List.of("name"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("name", STRING)
                                                .asUniqueKey()
                                                .asNonEmpty()
                                                .asRequired(),
                                        a("value", STRING).asCaseSensitive().asRequired()),
                                Map.of(),
                                null)));
    }

    /** @return {@code system.webServer/aspNetCore} */
    static ElementSchema aspNetCore() {
        return el(
                List.of(
                        a("processPath", STRING).asExpanded(),
                        a("arguments", STRING).withDefault("").asExpanded(),
                        a("startupTimeLimit", UINT).withDefault("120").withRange(0L, 3600L),
                        a("shutdownTimeLimit", UINT).withDefault("10").withRange(0L, 600L),
                        a("rapidFailsPerMinute", UINT).withDefault("10").withRange(0L, 100L),
                        a("requestTimeout", TIME_SPAN).withDefault("00:02:00"),
                        a("stdoutLogEnabled", BOOL).withDefault("false"),
                        a("stdoutLogFile", STRING)
                                .withDefault(".\\aspnetcore-stdout")
                                .asExpanded(),
                        a("processesPerApplication", UINT).withDefault("1").withRange(1L, 100L),
                        a("forwardWindowsAuthToken", BOOL).withDefault("true"),
                        a("disableStartUpErrorPage", BOOL).withDefault("false"),
                        a("hostingModel", STRING)),
                Map.of(
                        "recycleOnFileChange",
                        el(
                                List.of(),
                                Map.of(),
                                new CollectionSchema(
                                        "file",
                                        Optional.empty(),
                                        Optional.of("clear"),
                                        List.of("path"),
                                        false,
                                        true,
                                        el(
                                                List.of(
                                                        a("path", STRING)
                                                                .asUniqueKey()
                                                                .asNonEmpty()
                                                                .asRequired()
                                                                .asExpanded()),
                                                Map.of(),
                                                null))),
                        "environmentVariables",
                        nameValues("environmentVariable"),
                        "handlerSettings",
                        nameValues("handlerSetting")),
                null);
    }
}
