package io.weir.config.schema;

import static io.weir.config.schema.AttributeType.BOOL;
import static io.weir.config.schema.AttributeType.ENUM;
import static io.weir.config.schema.AttributeType.FLAGS;
import static io.weir.config.schema.AttributeType.INT64;
import static io.weir.config.schema.AttributeType.STRING;
import static io.weir.config.schema.AttributeType.UINT;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The six sections of URL Rewrite 2.1 ({@code system.webServer/rewrite/*}), declared after the
 * add-on's {@code rewrite_schema.xml}: every attribute with its type and default, every element
 * and collection with its directives and key. Value checks the schema language cannot say (a
 * CustomResponse {@code statusCode} outside 300–307) are made by RewriteModule when it binds the
 * section.
 */
final class RewriteSchema {

    private static final Object[] PATTERN_SYNTAX = {"ECMAScript", 0L, "Wildcard", 1L, "ExactMatch", 2L};
    private static final Object[] LOGICAL_GROUPING = {"MatchAll", 0L, "MatchAny", 1L};

    private RewriteSchema() {}

    private static AttributeSchema a(String name, AttributeType type) {
        return AttributeSchema.of(name, type);
    }

    private static ElementSchema el(
            List<AttributeSchema> attributes, Map<String, ElementSchema> children, CollectionSchema collection) {
        return ElementSchema.typed(attributes, children, Optional.ofNullable(collection));
    }

    private static CollectionSchema coll(
            String add, String remove, String clear, List<String> keys, ElementSchema item) {
        return new CollectionSchema(
                add, Optional.ofNullable(remove), Optional.ofNullable(clear), keys, false, true, item);
    }

    /**
     * {@code rules} (distributed) or {@code globalRules} (applicationHost.config only). The two
     * differ as in the add-on: global conditions know only {@code matchType="Pattern"}; a global
     * action has no {@code logRewrittenUrl}. The add-on's schema gives distributed conditions no key;
     * Weir keys both on all five attributes (a condition written twice in one rule is refused).
     */
    static ElementSchema inboundRules(boolean global) {
        ElementSchema match = el(
                List.of(
                        a("url", STRING).asNonEmpty().asCaseSensitive(),
                        a("ignoreCase", BOOL).withDefault("true"),
                        a("negate", BOOL).withDefault("false")),
                Map.of(),
                null);
        AttributeSchema matchType = global
                ? a("matchType", ENUM).withDefault("Pattern").withValues("Pattern", 0L)
                : a("matchType", ENUM)
                        .withDefault("Pattern")
                        .withValues("Pattern", 0L, "IsFile", 1L, "IsDirectory", 2L);
        ElementSchema conditions = el(
                List.of(
                        a("logicalGrouping", ENUM).withDefault("MatchAll").withValues(LOGICAL_GROUPING),
                        a("trackAllCaptures", BOOL).withDefault("false")),
                Map.of(),
                coll(
                        "add",
                        null,
                        null,
                        List.of("input", "matchType", "pattern", "ignoreCase", "negate"),
                        el(
                                List.of(
                                        a("input", STRING).asCaseSensitive().asCombinedKey(),
                                        matchType.asCombinedKey(),
                                        a("pattern", STRING).asCaseSensitive().asCombinedKey(),
                                        a("ignoreCase", BOOL)
                                                .withDefault("true")
                                                .asCombinedKey(),
                                        a("negate", BOOL).withDefault("false").asCombinedKey()),
                                Map.of(),
                                null)));
        ElementSchema serverVariables = el(
                List.of(),
                Map.of(),
                coll(
                        "set",
                        null,
                        null,
                        List.of("name"),
                        el(
                                List.of(
                                        a("name", STRING)
                                                .asRequired()
                                                .asUniqueKey()
                                                .asNonEmpty(),
                                        a("value", STRING).asCaseSensitive(),
                                        a("replace", BOOL).withDefault("true")),
                                Map.of(),
                                null)));
        List<AttributeSchema> action = new ArrayList<>(List.of(
                a("type", ENUM)
                        .withDefault("None")
                        .withValues(
                                "None", 0L, "Rewrite", 1L, "Redirect", 2L, "CustomResponse", 3L, "AbortRequest", 4L),
                a("url", STRING).asCaseSensitive(),
                a("appendQueryString", BOOL).withDefault("true"),
                a("redirectType", ENUM)
                        .withDefault("Permanent")
                        .withValues("Permanent", 301L, "Found", 302L, "SeeOther", 303L, "Temporary", 307L),
                global ? a("statusCode", UINT).withDefault("0") : a("statusCode", UINT),
                a("subStatusCode", UINT).withDefault("0").withRange(0, 999),
                a("statusReason", STRING).asCaseSensitive(),
                a("statusDescription", STRING).asCaseSensitive()));
        if (!global) {
            action.add(a("logRewrittenUrl", BOOL).withDefault("false"));
        }
        return el(
                List.of(),
                Map.of(),
                coll(
                        "rule",
                        "remove",
                        "clear",
                        List.of("name"),
                        el(
                                List.of(
                                        a("name", STRING).asRequired().asUniqueKey(),
                                        a("enabled", BOOL).withDefault("true"),
                                        a("patternSyntax", ENUM)
                                                .withDefault("ECMAScript")
                                                .withValues(PATTERN_SYNTAX),
                                        a("stopProcessing", BOOL).withDefault("false")),
                                Map.of(
                                        "match",
                                        match,
                                        "conditions",
                                        conditions,
                                        "serverVariables",
                                        serverVariables,
                                        "action",
                                        el(action, Map.of(), null)),
                                null)));
    }

    /** {@code outboundRules}: response rules, their preconditions and custom tag sets. */
    static ElementSchema outboundRules() {
        ElementSchema conditionItem = el(
                List.of(
                        a("input", STRING).asCaseSensitive().asCombinedKey(),
                        a("matchType", ENUM)
                                .withDefault("Pattern")
                                .withValues("Pattern", 0L)
                                .asCombinedKey(),
                        a("pattern", STRING).asCaseSensitive().asCombinedKey(),
                        a("ignoreCase", BOOL).withDefault("true").asCombinedKey(),
                        a("negate", BOOL).withDefault("false").asCombinedKey()),
                Map.of(),
                null);
        List<String> conditionKey = List.of("input", "matchType", "pattern", "ignoreCase", "negate");
        ElementSchema customTags = el(
                List.of(),
                Map.of(),
                coll(
                        "tags",
                        "remove",
                        "clear",
                        List.of("name"),
                        el(
                                List.of(a("name", STRING).asRequired().asUniqueKey()),
                                Map.of(),
                                coll(
                                        "tag",
                                        "remove",
                                        "clear",
                                        List.of("name", "attribute"),
                                        el(
                                                List.of(
                                                        a("name", STRING)
                                                                .asRequired()
                                                                .asCombinedKey()
                                                                .asNonEmpty(),
                                                        a("attribute", STRING)
                                                                .asRequired()
                                                                .asCombinedKey()
                                                                .asNonEmpty()),
                                                Map.of(),
                                                null)))));
        ElementSchema preConditions = el(
                List.of(),
                Map.of(),
                coll(
                        "preCondition",
                        "remove",
                        "clear",
                        List.of("name"),
                        el(
                                List.of(
                                        a("name", STRING).asRequired().asUniqueKey(),
                                        a("logicalGrouping", ENUM)
                                                .withDefault("MatchAll")
                                                .withValues(LOGICAL_GROUPING),
                                        a("patternSyntax", ENUM)
                                                .withDefault("ECMAScript")
                                                .withValues(PATTERN_SYNTAX)),
                                Map.of(),
                                coll("add", null, null, conditionKey, conditionItem))));
        ElementSchema match = el(
                List.of(
                        a("filterByTags", FLAGS)
                                .withValues(
                                        "None",
                                        0L,
                                        "A",
                                        1L,
                                        "Area",
                                        2L,
                                        "Base",
                                        4L,
                                        "Form",
                                        8L,
                                        "Frame",
                                        16L,
                                        "Head",
                                        32L,
                                        "IFrame",
                                        64L,
                                        "Img",
                                        128L,
                                        "Input",
                                        256L,
                                        "Link",
                                        512L,
                                        "Script",
                                        1024L,
                                        "CustomTags",
                                        32768L),
                        a("customTags", STRING),
                        a("serverVariable", STRING),
                        a("pattern", STRING).asCaseSensitive(),
                        a("occurrences", INT64).withDefault("0"),
                        a("ignoreCase", BOOL).withDefault("true"),
                        a("negate", BOOL).withDefault("false")),
                Map.of(),
                null);
        ElementSchema conditions = el(
                List.of(
                        a("logicalGrouping", ENUM).withDefault("MatchAll").withValues(LOGICAL_GROUPING),
                        a("trackAllCaptures", BOOL).withDefault("true")),
                Map.of(),
                coll("add", null, null, conditionKey, conditionItem));
        ElementSchema action = el(
                List.of(
                        a("type", ENUM).withDefault("None").withValues("None", 0L, "Rewrite", 1L),
                        a("value", STRING).asCaseSensitive(),
                        a("replace", BOOL).withDefault("true")),
                Map.of(),
                null);
        return el(
                List.of(a("rewriteBeforeCache", BOOL).withDefault("false")),
                Map.of("customTags", customTags, "preConditions", preConditions),
                coll(
                        "rule",
                        "remove",
                        "clear",
                        List.of("name"),
                        el(
                                List.of(
                                        a("name", STRING).asRequired().asUniqueKey(),
                                        a("preCondition", STRING),
                                        a("enabled", BOOL).withDefault("true"),
                                        a("patternSyntax", ENUM)
                                                .withDefault("ECMAScript")
                                                .withValues(PATTERN_SYNTAX),
                                        a("stopProcessing", BOOL).withDefault("false")),
                                Map.of("match", match, "conditions", conditions, "action", action),
                                null)));
    }

    /** {@code rewriteMaps}: named maps of keys (case-sensitive keys, compared per {@code ignoreCase}) to values. */
    static ElementSchema rewriteMaps() {
        return el(
                List.of(),
                Map.of(),
                coll(
                        "rewriteMap",
                        "remove",
                        "clear",
                        List.of("name"),
                        el(
                                List.of(
                                        a("name", STRING)
                                                .asRequired()
                                                .asUniqueKey()
                                                .asNonEmpty(),
                                        a("defaultValue", STRING).asCaseSensitive(),
                                        a("ignoreCase", BOOL).withDefault("true")),
                                Map.of(),
                                new CollectionSchema(
                                        "add",
                                        Optional.of("remove"),
                                        Optional.of("clear"),
                                        List.of("key"),
                                        true,
                                        true,
                                        el(
                                                List.of(
                                                        a("key", STRING)
                                                                .asRequired()
                                                                .asUniqueKey()
                                                                .asCaseSensitive(),
                                                        a("value", STRING).asCaseSensitive()),
                                                Map.of(),
                                                null)))));
    }

    /** {@code allowedServerVariables}: names distributed rules may set. */
    static ElementSchema allowedServerVariables() {
        return el(
                List.of(),
                Map.of(),
                coll(
                        "add",
                        "remove",
                        "clear",
                        List.of("name"),
                        el(List.of(a("name", STRING).asRequired().asUniqueKey()), Map.of(), null)));
    }

    /** {@code providers}: declared so that files using them load; Weir runs no provider. */
    static ElementSchema providers() {
        return el(
                List.of(),
                Map.of(),
                coll(
                        "provider",
                        "remove",
                        "clear",
                        List.of("name"),
                        el(
                                List.of(
                                        a("name", STRING)
                                                .asRequired()
                                                .asUniqueKey()
                                                .asNonEmpty(),
                                        a("type", STRING).asRequired().asNonEmpty()),
                                Map.of(
                                        "settings",
                                        el(
                                                List.of(),
                                                Map.of(),
                                                coll(
                                                        "add",
                                                        "remove",
                                                        "clear",
                                                        List.of("key"),
                                                        el(
                                                                List.of(
                                                                        a("key", STRING)
                                                                                .asRequired()
                                                                                .asUniqueKey()
                                                                                .asNonEmpty(),
                                                                        a("value", STRING)
                                                                                .asCaseSensitive(),
                                                                        a("encryptedValue", STRING)
                                                                                .withDefault("[enc:AesProvider::enc]")
                                                                                .asCaseSensitive()),
                                                                Map.of(),
                                                                null)))),
                                null)));
    }
}
