package io.weir.modules.rewrite;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.config.ConfigSource;
import io.weir.modules.rewrite.InboundRules.Condition;
import io.weir.modules.rewrite.InboundRules.MatchType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code system.webServer/rewrite/outboundRules}: rules applied to the response. A rule matches
 * either a server variable ({@code match serverVariable="RESPONSE_Location"}: a response header)
 * or attribute values of the tags {@code filterByTags} names in the body ({@code A} href,
 * {@code Area} href, {@code Base} href, {@code Form} action, {@code Frame} and {@code IFrame} src
 * and longdesc, {@code Head} profile, {@code Img} src, longdesc and usemap, {@code Input} src and
 * usemap, {@code Link} href, {@code Script} src, and {@code CustomTags} from a {@code customTags}
 * set), or, with neither, the whole body (an ECMAScript pattern searched through it, every match
 * replaced; Wildcard, ExactMatch and {@code negate} have nothing to replace in a body and are refused
 * at load). {@code occurrences} limits how many matches a body rule rewrites in one response (0:
 * all). Immutable.
 *
 * @param rules         the rules in order
 * @param preConditions the preconditions by lower-case name
 */
record OutboundRules(List<Rule> rules, Map<String, PreCondition> preConditions) {

    /** Binds the section. */
    static final ConfigSectionType<Compiled<OutboundRules>> SECTION =
            ConfigSectionType.of("system.webServer/rewrite/outboundRules", s -> Compiled.of(() -> from(s)));

    OutboundRules {
        rules = List.copyOf(rules);
        preConditions = Map.copyOf(preConditions);
    }

    /**
     * A {@code preConditions/preCondition}.
     *
     * @param name       its name
     * @param conditions its conditions (inputs are usually {@code {RESPONSE_CONTENT_TYPE}})
     * @param matchAny   {@code logicalGrouping="MatchAny"}
     */
    record PreCondition(String name, List<Condition> conditions, boolean matchAny) {}

    /**
     * One outbound {@code rule}.
     *
     * @param name             its name
     * @param enabled          {@code enabled}
     * @param stopProcessing   {@code stopProcessing}
     * @param preCondition     the precondition, or null
     * @param serverVariable   the upper-case server variable matched ({@code RESPONSE_*})
     * @param match            the pattern
     * @param negate           {@code match@negate}
     * @param conditions       the conditions
     * @param matchAny         {@code logicalGrouping="MatchAny"}
     * @param trackAllCaptures {@code trackAllCaptures} (default true for outbound rules)
     * @param tagAttributes    for a tag rule, the lower-case "tag attribute" pairs it rewrites; empty otherwise
     * @param occurrences      for a body rule, the most matches it rewrites in a response; 0 for all
     * @param rewrite          whether the action is Rewrite (else None)
     * @param value            the action's value
     * @param source           where the rule is written
     * @param rewriteBeforeCache the {@code outboundRules} element's {@code rewriteBeforeCache}: the
     *                         response is rewritten before the caches keep it, so that the
     *                         kernel-style cache may answer with the rewritten response
     */
    record Rule(
            String name,
            boolean enabled,
            boolean stopProcessing,
            PreCondition preCondition,
            String serverVariable,
            RulePattern match,
            boolean negate,
            List<Condition> conditions,
            boolean matchAny,
            boolean trackAllCaptures,
            Set<String> tagAttributes,
            long occurrences,
            boolean rewrite,
            Substitution value,
            ConfigSource source,
            boolean rewriteBeforeCache) {

        /** @return true when the rule rewrites the body (tag attributes or the whole of it) */
        boolean onBody() {
            return serverVariable.isEmpty();
        }

        /** @return true when the rule rewrites tag attributes in the body */
        boolean onTags() {
            return !tagAttributes.isEmpty();
        }
    }

    private static final Map<String, List<String>> TAG_FLAGS = Map.ofEntries(
            Map.entry("a", List.of("a href")),
            Map.entry("area", List.of("area href")),
            Map.entry("base", List.of("base href")),
            Map.entry("form", List.of("form action")),
            Map.entry("frame", List.of("frame src", "frame longdesc")),
            Map.entry("head", List.of("head profile")),
            Map.entry("iframe", List.of("iframe src", "iframe longdesc")),
            Map.entry("img", List.of("img src", "img longdesc", "img usemap")),
            Map.entry("input", List.of("input src", "input usemap")),
            Map.entry("link", List.of("link href")),
            Map.entry("script", List.of("script src")));

    /** @return true when a rule rewrites the body */
    boolean hasBodyRules() {
        for (Rule r : rules) {
            if (r.onBody() && r.enabled()) {
                return true;
            }
        }
        return false;
    }

