package io.weir.config.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table of configuration sections Weir implements, in the spirit of IIS's
 * {@code IIS_schema.xml}: for each section, its collections (directive names, key attributes,
 * append or prepend) and the attributes IIS expands. Sections declared in a file's
 * {@code <configSections>} but absent from this table are read, checked for well-formedness,
 * and reported as unsupported. This is the one place the set of implemented sections lives.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfigSchema {

    /** {@code system.applicationHost/sites}. */
    public static final String SITES = "system.applicationHost/sites";
    /** {@code system.webServer/globalModules}. */
    public static final String GLOBAL_MODULES = "system.webServer/globalModules";
    /** {@code system.webServer/modules}. */
    public static final String MODULES = "system.webServer/modules";
    /** {@code system.webServer/handlers}. */
    public static final String HANDLERS = "system.webServer/handlers";
    /** {@code system.webServer/defaultDocument}. */
    public static final String DEFAULT_DOCUMENT = "system.webServer/defaultDocument";
    /** {@code system.webServer/directoryBrowse}. */
    public static final String DIRECTORY_BROWSE = "system.webServer/directoryBrowse";
    /** {@code system.webServer/staticContent}. */
    public static final String STATIC_CONTENT = "system.webServer/staticContent";
    /** {@code system.webServer/security/requestFiltering}. */
    public static final String REQUEST_FILTERING = "system.webServer/security/requestFiltering";
    /** {@code system.webServer/security/authentication/anonymousAuthentication}. */
    public static final String ANONYMOUS_AUTHENTICATION =
            "system.webServer/security/authentication/anonymousAuthentication";
    /** {@code system.webServer/security/authentication/basicAuthentication}. */
    public static final String BASIC_AUTHENTICATION = "system.webServer/security/authentication/basicAuthentication";
    /** {@code system.webServer/security/authorization}: allow/deny rules, keyed by users + roles + verbs. */
    public static final String AUTHORIZATION = "system.webServer/security/authorization";
    /** {@code system.webServer/security/ipSecurity}: rules keyed by ipAddress + subnetMask + domainName. */
    public static final String IP_SECURITY = "system.webServer/security/ipSecurity";
    /** {@code system.webServer/security/dynamicIpSecurity}. */
    public static final String DYNAMIC_IP_SECURITY = "system.webServer/security/dynamicIpSecurity";
    /** {@code system.webServer/httpErrors}: error pages keyed by statusCode + subStatusCode. */
    public static final String HTTP_ERRORS = "system.webServer/httpErrors";
    /** {@code system.webServer/httpRedirect}: wildcard rules keyed by wildcard. */
    public static final String HTTP_REDIRECT = "system.webServer/httpRedirect";
    /** {@code system.webServer/httpProtocol}: customHeaders and redirectHeaders. */
    public static final String HTTP_PROTOCOL = "system.webServer/httpProtocol";
    /** {@code system.applicationHost/log}: the server-wide logging mode and central log files. */
    public static final String LOG = "system.applicationHost/log";

    private static final Map<String, ElementSchema> SECTIONS = Map.ofEntries(
            Map.entry(SITES, sites()),
            Map.entry(GLOBAL_MODULES, collectionOf(addRemoveClear("add", List.of("name"), true, true,
                    new ElementSchema(Set.of("image"), Map.of(), Optional.empty())))),
            Map.entry(MODULES, collectionOf(addRemoveClear("add", List.of("name"), true, true, ElementSchema.PLAIN))),
            Map.entry(HANDLERS, collectionOf(addRemoveClear("add", List.of("name"), true, false,
                    new ElementSchema(Set.of("scriptProcessor"), Map.of(), Optional.empty())))),
            Map.entry(DEFAULT_DOCUMENT, new ElementSchema(Set.of(),
                    Map.of("files", collectionOf(addRemoveClear("add", List.of("value"), false, false,
                            ElementSchema.PLAIN))),
                    Optional.empty())),
            Map.entry(DIRECTORY_BROWSE, ElementSchema.PLAIN),
            Map.entry("system.webServer/tracing/traceFailedRequests", traceFailedRequests()),
            Map.entry(STATIC_CONTENT, new ElementSchema(Set.of(), Map.of("clientCache", ElementSchema.PLAIN),
                    Optional.of(addRemoveClear("mimeMap", List.of("fileExtension"), false, true,
                            ElementSchema.PLAIN)))),
            Map.entry(REQUEST_FILTERING, requestFiltering()),
            Map.entry(ANONYMOUS_AUTHENTICATION, ElementSchema.PLAIN),
            Map.entry(BASIC_AUTHENTICATION, ElementSchema.PLAIN),
            Map.entry(AUTHORIZATION, collectionOf(addRemoveClear("add", List.of("users", "roles", "verbs"), false,
                    true, ElementSchema.PLAIN))),
            Map.entry(IP_SECURITY, collectionOf(addRemoveClear("add", List.of("ipAddress", "subnetMask", "domainName"),
                    false, true, ElementSchema.PLAIN))),
            Map.entry(DYNAMIC_IP_SECURITY, new ElementSchema(Set.of(), Map.of(
                    "denyByConcurrentRequests", ElementSchema.PLAIN,
                    "denyByRequestRate", ElementSchema.PLAIN), Optional.empty())),
            Map.entry(HTTP_ERRORS, new ElementSchema(Set.of("defaultPath"), Map.of(),
                    Optional.of(addRemoveClear("error", List.of("statusCode", "subStatusCode"), false, true,
                            new ElementSchema(Set.of("prefixLanguageFilePath", "path"), Map.of(),
                                    Optional.empty()))))),
            Map.entry(HTTP_REDIRECT, collectionOf(addRemoveClear("add", List.of("wildcard"), false, true,
                    ElementSchema.PLAIN))),
            Map.entry(HTTP_PROTOCOL, new ElementSchema(Set.of(), Map.of(
                    "customHeaders", collectionOf(addRemoveClear("add", List.of("name"), false, true,
                            ElementSchema.PLAIN)),
                    "redirectHeaders", collectionOf(addRemoveClear("add", List.of("name"), false, true,
                            ElementSchema.PLAIN))), Optional.empty())),
            Map.entry(LOG, new ElementSchema(Set.of(), Map.of(
                    "centralBinaryLogFile", new ElementSchema(Set.of("directory"), Map.of(), Optional.empty()),
                    "centralW3CLogFile", new ElementSchema(Set.of("directory"), Map.of(), Optional.empty())),
                    Optional.empty())));

    private ConfigSchema() {
    }

    /**
     * Returns the schema of an implemented section.
     *
     * @param sectionPath the section's full name, for example {@code "system.webServer/handlers"}
     * @return the section's root element schema, or empty when Weir does not implement the section
     */
    public static Optional<ElementSchema> section(String sectionPath) {
        return Optional.ofNullable(SECTIONS.get(sectionPath));
    }

    /**
     * Returns the names of the implemented sections.
     *
     * @return the full section names
     */
    public static Set<String> implementedSections() {
        return SECTIONS.keySet();
    }

    private static ElementSchema sites() {
        ElementSchema virtualDirectory = new ElementSchema(Set.of("physicalPath"), Map.of(), Optional.empty());
        ElementSchema application = collectionOf(new CollectionSchema("virtualDirectory", Optional.empty(),
                Optional.empty(), List.of("path"), false, true, virtualDirectory));
        ElementSchema logFile = new ElementSchema(Set.of("directory"), Map.of(), Optional.empty());
        ElementSchema bindings = collectionOf(new CollectionSchema("binding", Optional.empty(), Optional.of("clear"),
                List.of("protocol", "bindingInformation"), false, true, ElementSchema.PLAIN));
        ElementSchema site = new ElementSchema(Set.of(),
                Map.of("bindings", bindings, "logFile", logFile, "traceFailedRequestsLogging", logFile),
                Optional.of(new CollectionSchema("application", Optional.empty(), Optional.empty(),
                        List.of("path"), false, true, application)));
        ElementSchema siteDefaults = new ElementSchema(Set.of(),
                Map.of("logFile", logFile, "traceFailedRequestsLogging", logFile), Optional.empty());
        return new ElementSchema(Set.of(),
                Map.of("siteDefaults", siteDefaults, "virtualDirectoryDefaults", virtualDirectory),
                Optional.of(new CollectionSchema("site", Optional.empty(), Optional.empty(), List.of("name"),
                        false, true, site)));
    }

    /**
     * {@code tracing/traceFailedRequests}, after IIS_schema.xml: rules keyed by {@code path} (no case),
     * each with a {@code traceAreas} collection keyed by {@code provider} and a plain
     * {@code failureDefinitions} element; {@code customActionExe} and {@code customActionParams} are
     * expanded.
     */
    private static ElementSchema traceFailedRequests() {
        ElementSchema rule = new ElementSchema(Set.of("customActionExe", "customActionParams"), Map.of(
                "traceAreas", collectionOf(addRemoveClear("add", List.of("provider"), false, true, ElementSchema.PLAIN)),
                "failureDefinitions", ElementSchema.PLAIN), Optional.empty());
        return collectionOf(addRemoveClear("add", List.of("path"), false, true, rule));
    }

    /**
     * {@code requestFiltering}, after IIS_schema.xml: every collection uses add/remove/clear, keys
     * compare without case except {@code verbs/add@verb}, and {@code filteringRules} holds
     * {@code <filteringRule>} items with three collections of their own.
     */
    private static ElementSchema requestFiltering() {
        ElementSchema headerLimits = collectionOf(addRemoveClear("add", List.of("header"), false, true,
                ElementSchema.PLAIN));
        ElementSchema filteringRule = new ElementSchema(Set.of(), Map.of(
                "scanHeaders", collectionOf(addRemoveClear("add", List.of("requestHeader"), false, true,
                        ElementSchema.PLAIN)),
                "appliesTo", collectionOf(addRemoveClear("add", List.of("fileExtension"), false, true,
                        ElementSchema.PLAIN)),
                "denyStrings", collectionOf(addRemoveClear("add", List.of("string"), false, true,
                        ElementSchema.PLAIN))),
                Optional.empty());
        return new ElementSchema(Set.of(), Map.of(
                "fileExtensions", collectionOf(addRemoveClear("add", List.of("fileExtension"), false, true,
                        ElementSchema.PLAIN)),
                "requestLimits", new ElementSchema(Set.of(), Map.of("headerLimits", headerLimits), Optional.empty()),
                "verbs", collectionOf(addRemoveClear("add", List.of("verb"), true, true, ElementSchema.PLAIN)),
                "hiddenSegments", collectionOf(addRemoveClear("add", List.of("segment"), false, true,
                        ElementSchema.PLAIN)),
                "alwaysAllowedUrls", collectionOf(addRemoveClear("add", List.of("url"), false, true,
                        ElementSchema.PLAIN)),
                "alwaysAllowedQueryStrings", collectionOf(addRemoveClear("add", List.of("queryString"), false, true,
                        ElementSchema.PLAIN)),
                "denyUrlSequences", collectionOf(addRemoveClear("add", List.of("sequence"), false, true,
                        ElementSchema.PLAIN)),
                "denyQueryStringSequences", collectionOf(addRemoveClear("add", List.of("sequence"), false, true,
                        ElementSchema.PLAIN)),
                "filteringRules", collectionOf(addRemoveClear("filteringRule", List.of("name"), false, true,
                        filteringRule))),
                Optional.empty());
    }

    private static CollectionSchema addRemoveClear(String addElement, List<String> keys, boolean caseSensitive,
            boolean mergeAppend, ElementSchema item) {
        return new CollectionSchema(addElement, Optional.of("remove"), Optional.of("clear"), keys, caseSensitive,
                mergeAppend, item);
    }

    private static ElementSchema collectionOf(CollectionSchema collection) {
        return new ElementSchema(Set.of(), Map.of(), Optional.of(collection));
    }
}
