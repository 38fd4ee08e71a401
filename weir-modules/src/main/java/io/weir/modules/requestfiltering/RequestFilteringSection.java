package io.weir.modules.requestfiltering;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.HttpStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code system.webServer/security/requestFiltering} section as RequestFilteringModule uses it,
 * with IIS's schema defaults. Bound once per distinct effective configuration by
 * {@link io.weir.api.http.HttpContext#config}; every lookup the module makes per request is
 * prepared here: case-insensitive names are lower-cased (ROOT locale), extensions get their dot,
 * sequences and deny strings are lower-cased for a plain {@code contains}.
 *
 * <p>Accepted and not acted on: {@code removeServerHeader} and the {@code applyToWebDAV}
 * attributes (Weir has no WebDAV), {@code filteringRule@denyUnescapedPercent}.
 *
 * @param allowDoubleEscaping       {@code allowDoubleEscaping}, default false (else 404.11)
 * @param allowHighBitCharacters    {@code allowHighBitCharacters}, default true (false → 404.12)
 * @param unescapeQueryString       {@code unescapeQueryString}, default true: query-string
 *                                  sequences and rules also scan the decoded query string
 * @param maxAllowedContentLength   {@code requestLimits@maxAllowedContentLength}, default 30000000
 * @param maxUrl                    {@code requestLimits@maxUrl}, default 4096
 * @param maxQueryString            {@code requestLimits@maxQueryString}, default 2048
 * @param headerLimits              {@code requestLimits/headerLimits}: header name (as written) to size limit
 * @param fileExtensionsAllowUnlisted {@code fileExtensions@allowUnlisted}, default true
 * @param fileExtensions            lower-cased extension with its dot ({@code "."} for none) to {@code allowed}
 * @param verbsAllowUnlisted        {@code verbs@allowUnlisted}, default true
 * @param verbs                     verb (case-sensitive, as IIS's schema says) to {@code allowed}
 * @param hiddenSegments            lower-cased hidden segments
 * @param alwaysAllowedUrls         lower-cased URLs that skip the URL-sequence check
 * @param alwaysAllowedQueryStrings lower-cased query strings that skip the query-sequence check
 * @param denyUrlSequences          lower-cased sequences denied in the URL (404.5)
 * @param denyQueryStringSequences  lower-cased sequences denied in the query string (404.18)
 * @param filteringRules            the rules, in effective order (404.19)
 * @param statusProfile             Weir's {@code weirStatusProfile}: which codes the two
 *                                  disputed limits answer with
 */
public record RequestFilteringSection(
        boolean allowDoubleEscaping,
        boolean allowHighBitCharacters,
        boolean unescapeQueryString,
        long maxAllowedContentLength,
        long maxUrl,
        long maxQueryString,
        List<HeaderLimit> headerLimits,
        boolean fileExtensionsAllowUnlisted,
        Map<String, Boolean> fileExtensions,
        boolean verbsAllowUnlisted,
        Map<String, Boolean> verbs,
        Set<String> hiddenSegments,
        Set<String> alwaysAllowedUrls,
        Set<String> alwaysAllowedQueryStrings,
        List<String> denyUrlSequences,
        List<String> denyQueryStringSequences,
        List<FilteringRule> filteringRules,
        StatusProfile statusProfile) {

    /** Binds {@code system.webServer/security/requestFiltering}; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<RequestFilteringSection> SECTION =
            ConfigSectionType.of("system.webServer/security/requestFiltering", RequestFilteringSection::from);

    /** IIS's default {@code maxAllowedContentLength}. */
    public static final long DEFAULT_MAX_ALLOWED_CONTENT_LENGTH = 30_000_000L;
    /** IIS's default {@code maxUrl}. */
    public static final long DEFAULT_MAX_URL = 4096;
    /** IIS's default {@code maxQueryString}. */
    public static final long DEFAULT_MAX_QUERY_STRING = 2048;
    /** IIS's {@code uint} maximum, the largest limit the schema accepts. */
    private static final long UINT_MAX = 0xFFFF_FFFFL;

    /**
     * Copies the collections so the record stays immutable.
     *
     * @param allowDoubleEscaping         see the class description
     * @param allowHighBitCharacters      see the class description
     * @param unescapeQueryString         see the class description
     * @param maxAllowedContentLength     see the class description
     * @param maxUrl                      see the class description
     * @param maxQueryString              see the class description
     * @param headerLimits                see the class description
     * @param fileExtensionsAllowUnlisted see the class description
     * @param fileExtensions              see the class description
     * @param verbsAllowUnlisted          see the class description
     * @param verbs                       see the class description
     * @param hiddenSegments              see the class description
     * @param alwaysAllowedUrls           see the class description
     * @param alwaysAllowedQueryStrings   see the class description
     * @param denyUrlSequences            see the class description
     * @param denyQueryStringSequences    see the class description
     * @param filteringRules              see the class description
     * @param statusProfile               see the class description
     */
    public RequestFilteringSection {
        headerLimits = List.copyOf(headerLimits);
        fileExtensions = Collections.unmodifiableMap(new HashMap<>(fileExtensions));
        verbs = Collections.unmodifiableMap(new HashMap<>(verbs));
        hiddenSegments = Set.copyOf(hiddenSegments);
        alwaysAllowedUrls = Set.copyOf(alwaysAllowedUrls);
        alwaysAllowedQueryStrings = Set.copyOf(alwaysAllowedQueryStrings);
        denyUrlSequences = List.copyOf(denyUrlSequences);
        denyQueryStringSequences = List.copyOf(denyQueryStringSequences);
        filteringRules = List.copyOf(filteringRules);
    }

    /**
     * Binds the merged section element, applying IIS's schema defaults for absent attributes and
     * elements.
     *
     * @param section the merged {@code requestFiltering} element
     * @return the record
     * @throws ConfigException if an attribute is malformed or a required one is missing
     */
    public static RequestFilteringSection from(ConfigElement section) {
        Optional<ConfigElement> limits = section.child("requestLimits");
        List<HeaderLimit> headerLimits = new ArrayList<>();
        for (ConfigElement item : items(limits, "headerLimits")) {
            headerLimits.add(new HeaderLimit(required(item, "header"), uint(item, "sizeLimit", -1)));
        }
        Optional<ConfigElement> extensions = section.child("fileExtensions");
        Map<String, Boolean> fileExtensions = new HashMap<>();
        for (ConfigElement item : items(extensions, "")) {
            String extension = required(item, "fileExtension").trim().toLowerCase(Locale.ROOT);
            fileExtensions.put(
                    extension.startsWith(".") ? extension : "." + extension, item.booleanAttribute("allowed", true));
        }
        Optional<ConfigElement> verbElement = section.child("verbs");
        Map<String, Boolean> verbs = new HashMap<>();
        for (ConfigElement item : items(verbElement, "")) {
            verbs.put(required(item, "verb").trim(), item.booleanAttribute("allowed", true));
        }
        List<FilteringRule> rules = new ArrayList<>();
        for (ConfigElement item : items(section.child("filteringRules"), "")) {
            rules.add(FilteringRule.from(item));
        }
        return new RequestFilteringSection(
                section.booleanAttribute("allowDoubleEscaping", false),
                section.booleanAttribute("allowHighBitCharacters", true),
                section.booleanAttribute("unescapeQueryString", true),
                limits.map(l -> uint(l, "maxAllowedContentLength", DEFAULT_MAX_ALLOWED_CONTENT_LENGTH))
                        .orElse(DEFAULT_MAX_ALLOWED_CONTENT_LENGTH),
                limits.map(l -> uint(l, "maxUrl", DEFAULT_MAX_URL)).orElse(DEFAULT_MAX_URL),
                limits.map(l -> uint(l, "maxQueryString", DEFAULT_MAX_QUERY_STRING))
                        .orElse(DEFAULT_MAX_QUERY_STRING),
                headerLimits,
                extensions.map(e -> e.booleanAttribute("allowUnlisted", true)).orElse(true),
                fileExtensions,
                verbElement.map(e -> e.booleanAttribute("allowUnlisted", true)).orElse(true),
                verbs,
                lowerSet(items(section.child("hiddenSegments"), ""), "segment"),
                lowerSet(items(section.child("alwaysAllowedUrls"), ""), "url"),
                lowerSet(items(section.child("alwaysAllowedQueryStrings"), ""), "queryString"),
                lowerList(items(section.child("denyUrlSequences"), ""), "sequence"),
                lowerList(items(section.child("denyQueryStringSequences"), ""), "sequence"),
                rules,
                section.enumAttribute("weirStatusProfile", StatusProfile.class, StatusProfile.IIS7));
    }

    /**
     * Tells whether the section has filtering rules, the only check that scans headers and strings.
     *
     * @return true when the section holds at least one {@code <filteringRule>}
     */
    public boolean hasFilteringRules() {
        return !filteringRules.isEmpty();
    }

    private static List<ConfigElement> items(Optional<ConfigElement> parent, String child) {
        if (parent.isEmpty()) {
            return List.of();
        }
        if (child.isEmpty()) {
            return parent.get().collection();
        }
        return parent.get().child(child).map(ConfigElement::collection).orElse(List.of());
    }

    private static String required(ConfigElement item, String name) {
        String value = item.attribute(name).orElse("");
        if (value.isBlank()) {
            throw new ConfigException(item.source(), "<" + item.elementName() + "> needs a non-empty '" + name + "'");
        }
        return value;
    }

    private static long uint(ConfigElement element, String name, long defaultValue) {
        if (defaultValue < 0 && element.attribute(name).isEmpty()) {
            throw new ConfigException(element.source(), "<" + element.elementName() + "> needs '" + name + "'");
        }
        long value = element.longAttribute(name, defaultValue);
        if (value < 0 || value > UINT_MAX) {
            throw new ConfigException(element.attributeSource(name), name + " must be between 0 and " + UINT_MAX);
        }
        return value;
    }

    private static Set<String> lowerSet(List<ConfigElement> items, String attribute) {
        Set<String> set = new HashSet<>();
        for (ConfigElement item : items) {
            set.add(required(item, attribute).toLowerCase(Locale.ROOT));
        }
        return set;
    }

    private static List<String> lowerList(List<ConfigElement> items, String attribute) {
        List<String> list = new ArrayList<>();
        for (ConfigElement item : items) {
            list.add(required(item, attribute).toLowerCase(Locale.ROOT));
        }
        return list;
    }

    /**
     * Which status codes the two limits that IIS's documentation gives two answers for use.
     * Weir's own attribute, {@code weirStatusProfile}, on the {@code requestFiltering} element.
     */
    public enum StatusProfile {
        /** The default, IIS 7 to 10's long-standing codes: 404.13 (content length) and 404.10 (header limit). */
        IIS7(new HttpStatus(404, 13, "Not Found"), new HttpStatus(404, 10, "Not Found")),
        /** What newer IIS 10 documentation lists: 413.1 and 431. */
        IIS10(
                new HttpStatus(413, 1, "Request Entity Too Large"),
                new HttpStatus(431, 0, "Request Header Fields Too Large"));

        private final HttpStatus contentTooLarge;
        private final HttpStatus headerTooLong;

        StatusProfile(HttpStatus contentTooLarge, HttpStatus headerTooLong) {
            this.contentTooLarge = contentTooLarge;
            this.headerTooLong = headerTooLong;
        }

        /**
         * Returns the status for a body over {@code maxAllowedContentLength}.
         *
         * @return 404.13 or 413.1
         */
        public HttpStatus contentTooLarge() {
            return contentTooLarge;
        }

        /**
         * Returns the status for a header over its {@code headerLimits} size.
         *
         * @return 404.10 or 431
         */
        public HttpStatus headerTooLong() {
            return headerTooLong;
        }
    }

    /**
     * One {@code requestLimits/headerLimits/add}.
     *
     * @param header    the header name (compared without case)
     * @param sizeLimit the largest value allowed, in bytes
     */
    public record HeaderLimit(String header, long sizeLimit) {}

    /**
     * One {@code filteringRules/filteringRule}: deny strings looked for, without regard to case,
     * in the parts of the request the rule scans, for requests whose extension it applies to.
     *
     * @param name            the rule's name (the key)
     * @param scanUrl         {@code scanUrl}, default false: scan the decoded URL path
     * @param scanQueryString {@code scanQueryString}, default false: scan the query string (raw,
     *                        and decoded when {@code unescapeQueryString})
     * @param scanAllRaw      {@code scanAllRaw}, default false: scan the raw request target and every
     *                        header value
     * @param scanHeaders     {@code scanHeaders/add@requestHeader}: headers whose values are scanned
     * @param appliesTo       {@code appliesTo/add@fileExtension}, lower-cased with the dot; empty: every request
     * @param denyStrings     {@code denyStrings/add@string}, lower-cased
     */
    public record FilteringRule(
            String name,
            boolean scanUrl,
            boolean scanQueryString,
            boolean scanAllRaw,
            List<String> scanHeaders,
            Set<String> appliesTo,
            List<String> denyStrings) {

        /**
         * Copies the collections.
         *
         * @param name            see the record description
         * @param scanUrl         see the record description
         * @param scanQueryString see the record description
         * @param scanAllRaw      see the record description
         * @param scanHeaders     see the record description
         * @param appliesTo       see the record description
         * @param denyStrings     see the record description
         */
        public FilteringRule {
            scanHeaders = List.copyOf(scanHeaders);
            appliesTo = Set.copyOf(appliesTo);
            denyStrings = List.copyOf(denyStrings);
        }

        /**
         * Binds one {@code <filteringRule>}.
         *
         * @param rule the merged element
         * @return the record
         * @throws ConfigException if an attribute is malformed
         */
        public static FilteringRule from(ConfigElement rule) {
            List<String> headers = new ArrayList<>();
            for (ConfigElement item : items(rule.child("scanHeaders"), "")) {
                headers.add(required(item, "requestHeader"));
            }
            Set<String> applies = new HashSet<>();
            for (String extension : lowerList(items(rule.child("appliesTo"), ""), "fileExtension")) {
                applies.add(extension.startsWith(".") ? extension : "." + extension);
            }
            return new FilteringRule(
                    required(rule, "name"),
                    rule.booleanAttribute("scanUrl", false),
                    rule.booleanAttribute("scanQueryString", false),
                    rule.booleanAttribute("scanAllRaw", false),
                    headers,
                    applies,
                    lowerList(items(rule.child("denyStrings"), ""), "string"));
        }
    }
}