    static OutboundRules from(ConfigElement section) {
        Map<String, PreCondition> pre = new HashMap<>();
        section.child("preConditions").ifPresent(pcs -> {
            for (ConfigElement pc : pcs.collection()) {
                RulePattern.Syntax syntax =
                        InboundRules.syntax(pc.attribute("patternSyntax").orElse("ECMAScript"));
                String name = pc.attribute("name").orElse("");
                List<Condition> conditions = new ArrayList<>();
                for (ConfigElement c : pc.collection()) {
                    conditions.add(condition(c, syntax, name));
                }
                pre.put(
                        name.toLowerCase(Locale.ROOT),
                        new PreCondition(
                                name,
                                List.copyOf(conditions),
                                pc.attribute("logicalGrouping")
                                        .orElse("MatchAll")
                                        .equalsIgnoreCase("MatchAny")));
            }
        });
        Map<String, List<String>> customTags = new HashMap<>();
        section.child("customTags").ifPresent(ct -> {
            for (ConfigElement set : ct.collection()) {
                List<String> pairs = new ArrayList<>();
                for (ConfigElement tag : set.collection()) {
                    pairs.add(tag.attribute("name").orElse("").trim().toLowerCase(Locale.ROOT) + " "
                            + tag.attribute("attribute").orElse("").trim().toLowerCase(Locale.ROOT));
                }
                customTags.put(set.attribute("name").orElse("").trim().toLowerCase(Locale.ROOT), List.copyOf(pairs));
            }
        });
        List<Rule> rules = new ArrayList<>();
        for (ConfigElement item : section.collection()) {
            String name = item.attribute("name").orElse("");
            RulePattern.Syntax syntax =
                    InboundRules.syntax(item.attribute("patternSyntax").orElse("ECMAScript"));
            PreCondition preCondition = null;
            String preName = item.attribute("preCondition").orElse("").trim();
            if (!preName.isEmpty()) {
                preCondition = pre.get(preName.toLowerCase(Locale.ROOT));
                if (preCondition == null) {
                    throw new ConfigException(
                            item.attributeSource("preCondition"),
                            "the outbound rule '" + name + "' names the precondition '" + preName
                                    + "', which preConditions does not define");
                }
            }
            ConfigElement match = item.child("match").orElse(null);
            String variable = match == null
                    ? ""
                    : match.attribute("serverVariable").orElse("").trim();
            String tags = match == null
                    ? "None"
                    : match.attribute("filterByTags").orElse("None").trim();
            Set<String> tagAttributes = new LinkedHashSet<>();
            if (variable.isEmpty()) {
                for (String flag : tags.split(",")) {
                    String f = flag.trim().toLowerCase(Locale.ROOT);
                    if (f.equals("customtags")) {
                        String set = match.attribute("customTags").orElse("").trim();
                        List<String> custom = customTags.get(set.toLowerCase(Locale.ROOT));
                        if (custom == null) {
                            throw new ConfigException(
                                    match.source(),
                                    "the outbound rule '" + name + "' names the" + " custom tags '" + set
                                            + "', which customTags does not define");
                        }
                        tagAttributes.addAll(custom);
                    } else if (TAG_FLAGS.containsKey(f)) {
                        tagAttributes.addAll(TAG_FLAGS.get(f));
                    }
                }
                if (tagAttributes.isEmpty() && match != null) {
                    if (syntax != RulePattern.Syntax.ECMASCRIPT) {
                        throw new ConfigException(
                                match.source(),
                                "the outbound rule '" + name + "' matches the whole"
                                        + " response body with patternSyntax " + syntax
                                        + ": a body rule needs an ECMAScript"
                                        + " pattern, whose matches it replaces");
                    }
                    if (match.booleanAttribute("negate", false)) {
                        throw new ConfigException(
                                match.source(),
                                "the outbound rule '" + name + "' matches the whole"
                                        + " response body with negate=\"true\": there is no match to replace");
                    }
                }
            } else if (!(tags.isEmpty() || tags.equalsIgnoreCase("None"))) {
                throw new ConfigException(
                        match.source(), "the outbound rule '" + name + "' sets both serverVariable and filterByTags");
            }
            if (match == null) {
                throw new ConfigException(item.source(), "the outbound rule '" + name + "' has no match element");
            }
            String pattern = match.attribute("pattern").orElse(null);
            if (pattern == null) {
                throw new ConfigException(match.source(), "the outbound rule '" + name + "' has no match pattern");
            }
            List<Condition> conditions = new ArrayList<>();
            boolean matchAny = false;
            boolean trackAll = true;
            ConfigElement ce = item.child("conditions").orElse(null);
            if (ce != null) {
                matchAny = ce.attribute("logicalGrouping").orElse("MatchAll").equalsIgnoreCase("MatchAny");
                trackAll = ce.booleanAttribute("trackAllCaptures", true);
                for (ConfigElement c : ce.collection()) {
                    conditions.add(condition(c, syntax, name));
                }
            }
            ConfigElement action = item.child("action").orElse(null);
            boolean rewrite =
                    action != null && action.attribute("type").orElse("None").equalsIgnoreCase("Rewrite");
            String value = action == null ? "" : action.attribute("value").orElse("");
            rules.add(new Rule(
                    name,
                    item.booleanAttribute("enabled", true),
                    item.booleanAttribute("stopProcessing", false),
                    preCondition,
                    variable.toUpperCase(Locale.ROOT),
                    RulePattern.compile(pattern, syntax, match.booleanAttribute("ignoreCase", true), match.source()),
                    match.booleanAttribute("negate", false),
                    List.copyOf(conditions),
                    matchAny,
                    trackAll,
                    Set.copyOf(tagAttributes),
                    Math.max(0, match.longAttribute("occurrences", 0)),
                    rewrite,
                    Substitution.parse(value, action == null ? item.source() : action.source()),
                    item.source(),
                    section.booleanAttribute("rewriteBeforeCache", false)));
        }
        return new OutboundRules(rules, pre);
    }

    private static Condition condition(ConfigElement c, RulePattern.Syntax syntax, String owner) {
        String input = c.attribute("input").orElse(null);
        String pattern = c.attribute("pattern").orElse(null);
        if (input == null || pattern == null) {
            throw new ConfigException(c.source(), "a condition of '" + owner + "' needs an input and a pattern");
        }
        return new Condition(
                Substitution.parse(input, c.source()),
                MatchType.PATTERN,
                RulePattern.compile(pattern, syntax, c.booleanAttribute("ignoreCase", true), c.source()),
                c.booleanAttribute("negate", false),
                c.source());
    }
}
