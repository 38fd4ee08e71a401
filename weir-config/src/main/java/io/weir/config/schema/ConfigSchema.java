package io.weir.config.schema;

import static io.weir.config.schema.AttributeType.BOOL;
import static io.weir.config.schema.AttributeType.ENUM;
import static io.weir.config.schema.AttributeType.FLAGS;
import static io.weir.config.schema.AttributeType.INT;
import static io.weir.config.schema.AttributeType.INT64;
import static io.weir.config.schema.AttributeType.STRING;
import static io.weir.config.schema.AttributeType.TIME_SPAN;
import static io.weir.config.schema.AttributeType.UINT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The table of configuration sections Weir implements, in the spirit of IIS's
 * {@code IIS_schema.xml} (docs/reference/configuration-system.md, "Files and levels", "Merging attributes and collections"): for each section, every
 * attribute with its type, IIS's default, its enum or flag names, whether it is required, a key
 * (unique or combined) or case-sensitive, its validators (integer range, non-empty) and whether
 * {@code %VAR%} is expanded; every child element; every collection with its directive names, key
 * and append/prepend order. Files are checked against it: an undeclared attribute or element, a
 * malformed value, a missing required attribute is refused with its file, line and column.
 * This is the one place the set of sections Weir implements lives; modules add sections of their
 * own with schema files in IIS's format ({@link SchemaFile}, {@link SectionSchemas}). Sections
 * declared in a file's {@code <configSections>} that neither declares are read, checked for
 * well-formedness, and reported as unsupported.
 *
 * <p>The declarations follow IIS Express's {@code IIS_schema.xml} (SchemaDefaultsTest compares
 * the defaults with it). Weir's own attributes are listed in {@link #WEIR_EXTENSIONS}, one line
 * each: to add one, add a line there.
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
    /** {@code system.webServer/security/access}: the TLS a URL requires ({@code sslFlags}). */
    public static final String ACCESS = "system.webServer/security/access";
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
    /** {@code system.applicationHost/webLimits}: the server-wide connection timeouts and rate floor. */
    public static final String WEB_LIMITS = "system.applicationHost/webLimits";
    /**
     * {@code system.applicationHost/weirHttpLimits}: Weir's own section for what IIS keeps in
     * http.sys's registry (head size limits) plus a server-wide connection cap.
     */
    public static final String WEIR_HTTP_LIMITS = "system.applicationHost/weirHttpLimits";

    /**
     * {@code system.webServer/weirSymbolicLinks}: Weir's own section (after nginx's
     * {@code disable_symlinks}) saying whether files are served through symbolic links, per site,
     * application or folder.
     */
    public static final String WEIR_SYMBOLIC_LINKS = "system.webServer/weirSymbolicLinks";
    /** {@code system.webServer/httpLogging}: dontLog and selectiveLogging per URL. */
    public static final String HTTP_LOGGING = "system.webServer/httpLogging";
    /** {@code system.webServer/tracing/traceFailedRequests}: failed-request tracing rules keyed by path. */
    public static final String TRACE_FAILED_REQUESTS = "system.webServer/tracing/traceFailedRequests";
    /** {@code system.webServer/fastCgi}: FastCGI applications keyed by fullPath + arguments. */
    public static final String FAST_CGI = "system.webServer/fastCgi";
    /** {@code system.webServer/cgi}: CGI process settings. */
    public static final String CGI = "system.webServer/cgi";
    /** {@code system.webServer/security/isapiCgiRestriction}: the executables CGI may run, keyed by path. */
    public static final String ISAPI_CGI_RESTRICTION = "system.webServer/security/isapiCgiRestriction";
    /** {@code system.webServer/rewrite/globalRules}: URL Rewrite's server-wide inbound rules, keyed by name. */
    public static final String REWRITE_GLOBAL_RULES = "system.webServer/rewrite/globalRules";
    /** {@code system.webServer/rewrite/rules}: URL Rewrite's distributed inbound rules, keyed by name. */
    public static final String REWRITE_RULES = "system.webServer/rewrite/rules";
    /** {@code system.webServer/rewrite/outboundRules}: URL Rewrite's response rules and preconditions. */
    public static final String REWRITE_OUTBOUND_RULES = "system.webServer/rewrite/outboundRules";
    /** {@code system.webServer/rewrite/rewriteMaps}: URL Rewrite's key/value maps, keyed by name. */
    public static final String REWRITE_MAPS = "system.webServer/rewrite/rewriteMaps";
    /** {@code system.webServer/rewrite/allowedServerVariables}: the variables distributed rules may set. */
    public static final String REWRITE_ALLOWED_SERVER_VARIABLES = "system.webServer/rewrite/allowedServerVariables";
    /** {@code system.webServer/rewrite/providers}: URL Rewrite's provider declarations (read, not run). */
    public static final String REWRITE_PROVIDERS = "system.webServer/rewrite/providers";

    /**
     * Weir's additions to IIS's schema, one line per attribute: the section, the path of the
     * element inside it ({@code ""} for the section element, {@code "add"} for its collection's
     * items, {@code "requestLimits/headerLimits/add"} for deeper ones: each step is a child element
     * or the collection's add directive), and the attribute.
     */
    /** {@code system.webServer/proxy}: Application Request Routing's reverse proxy settings. */
    public static final String PROXY = "system.webServer/proxy";
    /** {@code system.webServer/webSocket}: read by the engine when a handler accepts an upgrade. */
    public static final String WEB_SOCKET = "system.webServer/webSocket";
    /** {@code system.webServer/aspNetCore}: the ASP.NET Core Module's application process. */
    public static final String ASP_NET_CORE = "system.webServer/aspNetCore";
    /** {@code webFarms}: Application Request Routing's server farms (applicationHost.config only). */
    public static final String WEB_FARMS = "webFarms";
    /** {@code system.webServer/httpCompression}: compression schemes, types and the compressed-file cache. */
    public static final String HTTP_COMPRESSION = "system.webServer/httpCompression";
    /** {@code system.webServer/urlCompression}: whether static and dynamic compression run for a URL. */
    public static final String URL_COMPRESSION = "system.webServer/urlCompression";
    /** {@code system.webServer/serverRuntime}: read for {@code frequentHitThreshold}/{@code frequentHitTimePeriod}. */
    public static final String SERVER_RUNTIME = "system.webServer/serverRuntime";
    /** The HttpCacheModule's output cache and kernel cache settings. */
    public static final String CACHING = "system.webServer/caching";

    private static final List<Extension> WEIR_EXTENSIONS = List.of(
            // globalModules/add@type: a ModuleRegistration class on the class path (or in the image JAR)
            new Extension(
                    GLOBAL_MODULES, "add", a("type", STRING).asCaseSensitive().asWeirExtension()),
            // requestFiltering@weirStatusProfile: IIS7 (404.13, 404.10) or IIS10 (413.1, 431) status codes
            new Extension(
                    REQUEST_FILTERING,
                    "",
                    a("weirStatusProfile", ENUM)
                            .withDefault("IIS7")
                            .withValues("IIS7", 0L, "IIS10", 1L)
                            .asWeirExtension()),
            // basicAuthentication@weirUserFile: the user file ("name:bcrypt-hash[:roles]" lines)
            new Extension(
                    BASIC_AUTHENTICATION,
                    "",
                    a("weirUserFile", STRING).asCaseSensitive().asExpanded().asWeirExtension()),
            // basicAuthentication@weirAllowPlainHttp: accept Basic credentials on a connection without TLS
            new Extension(
                    BASIC_AUTHENTICATION,
                    "",
                    a("weirAllowPlainHttp", BOOL).withDefault("false").asWeirExtension()),
            // binding@certificateHash: the SHA-1 thumbprint of an https binding's certificate (IIS keeps it in
            // http.sys)
            new Extension(
                    SITES, "site/bindings/binding", a("certificateHash", STRING).asWeirExtension()),
            // binding@certificateStoreName: the certificate store (a sub-folder of weirCertificateStorePath)
            new Extension(
                    SITES,
                    "site/bindings/binding",
                    a("certificateStoreName", STRING).withDefault("My").asWeirExtension()),
            // binding@weirNegotiateClientCertificate: TLS handshakes ask for a client certificate (optional)
            new Extension(
                    SITES,
                    "site/bindings/binding",
                    a("weirNegotiateClientCertificate", BOOL)
                            .withDefault("false")
                            .asWeirExtension()),
            // sites@weirCertificateStorePath: the folder of certificate stores, one sub-folder per store name
            new Extension(
                    SITES,
                    "",
                    a("weirCertificateStorePath", STRING)
                            .withDefault("certificates")
                            .asExpanded()
                            .asCaseSensitive()
                            .asWeirExtension()),
            // sites@weirCentralCertificateStorePath: the central certificate store folder (host.pfx files)
            new Extension(
                    SITES,
                    "",
                    a("weirCentralCertificateStorePath", STRING)
                            .asExpanded()
                            .asCaseSensitive()
                            .asWeirExtension()),
            // sites@weirCentralCertificateStorePasswordFile: a file holding the central store's PFX password
            new Extension(
                    SITES,
                    "",
                    a("weirCentralCertificateStorePasswordFile", STRING)
                            .asExpanded()
                            .asCaseSensitive()
                            .asWeirExtension()),
            // sites@weirCentralCertificateStorePasswordVariable: the environment variable holding that password
            new Extension(
                    SITES,
                    "",
                    a("weirCentralCertificateStorePasswordVariable", STRING)
                            .withDefault("WEIR_CCS_PASSWORD")
                            .asCaseSensitive()
                            .asWeirExtension()),
            // binding@weirSslCtlStoreName: the store of the authorities client certificates are checked against
            new Extension(
                    SITES,
                    "site/bindings/binding",
                    a("weirSslCtlStoreName", STRING).withDefault("Root").asWeirExtension()),
            // sites@weirSslProvider: OpenSsl (BoringSSL through netty-tcnative) or Jdk
            new Extension(
                    SITES,
                    "",
                    a("weirSslProvider", ENUM)
                            .withDefault("OpenSsl")
                            .withValues("OpenSsl", 0L, "Jdk", 1L)
                            .asWeirExtension()),
            // httpCompression@weirServePrecompressed: serve file.br / file.zst / file.gz beside a static file
            new Extension(
                    HTTP_COMPRESSION,
                    "",
                    a("weirServePrecompressed", BOOL).withDefault("false").asWeirExtension()),
            // sites@weirH2c: serve HTTP/2 without TLS on http bindings (prior knowledge and Upgrade: h2c)
            new Extension(SITES, "", a("weirH2c", BOOL).withDefault("false").asWeirExtension()),
            // sites@weirHttp3: https listeners also serve HTTP/3 over QUIC on their UDP port
            new Extension(SITES, "", a("weirHttp3", BOOL).withDefault("true").asWeirExtension()));

    /** One Weir attribute added to IIS's schema. @param section the section @param element the element path @param attribute the attribute */
    private record Extension(String section, String element, AttributeSchema attribute) {}

    private static final Map<String, ElementSchema> SECTIONS = sections();

    private static Map<String, ElementSchema> sections() {
        Map<String, ElementSchema> sections = new LinkedHashMap<>();
        sections.put(SITES, applicationHostSites());
        sections.put(GLOBAL_MODULES, globalModules());
        sections.put(MODULES, modules());
        sections.put(HANDLERS, handlers());
        sections.put(DEFAULT_DOCUMENT, defaultDocument());
        sections.put(DIRECTORY_BROWSE, directoryBrowse());
        sections.put(STATIC_CONTENT, staticContent());
        sections.put(REQUEST_FILTERING, requestFiltering());
        sections.put(ANONYMOUS_AUTHENTICATION, anonymousAuthentication());
        sections.put(BASIC_AUTHENTICATION, basicAuthentication());
        sections.put(ACCESS, access());
        sections.put(AUTHORIZATION, authorization());
        sections.put(IP_SECURITY, ipSecurity());
        sections.put(DYNAMIC_IP_SECURITY, dynamicIpSecurity());
        sections.put(HTTP_ERRORS, httpErrors());
        sections.put(HTTP_REDIRECT, httpRedirect());
        sections.put(HTTP_PROTOCOL, httpProtocol());
        sections.put(LOG, applicationHostLog());
        sections.put(WEB_LIMITS, webLimits());
        sections.put(WEIR_HTTP_LIMITS, weirHttpLimits());
        sections.put(
                WEIR_SYMBOLIC_LINKS,
                el(
                        List.of(a("mode", ENUM)
                                .withDefault("Follow")
                                .withValues("Follow", 0L, "RefuseOutsideRoot", 1L, "RefuseAll", 2L)),
                        Map.of(),
                        null));
        sections.put(HTTP_LOGGING, httpLogging());
        sections.put(TRACE_FAILED_REQUESTS, traceFailedRequests());
        sections.put(FAST_CGI, fastCgi());
        sections.put(CGI, cgi());
        sections.put(ISAPI_CGI_RESTRICTION, isapiCgiRestriction());
        sections.put(REWRITE_GLOBAL_RULES, RewriteSchema.inboundRules(true));
        sections.put(REWRITE_RULES, RewriteSchema.inboundRules(false));
        sections.put(REWRITE_OUTBOUND_RULES, RewriteSchema.outboundRules());
        sections.put(REWRITE_MAPS, RewriteSchema.rewriteMaps());
        sections.put(REWRITE_ALLOWED_SERVER_VARIABLES, RewriteSchema.allowedServerVariables());
        sections.put(REWRITE_PROVIDERS, RewriteSchema.providers());
        sections.put(PROXY, proxy());
        sections.put(WEB_SOCKET, webSocket());
        sections.put(WEB_FARMS, webFarms());
        sections.put(ASP_NET_CORE, AspNetCoreSchema.aspNetCore());
        sections.put(HTTP_COMPRESSION, CompressionSchema.httpCompression());
        sections.put(URL_COMPRESSION, CompressionSchema.urlCompression());
        sections.put(SERVER_RUNTIME, CompressionSchema.serverRuntime());
        sections.put(CACHING, CachingSchema.caching());
        for (Extension extension : WEIR_EXTENSIONS) {
            sections.put(
                    extension.section(),
                    extend(
                            sections.get(extension.section()),
                            extension.element().isEmpty()
                                    ? List.of()
                                    : List.of(extension.element().split("/")),
                            extension.attribute()));
        }
        return Map.copyOf(sections);
    }

    private ConfigSchema() {}

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

    /**
     * Returns the attributes Weir adds to IIS's schema, for documentation and the schema test.
     *
     * @return "section|element path|attribute" strings, one per addition
     */
    public static List<String> weirExtensions() {
        List<String> out = new ArrayList<>();
        for (Extension extension : WEIR_EXTENSIONS) {
            out.add(extension.section() + "|" + extension.element() + "|"
                    + extension.attribute().name());
        }
        return List.copyOf(out);
    }

    private static ElementSchema extend(ElementSchema schema, List<String> path, AttributeSchema attribute) {
        if (path.isEmpty()) {
            return schema.withAttribute(attribute);
        }
        String step = path.get(0);
        List<String> rest = path.subList(1, path.size());
        if (schema.collection().isPresent()
                && schema.collection().get().addElement().equals(step)) {
            CollectionSchema c = schema.collection().get();
            return new ElementSchema(
                    schema.attributes(),
                    schema.children(),
                    Optional.of(new CollectionSchema(
                            c.addElement(),
                            c.removeElement(),
                            c.clearElement(),
                            c.keyAttributes(),
                            c.caseSensitiveKeys(),
                            c.mergeAppend(),
                            extend(c.item(), rest, attribute))),
                    schema.typed());
        }
        ElementSchema child = schema.children().get(step);
        if (child == null) {
            throw new IllegalStateException("no element '" + step + "' to extend with '" + attribute.name() + "'");
        }
        Map<String, ElementSchema> children = new LinkedHashMap<>(schema.children());
        children.put(step, extend(child, rest, attribute));
        return new ElementSchema(schema.attributes(), children, schema.collection(), schema.typed());
    }

    // ---------------------------------------------------------------------------------------------
    // The declaration language: a(name, type) attributes, el(...) elements, coll(...) collections
    // ---------------------------------------------------------------------------------------------

    private static AttributeSchema a(String name, AttributeType type) {
        return AttributeSchema.of(name, type);
    }

    private static ElementSchema el(
            List<AttributeSchema> attributes, Map<String, ElementSchema> children, CollectionSchema collection) {
        return ElementSchema.typed(attributes, children, Optional.ofNullable(collection));
    }

    private static CollectionSchema coll(
            String add,
            String remove,
            String clear,
            List<String> keys,
            boolean caseSensitiveKeys,
            boolean mergeAppend,
            ElementSchema item) {
        return new CollectionSchema(
                add,
                Optional.ofNullable(remove),
                Optional.ofNullable(clear),
                keys,
                caseSensitiveKeys,
                mergeAppend,
                item);
    }

    // ---------------------------------------------------------------------------------------------
    // The sections, after IIS_schema.xml
    // ---------------------------------------------------------------------------------------------

    /** {@code system.applicationHost/sites}. */
    private static ElementSchema applicationHostSites() {
        return el(
                List.of(),
                Map.ofEntries(
                        Map.entry(
                                "siteDefaults",
                                el(
                                        List.of(
                                                a("name", STRING),
                                                a("id", UINT),
                                                a("serverAutoStart", BOOL).withDefault("true")),
                                        Map.ofEntries(
                                                Map.entry(
                                                        "bindings",
                                                        el(
                                                                List.of(),
                                                                Map.of(),
                                                                coll(
                                                                        "binding",
                                                                        null,
                                                                        "clear",
                                                                        List.of("protocol", "bindingInformation"),
                                                                        false,
                                                                        true,
                                                                        el(
                                                                                List.of(
                                                                                        a("protocol", STRING)
                                                                                                .asRequired()
                                                                                                .asCombinedKey()
                                                                                                .asNonEmpty(),
                                                                                        a("bindingInformation", STRING)
                                                                                                .asRequired()
                                                                                                .asCombinedKey()
                                                                                                .asNonEmpty(),
                                                                                        a("sslFlags", UINT)
                                                                                                .withDefault("0")),
                                                                                Map.of(),
                                                                                null)))),
                                                Map.entry("limits", siteLimits()),
                                                Map.entry("hsts", hsts()),
                                                Map.entry("logFile", logFile(false)),
                                                Map.entry(
                                                        "traceFailedRequestsLogging",
                                                        traceFailedRequestsLogging(
                                                                "%SystemDrive%\\inetpub\\FailedReqLogFiles"))),
                                        null)),
                        Map.entry(
                                "applicationDefaults",
                                el(
                                        List.of(
                                                a("path", STRING),
                                                a("applicationPool", STRING),
                                                a("enabledProtocols", STRING).withDefault("http")),
                                        Map.of(),
                                        null)),
                        Map.entry(
                                "virtualDirectoryDefaults",
                                el(
                                        List.of(
                                                a("path", STRING),
                                                a("physicalPath", STRING).asExpanded(),
                                                a("userName", STRING),
                                                a("password", STRING).asCaseSensitive(),
                                                a("logonMethod", ENUM)
                                                        .withDefault("ClearText")
                                                        .withValues(
                                                                "Interactive",
                                                                0L,
                                                                "Batch",
                                                                1L,
                                                                "Network",
                                                                2L,
                                                                "ClearText",
                                                                3L),
                                                a("allowSubDirConfig", BOOL).withDefault("true")),
                                        Map.of(),
                                        null))),
                coll(
                        "site",
                        null,
                        null,
                        List.of("name"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("name", STRING).asUniqueKey(),
                                        a("id", UINT).asUniqueKey(),
                                        a("serverAutoStart", BOOL).withDefault("true")),
                                Map.ofEntries(
                                        Map.entry(
                                                "bindings",
                                                el(
                                                        List.of(),
                                                        Map.of(),
                                                        coll(
                                                                "binding",
                                                                null,
                                                                "clear",
                                                                List.of("protocol", "bindingInformation"),
                                                                false,
                                                                true,
                                                                el(
                                                                        List.of(
                                                                                a("protocol", STRING)
                                                                                        .asRequired()
                                                                                        .asCombinedKey()
                                                                                        .asNonEmpty(),
                                                                                a("bindingInformation", STRING)
                                                                                        .asRequired()
                                                                                        .asCombinedKey()
                                                                                        .asNonEmpty(),
                                                                                a("sslFlags", UINT)
                                                                                        .withDefault("0")),
                                                                        Map.of(),
                                                                        null)))),
                                        Map.entry("limits", siteLimits()),
                                        Map.entry("hsts", hsts()),
                                        Map.entry("logFile", logFile(true)),
                                        Map.entry(
                                                "traceFailedRequestsLogging",
                                                traceFailedRequestsLogging(
                                                        "%SystemDrive%\\inetpub\\logs\\FailedReqLogFiles")),
                                        Map.entry(
                                                "applicationDefaults",
                                                el(
                                                        List.of(
                                                                a("path", STRING),
                                                                a("applicationPool", STRING),
                                                                a("enabledProtocols", STRING)
                                                                        .withDefault("http"),
                                                                a("serviceAutoStartEnabled", BOOL)
                                                                        .withDefault("false"),
                                                                a("serviceAutoStartProvider", STRING),
                                                                a("preloadEnabled", BOOL)
                                                                        .withDefault("false")),
                                                        Map.of(),
                                                        null)),
                                        Map.entry(
                                                "virtualDirectoryDefaults",
                                                el(
                                                        List.of(
                                                                a("path", STRING),
                                                                a("physicalPath", STRING)
                                                                        .asExpanded(),
                                                                a("userName", STRING),
                                                                a("password", STRING)
                                                                        .asCaseSensitive(),
                                                                a("logonMethod", ENUM)
                                                                        .withDefault("ClearText")
                                                                        .withValues(
                                                                                "Interactive",
                                                                                0L,
                                                                                "Batch",
                                                                                1L,
                                                                                "Network",
                                                                                2L,
                                                                                "ClearText",
                                                                                3L),
                                                                a("allowSubDirConfig", BOOL)
                                                                        .withDefault("true")),
                                                        Map.of(),
                                                        null))),
                                coll(
                                        "application",
                                        null,
                                        null,
                                        List.of("path"),
                                        false,
                                        true,
                                        el(
                                                List.of(
                                                        a("path", STRING).asUniqueKey(),
                                                        a("applicationPool", STRING),
                                                        a("enabledProtocols", STRING)
                                                                .withDefault("http"),
                                                        a("serviceAutoStartEnabled", BOOL)
                                                                .withDefault("false"),
                                                        a("serviceAutoStartProvider", STRING),
                                                        a("preloadEnabled", BOOL)
                                                                .withDefault("false")),
                                                Map.ofEntries(
                                                        Map.entry(
                                                                "virtualDirectoryDefaults",
                                                                el(
                                                                        List.of(
                                                                                a("path", STRING),
                                                                                a("physicalPath", STRING)
                                                                                        .asExpanded(),
                                                                                a("userName", STRING),
                                                                                a("password", STRING)
                                                                                        .asCaseSensitive(),
                                                                                a("logonMethod", ENUM)
                                                                                        .withDefault("ClearText")
                                                                                        .withValues(
                                                                                                "Interactive",
                                                                                                0L,
                                                                                                "Batch",
                                                                                                1L,
                                                                                                "Network",
                                                                                                2L,
                                                                                                "ClearText",
                                                                                                3L),
                                                                                a("allowSubDirConfig", BOOL)
                                                                                        .withDefault("true")),
                                                                        Map.of(),
                                                                        null))),
                                                coll(
                                                        "virtualDirectory",
                                                        null,
                                                        null,
                                                        List.of("path"),
                                                        false,
                                                        true,
                                                        el(
                                                                List.of(
                                                                        a("path", STRING)
                                                                                .asUniqueKey(),
                                                                        a("physicalPath", STRING)
                                                                                .asExpanded(),
                                                                        a("userName", STRING),
                                                                        a("password", STRING)
                                                                                .asCaseSensitive(),
                                                                        a("logonMethod", ENUM)
                                                                                .withDefault("ClearText")
                                                                                .withValues(
                                                                                        "Interactive",
                                                                                        0L,
                                                                                        "Batch",
                                                                                        1L,
                                                                                        "Network",
                                                                                        2L,
                                                                                        "ClearText",
                                                                                        3L),
                                                                        a("allowSubDirConfig", BOOL)
                                                                                .withDefault("true")),
                                                                Map.of(),
                                                                null)))))));
    }

    /** {@code system.webServer/globalModules}. */
    private static ElementSchema globalModules() {
        return el(
                List.of(),
                Map.of(),
                coll(
                        "add",
                        "remove",
                        "clear",
                        List.of("name"),
                        true,
                        true,
                        el(
                                List.of(
                                        a("name", STRING).asUniqueKey().asCaseSensitive(),
                                        a("image", STRING).asExpanded(),
                                        a("preCondition", STRING).asCaseSensitive()),
                                Map.of(),
                                null)));
    }

    /** {@code system.webServer/modules}. */
    private static ElementSchema modules() {
        return el(
                List.of(
                        a("runAllManagedModulesForAllRequests", BOOL).withDefault("false"),
                        a("runManagedModulesForWebDavRequests", BOOL).withDefault("false")),
                Map.of(),
                coll(
                        "add",
                        "remove",
                        "clear",
                        List.of("name"),
                        true,
                        true,
                        el(
                                List.of(
                                        a("name", STRING)
                                                .asUniqueKey()
                                                .asCaseSensitive()
                                                .asNonEmpty(),
                                        a("type", STRING).asCaseSensitive(),
                                        a("preCondition", STRING).asCaseSensitive()),
                                Map.of(),
                                null)));
    }

    /** {@code system.webServer/handlers}. */
    private static ElementSchema handlers() {
        return el(
                List.of(a("accessPolicy", FLAGS)
                        .withDefault("Read")
                        .withValues(
                                "None",
                                0L,
                                "Read",
                                1L,
                                "Write",
                                2L,
                                "Execute",
                                4L,
                                "Source",
                                16L,
                                "Script",
                                512L,
                                "NoRemoteWrite",
                                1024L,
                                "NoRemoteRead",
                                4096L,
                                "NoRemoteExecute",
                                8192L,
                                "NoRemoteScript",
                                16384L)),
                Map.of(),
                coll(
                        "add",
                        "remove",
                        "clear",
                        List.of("name"),
                        true,
                        false,
                        el(
                                List.of(
                                        a("name", STRING)
                                                .asUniqueKey()
                                                .asCaseSensitive()
                                                .asNonEmpty(),
                                        a("path", STRING).asRequired().asNonEmpty(),
                                        a("verb", STRING).asRequired().asCaseSensitive(),
                                        a("type", STRING).asCaseSensitive(),
                                        a("modules", STRING)
                                                .withDefault("ManagedPipelineHandler")
                                                .asCaseSensitive(),
                                        a("scriptProcessor", STRING).asExpanded(),
                                        a("resourceType", ENUM)
                                                .withDefault("Unspecified")
                                                .withValues(
                                                        "File", 0L, "Directory", 1L, "Either", 2L, "Unspecified", 3L),
                                        a("requireAccess", ENUM)
                                                .withDefault("Script")
                                                .withValues(
                                                        "None", 0L, "Read", 1L, "Write", 2L, "Script", 3L, "Execute",
                                                        4L),
                                        a("allowPathInfo", BOOL).withDefault("false"),
                                        a("preCondition", STRING).asCaseSensitive(),
                                        a("responseBufferLimit", UINT).withDefault("4194304")),
                                Map.of(),
                                null)));
    }

    /** {@code system.webServer/defaultDocument}. */
    private static ElementSchema defaultDocument() {
        return el(
                List.of(a("enabled", BOOL).withDefault("true")),
                Map.ofEntries(Map.entry(
                        "files",
                        el(
                                List.of(),
                                Map.of(),
                                coll(
                                        "add",
                                        "remove",
                                        "clear",
                                        List.of("value"),
                                        false,
                                        false,
                                        el(List.of(a("value", STRING).asUniqueKey()), Map.of(), null))))),
                null);
    }

    /** A site's (or siteDefaults') {@code limits}. */
    /**
     * A site's (or siteDefaults') {@code hsts}, as IIS 10 version 1709 added it (IIS Express's
     * IIS_schema.xml predates it).
     */
    private static ElementSchema hsts() {
        return el(
                List.of(
                        a("enabled", BOOL).withDefault("false"),
                        a("max-age", UINT).withDefault("0"),
                        a("includeSubDomains", BOOL).withDefault("false"),
                        a("preload", BOOL).withDefault("false"),
                        a("redirectHttpToHttps", BOOL).withDefault("false")),
                Map.of(),
                null);
    }

    /** {@code system.webServer/security/access}. */
    private static ElementSchema access() {
        return el(
                List.of(a("sslFlags", FLAGS)
                        .withDefault("None")
                        .withValues(
                                "None", 0L, "Ssl", 8L, "SslNegotiateCert", 32L, "SslRequireCert", 64L, "Ssl128", 256L)),
                Map.of(),
                null);
    }

    private static ElementSchema siteLimits() {
        return el(
                List.of(
                        a("maxBandwidth", UINT).withDefault("4294967295"),
                        a("maxConnections", UINT).withDefault("4294967295"),
                        a("connectionTimeout", TIME_SPAN).withDefault("00:02:00"),
                        a("maxUrlSegments", UINT).withDefault("32").withRange(0L, 16383L)),
                Map.of(),
                null);
    }

    /**
     * A site's (or siteDefaults') {@code logFile}. IIS_schema.xml declares the two alike except
     * that the site's {@code directory} must not be empty.
     */
    private static ElementSchema logFile(boolean nonEmptyDirectory) {
        AttributeSchema directory = a("directory", STRING)
                .withDefault("%SystemDrive%\\inetpub\\logs\\LogFiles")
                .asExpanded();
        return el(
                List.of(
                        a("logExtFileFlags", FLAGS)
                                .withDefault(
                                        "Date, Time, ClientIP, UserName, ServerIP, Method, UriStem, UriQuery, TimeTaken, HttpStatus, Win32Status, ServerPort, UserAgent, HttpSubStatus, Referer")
                                .withValues(
                                        "Date",
                                        1L,
                                        "Time",
                                        2L,
                                        "ClientIP",
                                        4L,
                                        "UserName",
                                        8L,
                                        "SiteName",
                                        16L,
                                        "ComputerName",
                                        32L,
                                        "ServerIP",
                                        64L,
                                        "Method",
                                        128L,
                                        "UriStem",
                                        256L,
                                        "UriQuery",
                                        512L,
                                        "HttpStatus",
                                        1024L,
                                        "Win32Status",
                                        2048L,
                                        "BytesSent",
                                        4096L,
                                        "BytesRecv",
                                        8192L,
                                        "TimeTaken",
                                        16384L,
                                        "ServerPort",
                                        32768L,
                                        "UserAgent",
                                        65536L,
                                        "Cookie",
                                        131072L,
                                        "Referer",
                                        262144L,
                                        "ProtocolVersion",
                                        524288L,
                                        "Host",
                                        1048576L,
                                        "HttpSubStatus",
                                        2097152L),
                        a("customLogPluginClsid", STRING).withDefault(""),
                        a("logFormat", ENUM)
                                .withDefault("W3C")
                                .withValues("IIS", 0L, "NCSA", 1L, "W3C", 2L, "Custom", 3L),
                        a("logTargetW3C", FLAGS).withDefault("File").withValues("File", 1L, "ETW", 2L),
                        nonEmptyDirectory ? directory.asNonEmpty() : directory,
                        a("period", ENUM)
                                .withDefault("Daily")
                                .withValues("MaxSize", 0L, "Daily", 1L, "Weekly", 2L, "Monthly", 3L, "Hourly", 4L),
                        a("truncateSize", INT64).withDefault("20971520").withRange(1048576L, 4294967295L),
                        a("localTimeRollover", BOOL).withDefault("false"),
                        a("enabled", BOOL).withDefault("true"),
                        a("logSiteId", BOOL).withDefault("true"),
                        a("flushByEntryCountW3CLog", UINT).withDefault("0"),
                        a("maxLogLineLength", UINT).withDefault("65536").withRange(2L, 65536L)),
                Map.ofEntries(Map.entry(
                        "customFields",
                        el(
                                List.of(a("maxCustomFieldLength", UINT)
                                        .withDefault("4096")
                                        .withRange(2L, 65536L)),
                                Map.of(),
                                coll(
                                        "add",
                                        null,
                                        "clear",
                                        List.of("logFieldName"),
                                        false,
                                        true,
                                        el(
                                                List.of(
                                                        a("logFieldName", STRING)
                                                                .asUniqueKey()
                                                                .asNonEmpty(),
                                                        a("sourceName", STRING)
                                                                .asRequired()
                                                                .asNonEmpty(),
                                                        a("sourceType", ENUM)
                                                                .withValues(
                                                                        "RequestHeader",
                                                                        0L,
                                                                        "ResponseHeader",
                                                                        1L,
                                                                        "ServerVariable",
                                                                        2L)
                                                                .asRequired()),
                                                Map.of(),
                                                null))))),
                null);
    }

    /** A site's (or siteDefaults') {@code traceFailedRequestsLogging}; the two differ in the default directory. */
    private static ElementSchema traceFailedRequestsLogging(String defaultDirectory) {
        return el(
                List.of(
                        a("enabled", BOOL).withDefault("false"),
                        a("directory", STRING).withDefault(defaultDirectory).asExpanded(),
                        a("maxLogFiles", UINT).withDefault("50").withRange(1L, 10000L),
                        a("maxLogFileSizeKB", UINT).withDefault("1024").withRange(0L, 1048576L),
                        a("customActionsEnabled", BOOL).withDefault("false")),
                Map.of(),
                null);
    }

    /** {@code system.webServer/directoryBrowse}. */
    private static ElementSchema directoryBrowse() {
        return el(
                List.of(
                        a("enabled", BOOL).withDefault("false"),
                        a("showFlags", FLAGS)
                                .withDefault("Date, Time, Size, Extension")
                                .withValues(
                                        "None",
                                        0L,
                                        "Date",
                                        2L,
                                        "Time",
                                        4L,
                                        "Size",
                                        8L,
                                        "Extension",
                                        16L,
                                        "LongDate",
                                        32L)),
                Map.of(),
                null);
    }

    /** {@code system.webServer/staticContent}. */
    private static ElementSchema staticContent() {
        return el(
                List.of(
                        a("defaultDocFooter", STRING).asCaseSensitive(),
                        a("isDocFooterFileName", BOOL).withDefault("false"),
                        a("enableDocFooter", BOOL).withDefault("false")),
                Map.ofEntries(Map.entry(
                        "clientCache",
                        el(
                                List.of(
                                        a("cacheControlMode", ENUM)
                                                .withDefault("NoControl")
                                                .withValues(
                                                        "NoControl",
                                                        0L,
                                                        "DisableCache",
                                                        1L,
                                                        "UseMaxAge",
                                                        2L,
                                                        "UseExpires",
                                                        3L),
                                        a("cacheControlMaxAge", TIME_SPAN).withDefault("1.00:00:00"),
                                        a("httpExpires", STRING),
                                        a("cacheControlCustom", STRING),
                                        a("setEtag", BOOL).withDefault("true")),
                                Map.of(),
                                null))),
                coll(
                        "mimeMap",
                        "remove",
                        "clear",
                        List.of("fileExtension"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("fileExtension", STRING).asUniqueKey(),
                                        a("mimeType", STRING).asRequired().asNonEmpty()),
                                Map.of(),
                                null)));
    }

    /** {@code system.webServer/security/requestFiltering}. */
    private static ElementSchema requestFiltering() {
        return el(
                List.of(
                        a("allowDoubleEscaping", BOOL).withDefault("false"),
                        a("allowHighBitCharacters", BOOL).withDefault("true"),
                        a("unescapeQueryString", BOOL).withDefault("true"),
                        a("removeServerHeader", BOOL)),
                Map.ofEntries(
                        Map.entry(
                                "fileExtensions",
                                el(
                                        List.of(
                                                a("allowUnlisted", BOOL).withDefault("true"),
                                                a("applyToWebDAV", BOOL).withDefault("true")),
                                        Map.of(),
                                        coll(
                                                "add",
                                                "remove",
                                                "clear",
                                                List.of("fileExtension"),
                                                false,
                                                true,
                                                el(
                                                        List.of(
                                                                a("fileExtension", STRING)
                                                                        .asUniqueKey()
                                                                        .asNonEmpty(),
                                                                a("allowed", BOOL)
                                                                        .withDefault("true")
                                                                        .asRequired()),
                                                        Map.of(),
                                                        null)))),
                        Map.entry(
                                "requestLimits",
                                el(
                                        List.of(
                                                a("maxAllowedContentLength", UINT)
                                                        .withDefault("30000000"),
                                                a("maxUrl", UINT).withDefault("4096"),
                                                a("maxQueryString", UINT).withDefault("2048")),
                                        Map.ofEntries(Map.entry(
                                                "headerLimits",
                                                el(
                                                        List.of(),
                                                        Map.of(),
                                                        coll(
                                                                "add",
                                                                "remove",
                                                                "clear",
                                                                List.of("header"),
                                                                false,
                                                                true,
                                                                el(
                                                                        List.of(
                                                                                a("header", STRING)
                                                                                        .asUniqueKey()
                                                                                        .asNonEmpty(),
                                                                                a("sizeLimit", UINT)
                                                                                        .asRequired()),
                                                                        Map.of(),
                                                                        null))))),
                                        null)),
                        Map.entry(
                                "verbs",
                                el(
                                        List.of(
                                                a("allowUnlisted", BOOL).withDefault("true"),
                                                a("applyToWebDAV", BOOL).withDefault("true")),
                                        Map.of(),
                                        coll(
                                                "add",
                                                "remove",
                                                "clear",
                                                List.of("verb"),
                                                true,
                                                true,
                                                el(
                                                        List.of(
                                                                a("verb", STRING)
                                                                        .asUniqueKey()
                                                                        .asCaseSensitive()
                                                                        .asNonEmpty(),
                                                                a("allowed", BOOL)
                                                                        .asRequired()),
                                                        Map.of(),
                                                        null)))),
                        Map.entry(
                                "hiddenSegments",
                                el(
                                        List.of(a("applyToWebDAV", BOOL).withDefault("true")),
                                        Map.of(),
                                        coll(
                                                "add",
                                                "remove",
                                                "clear",
                                                List.of("segment"),
                                                false,
                                                true,
                                                el(
                                                        List.of(
                                                                a("segment", STRING)
                                                                        .asUniqueKey()
                                                                        .asNonEmpty()),
                                                        Map.of(),
                                                        null)))),
                        Map.entry(
                                "alwaysAllowedUrls",
                                el(
                                        List.of(),
                                        Map.of(),
                                        coll(
                                                "add",
                                                "remove",
                                                "clear",
                                                List.of("url"),
                                                false,
                                                true,
                                                el(
                                                        List.of(
                                                                a("url", STRING)
                                                                        .asUniqueKey()
                                                                        .asNonEmpty()),
                                                        Map.of(),
                                                        null)))),
                        Map.entry(
                                "alwaysAllowedQueryStrings",
                                el(
                                        List.of(),
                                        Map.of(),
                                        coll(
                                                "add",
                                                "remove",
                                                "clear",
                                                List.of("queryString"),
                                                false,
                                                true,
                                                el(
                                                        List.of(
                                                                a("queryString", STRING)
                                                                        .asUniqueKey()
                                                                        .asNonEmpty()),
                                                        Map.of(),
                                                        null)))),
                        Map.entry(
                                "denyUrlSequences",
                                el(
                                        List.of(),
                                        Map.of(),
                                        coll(
                                                "add",
                                                "remove",
                                                "clear",
                                                List.of("sequence"),
                                                false,
                                                true,
                                                el(
                                                        List.of(
                                                                a("sequence", STRING)
                                                                        .asUniqueKey()
                                                                        .asNonEmpty()),
                                                        Map.of(),
                                                        null)))),
                        Map.entry(
                                "denyQueryStringSequences",
                                el(
                                        List.of(),
                                        Map.of(),
                                        coll(
                                                "add",
                                                "remove",
                                                "clear",
                                                List.of("sequence"),
                                                false,
                                                true,
                                                el(
                                                        List.of(
                                                                a("sequence", STRING)
                                                                        .asUniqueKey()
                                                                        .asNonEmpty()),
                                                        Map.of(),
                                                        null)))),
                        Map.entry(
                                "filteringRules",
                                el(
                                        List.of(),
                                        Map.of(),
                                        coll(
                                                "filteringRule",
                                                "remove",
                                                "clear",
                                                List.of("name"),
                                                false,
                                                true,
                                                el(
                                                        List.of(
                                                                a("name", STRING)
                                                                        .asUniqueKey(),
                                                                a("scanUrl", BOOL)
                                                                        .withDefault("false"),
                                                                a("scanQueryString", BOOL)
                                                                        .withDefault("false"),
                                                                a("scanAllRaw", BOOL)
                                                                        .withDefault("false"),
                                                                a("denyUnescapedPercent", BOOL)
                                                                        .withDefault("true")),
                                                        Map.ofEntries(
                                                                Map.entry(
                                                                        "scanHeaders",
                                                                        el(
                                                                                List.of(),
                                                                                Map.of(),
                                                                                coll(
                                                                                        "add",
                                                                                        "remove",
                                                                                        "clear",
                                                                                        List.of("requestHeader"),
                                                                                        false,
                                                                                        true,
                                                                                        el(
                                                                                                List.of(
                                                                                                        a(
                                                                                                                        "requestHeader",
                                                                                                                        STRING)
                                                                                                                .asUniqueKey()
                                                                                                                .asNonEmpty()),
                                                                                                Map.of(),
                                                                                                null)))),
                                                                Map.entry(
                                                                        "appliesTo",
                                                                        el(
                                                                                List.of(),
                                                                                Map.of(),
                                                                                coll(
                                                                                        "add",
                                                                                        "remove",
                                                                                        "clear",
                                                                                        List.of("fileExtension"),
                                                                                        false,
                                                                                        true,
                                                                                        el(
                                                                                                List.of(
                                                                                                        a(
                                                                                                                        "fileExtension",
                                                                                                                        STRING)
                                                                                                                .asUniqueKey()
                                                                                                                .asNonEmpty()),
                                                                                                Map.of(),
                                                                                                null)))),
                                                                Map.entry(
                                                                        "denyStrings",
                                                                        el(
                                                                                List.of(),
                                                                                Map.of(),
                                                                                coll(
                                                                                        "add",
                                                                                        "remove",
                                                                                        "clear",
                                                                                        List.of("string"),
                                                                                        false,
                                                                                        true,
                                                                                        el(
                                                                                                List.of(
                                                                                                        a(
                                                                                                                        "string",
                                                                                                                        STRING)
                                                                                                                .asUniqueKey()
                                                                                                                .asNonEmpty()),
                                                                                                Map.of(),
                                                                                                null))))),
                                                        null))))),
                null);
    }

    /** {@code system.webServer/security/authentication/anonymousAuthentication}. */
    private static ElementSchema anonymousAuthentication() {
        return el(
                List.of(
                        a("enabled", BOOL).withDefault("true"),
                        a("userName", STRING).withDefault("IUSR"),
                        a("password", STRING).asCaseSensitive(),
                        a("logonMethod", ENUM)
                                .withDefault("ClearText")
                                .withValues("Interactive", 0L, "Batch", 1L, "Network", 2L, "ClearText", 3L)),
                Map.of(),
                null);
    }

    /** {@code system.webServer/security/authentication/basicAuthentication}. */
    private static ElementSchema basicAuthentication() {
        return el(
                List.of(
                        a("enabled", BOOL).withDefault("false"),
                        a("realm", STRING),
                        a("defaultLogonDomain", STRING),
                        a("logonMethod", ENUM)
                                .withDefault("ClearText")
                                .withValues("Interactive", 0L, "Batch", 1L, "Network", 2L, "ClearText", 3L)),
                Map.of(),
                null);
    }

    /** {@code system.webServer/security/authorization}. */
    private static ElementSchema authorization() {
        return el(
                List.of(a("bypassLoginPages", BOOL).withDefault("true")),
                Map.of(),
                coll(
                        "add",
                        "remove",
                        "clear",
                        List.of("users", "roles", "verbs"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("accessType", ENUM)
                                                .withValues("Allow", 0L, "Deny", 1L)
                                                .asRequired(),
                                        a("users", STRING).asCombinedKey(),
                                        a("roles", STRING).asCombinedKey(),
                                        a("verbs", STRING).asCombinedKey().asCaseSensitive()),
                                Map.of(),
                                null)));
    }

    /** {@code system.webServer/security/ipSecurity}. */
    private static ElementSchema ipSecurity() {
        return el(
                List.of(
                        a("enableReverseDns", BOOL).withDefault("false"),
                        a("allowUnlisted", BOOL).withDefault("true"),
                        a("enableProxyMode", BOOL).withDefault("false"),
                        a("denyAction", ENUM)
                                .withDefault("Forbidden")
                                .withValues(
                                        "AbortRequest", 0L, "Unauthorized", 401L, "Forbidden", 403L, "NotFound", 404L)),
                Map.of(),
                coll(
                        "add",
                        "remove",
                        "clear",
                        List.of("ipAddress", "subnetMask", "domainName"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("ipAddress", STRING).asCombinedKey(),
                                        a("subnetMask", STRING)
                                                .withDefault("255.255.255.255")
                                                .asCombinedKey(),
                                        a("domainName", STRING).asCombinedKey(),
                                        a("allowed", BOOL).withDefault("false")),
                                Map.of(),
                                null)));
    }

    /** {@code system.webServer/security/dynamicIpSecurity}. */
    private static ElementSchema dynamicIpSecurity() {
        return el(
                List.of(
                        a("denyAction", ENUM)
                                .withDefault("Forbidden")
                                .withValues(
                                        "AbortRequest", 0L, "Unauthorized", 401L, "Forbidden", 403L, "NotFound", 404L),
                        a("enableProxyMode", BOOL).withDefault("false"),
                        a("enableLoggingOnlyMode", BOOL).withDefault("false")),
                Map.ofEntries(
                        Map.entry(
                                "denyByConcurrentRequests",
                                el(
                                        List.of(
                                                a("enabled", BOOL).withDefault("false"),
                                                a("maxConcurrentRequests", UINT)
                                                        .withDefault("5")
                                                        .withRange(1L, 4294967295L)),
                                        Map.of(),
                                        null)),
                        Map.entry(
                                "denyByRequestRate",
                                el(
                                        List.of(
                                                a("enabled", BOOL).withDefault("false"),
                                                a("maxRequests", UINT)
                                                        .withDefault("20")
                                                        .withRange(1L, 4294967295L),
                                                a("requestIntervalInMilliseconds", UINT)
                                                        .withDefault("200")
                                                        .withRange(1L, 4294967295L)),
                                        Map.of(),
                                        null))),
                null);
    }

    /** {@code system.webServer/httpErrors}. */
    private static ElementSchema httpErrors() {
        return el(
                List.of(
                        a("errorMode", ENUM)
                                .withDefault("DetailedLocalOnly")
                                .withValues("DetailedLocalOnly", 0L, "Custom", 1L, "Detailed", 2L),
                        a("existingResponse", ENUM)
                                .withDefault("Auto")
                                .withValues("Auto", 0L, "Replace", 1L, "PassThrough", 2L),
                        a("defaultPath", STRING).asExpanded(),
                        a("defaultResponseMode", ENUM)
                                .withDefault("File")
                                .withValues("File", 0L, "ExecuteURL", 1L, "Redirect", 2L),
                        a("detailedMoreInformationLink", STRING)
                                .withDefault("http://go.microsoft.com/fwlink/?LinkID=62293"),
                        a("allowAbsolutePathsWhenDelegated", BOOL).withDefault("false")),
                Map.of(),
                coll(
                        "error",
                        "remove",
                        "clear",
                        List.of("statusCode", "subStatusCode"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("statusCode", UINT)
                                                .asRequired()
                                                .asCombinedKey()
                                                .withRange(400L, 999L),
                                        a("subStatusCode", INT)
                                                .withDefault("-1")
                                                .asCombinedKey()
                                                .withRange(-1L, 999L),
                                        a("prefixLanguageFilePath", STRING)
                                                .withDefault("")
                                                .asExpanded(),
                                        a("path", STRING)
                                                .asRequired()
                                                .asExpanded()
                                                .asNonEmpty(),
                                        a("responseMode", ENUM)
                                                .withDefault("File")
                                                .withValues("File", 0L, "ExecuteURL", 1L, "Redirect", 2L)),
                                Map.of(),
                                null)));
    }

    /** {@code system.webServer/httpLogging}. */
    private static ElementSchema httpLogging() {
        return el(
                List.of(
                        a("selectiveLogging", ENUM)
                                .withDefault("LogAll")
                                .withValues("LogAll", 0L, "LogSuccessful", 1L, "LogError", 2L),
                        a("dontLog", BOOL).withDefault("false")),
                Map.of(),
                null);
    }

    /** {@code system.webServer/tracing/traceFailedRequests}. */
    private static ElementSchema traceFailedRequests() {
        ElementSchema traceAreas = el(
                List.of(),
                Map.of(),
                coll(
                        "add",
                        "remove",
                        "clear",
                        List.of("provider"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("provider", STRING).asRequired().asUniqueKey(),
                                        a("areas", STRING),
                                        a("verbosity", ENUM)
                                                .withDefault("Warning")
                                                .withValues(
                                                        "General",
                                                        0L,
                                                        "CriticalError",
                                                        1L,
                                                        "Error",
                                                        2L,
                                                        "Warning",
                                                        3L,
                                                        "Information",
                                                        4L,
                                                        "Verbose",
                                                        5L)),
                                Map.of(),
                                null)));
        ElementSchema failureDefinitions = el(
                List.of(
                        a("timeTaken", TIME_SPAN).withDefault("00:00:00"),
                        a("traceAllAfterTimeout", BOOL).withDefault("false"),
                        a("statusCodes", STRING),
                        a("verbosity", ENUM)
                                .withDefault("Ignore")
                                .withValues("Ignore", 0L, "CriticalError", 1L, "Error", 2L, "Warning", 3L)),
                Map.of(),
                null);
        return el(
                List.of(),
                Map.of(),
                coll(
                        "add",
                        "remove",
                        "clear",
                        List.of("path"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("path", STRING).asUniqueKey(),
                                        a("customActionExe", STRING).asExpanded(),
                                        a("customActionParams", STRING).asExpanded(),
                                        a("customActionTriggerLimit", UINT)
                                                .withDefault("1")
                                                .withRange(0, 10000)),
                                Map.of("traceAreas", traceAreas, "failureDefinitions", failureDefinitions),
                                null)));
    }

    /** {@code system.webServer/fastCgi}, as IIS's schema declares it (no remove or clear elements). */
    private static ElementSchema fastCgi() {
        return el(
                List.of(),
                Map.of(),
                coll(
                        "application",
                        null,
                        null,
                        List.of("fullPath", "arguments"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("fullPath", STRING)
                                                .asRequired()
                                                .asExpanded()
                                                .asCombinedKey()
                                                .asNonEmpty(),
                                        a("arguments", STRING)
                                                .withDefault("")
                                                .asExpanded()
                                                .asCombinedKey(),
                                        a("monitorChangesTo", STRING).withDefault(""),
                                        a("stderrMode", ENUM)
                                                .withDefault("ReturnStdErrIn500")
                                                .withValues(
                                                        "ReturnStdErrIn500",
                                                        0L,
                                                        "ReturnGeneric500",
                                                        1L,
                                                        "IgnoreAndReturn200",
                                                        2L,
                                                        "TerminateProcess",
                                                        3L),
                                        a("maxInstances", UINT).withDefault("0").withRange(0L, 10000L),
                                        a("idleTimeout", UINT)
                                                .withDefault("300")
                                                .withRange(10L, 2592000L),
                                        a("activityTimeout", UINT)
                                                .withDefault("70")
                                                .withRange(10L, 2592000L),
                                        a("requestTimeout", UINT)
                                                .withDefault("90")
                                                .withRange(10L, 2592000L),
                                        a("instanceMaxRequests", UINT)
                                                .withDefault("200")
                                                .withRange(1L, 10000000L),
                                        a("signalBeforeTerminateSeconds", UINT)
                                                .withDefault("0")
                                                .withRange(0L, 60L),
                                        a("protocol", ENUM)
                                                .withDefault("NamedPipe")
                                                .withValues("NamedPipe", 0L, "Tcp", 1L),
                                        a("queueLength", UINT)
                                                .withDefault("1000")
                                                .withRange(1L, 100000000L),
                                        a("flushNamedPipe", BOOL).withDefault("false"),
                                        a("rapidFailsPerMinute", UINT)
                                                .withDefault("10")
                                                .withRange(0L, 1000L)),
                                Map.of(
                                        "environmentVariables",
                                        el(
                                                List.of(),
                                                Map.of(),
                                                coll(
                                                        "environmentVariable",
                                                        null,
                                                        null,
                                                        List.of("name"),
                                                        false,
                                                        true,
                                                        el(
                                                                List.of(
                                                                        a("name", STRING)
                                                                                .asUniqueKey(),
                                                                        a("value", STRING)
                                                                                .asCaseSensitive()),
                                                                Map.of(),
                                                                null)))),
                                null)));
    }

    /** {@code system.webServer/cgi}. */
    private static ElementSchema cgi() {
        return el(
                List.of(
                        a("createCGIWithNewConsole", BOOL).withDefault("false"),
                        a("createProcessAsUser", BOOL).withDefault("true"),
                        a("timeout", TIME_SPAN).withDefault("00:15:00")),
                Map.of(),
                null);
    }

    /** {@code system.webServer/security/isapiCgiRestriction}. */
    private static ElementSchema isapiCgiRestriction() {
        return el(
                List.of(
                        a("notListedIsapisAllowed", BOOL).withDefault("false"),
                        a("notListedCgisAllowed", BOOL).withDefault("false")),
                Map.of(),
                coll(
                        "add",
                        "remove",
                        "clear",
                        List.of("path"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("path", STRING)
                                                .asRequired()
                                                .asExpanded()
                                                .asUniqueKey()
                                                .asNonEmpty(),
                                        a("allowed", BOOL).withDefault("false").asRequired(),
                                        a("groupId", STRING),
                                        a("description", STRING)),
                                Map.of(),
                                null)));
    }

    /** {@code system.webServer/httpRedirect}. */
    private static ElementSchema httpRedirect() {
        return el(
                List.of(
                        a("enabled", BOOL).withDefault("false"),
                        a("destination", STRING),
                        a("exactDestination", BOOL).withDefault("false"),
                        a("childOnly", BOOL).withDefault("false"),
                        a("httpResponseStatus", ENUM)
                                .withDefault("Found")
                                .withValues("Permanent", 301L, "Found", 302L, "Temporary", 307L, "PermRedirect", 308L)),
                Map.of(),
                coll(
                        "add",
                        "remove",
                        "clear",
                        List.of("wildcard"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("wildcard", STRING).asUniqueKey().asNonEmpty(),
                                        a("destination", STRING).asRequired().asNonEmpty()),
                                Map.of(),
                                null)));
    }

    /** {@code system.webServer/httpProtocol}. */
    private static ElementSchema httpProtocol() {
        return el(
                List.of(a("allowKeepAlive", BOOL).withDefault("true")),
                Map.ofEntries(
                        Map.entry(
                                "customHeaders",
                                el(
                                        List.of(),
                                        Map.of(),
                                        coll(
                                                "add",
                                                "remove",
                                                "clear",
                                                List.of("name"),
                                                false,
                                                true,
                                                el(
                                                        List.of(
                                                                a("name", STRING)
                                                                        .asUniqueKey(),
                                                                a("value", STRING)
                                                                        .asCaseSensitive()),
                                                        Map.of(),
                                                        null)))),
                        Map.entry(
                                "redirectHeaders",
                                el(
                                        List.of(),
                                        Map.of(),
                                        coll(
                                                "add",
                                                "remove",
                                                "clear",
                                                List.of("name"),
                                                false,
                                                true,
                                                el(
                                                        List.of(
                                                                a("name", STRING)
                                                                        .asUniqueKey(),
                                                                a("value", STRING)
                                                                        .asCaseSensitive()),
                                                        Map.of(),
                                                        null))))),
                null);
    }

    /** {@code system.applicationHost/webLimits}, after IIS_schema.xml. */
    private static ElementSchema webLimits() {
        return el(
                List.of(
                        a("maxGlobalBandwidth", UINT).withDefault("4294967295"),
                        a("connectionTimeout", TIME_SPAN).withDefault("00:02:00"),
                        a("demandStartThreshold", UINT).withDefault("2147483647"),
                        a("dynamicIdleThreshold", UINT).withDefault("0").withRange(0L, 10000L),
                        a("headerWaitTimeout", TIME_SPAN).withDefault("00:00:00"),
                        a("minBytesPerSecond", UINT).withDefault("240"),
                        a("dynamicRegistrationThreshold", UINT).withDefault("100")),
                Map.of(),
                null);
    }

    /**
     * {@code system.applicationHost/weirHttpLimits}: http.sys's {@code MaxFieldLength} and
     * {@code MaxRequestBytes} (registry values in IIS, with their defaults and ranges), a header
     * count limit, and a cap on open connections for the whole server (0 = none).
     */
    private static ElementSchema weirHttpLimits() {
        return el(
                List.of(
                        a("maxFieldLength", UINT).withDefault("16384").withRange(64L, 65534L),
                        a("maxRequestBytes", UINT).withDefault("16384").withRange(256L, 16777216L),
                        a("maxHeaderCount", UINT).withDefault("100").withRange(1L, 10000L),
                        a("maxConnections", UINT).withDefault("0")),
                Map.of(),
                null);
    }

    /** {@code system.applicationHost/log}. */
    private static ElementSchema applicationHostLog() {
        return el(
                List.of(
                        a("logInUTF8", BOOL).withDefault("true"),
                        a("centralLogFileMode", ENUM)
                                .withDefault("Site")
                                .withValues("Site", 0L, "CentralBinary", 1L, "CentralW3C", 2L)),
                Map.ofEntries(
                        Map.entry(
                                "centralBinaryLogFile",
                                el(
                                        List.of(
                                                a("enabled", BOOL).withDefault("false"),
                                                a("directory", STRING)
                                                        .withDefault("%SystemDrive%\\inetpub\\logs\\LogFiles")
                                                        .asExpanded(),
                                                a("period", ENUM)
                                                        .withDefault("Daily")
                                                        .withValues(
                                                                "Hourly", 4L, "Daily", 1L, "Weekly", 2L, "Monthly", 3L,
                                                                "MaxSize", 0L),
                                                a("truncateSize", INT64)
                                                        .withDefault("20971520")
                                                        .withRange(1048576L, 4294967295L),
                                                a("localTimeRollover", BOOL).withDefault("false")),
                                        Map.of(),
                                        null)),
                        Map.entry(
                                "centralW3CLogFile",
                                el(
                                        List.of(
                                                a("enabled", BOOL).withDefault("true"),
                                                a("directory", STRING)
                                                        .withDefault("%SystemDrive%\\inetpub\\logs\\LogFiles")
                                                        .asExpanded()
                                                        .asNonEmpty(),
                                                a("period", ENUM)
                                                        .withDefault("Daily")
                                                        .withValues(
                                                                "Hourly", 4L, "Daily", 1L, "Weekly", 2L, "Monthly", 3L,
                                                                "MaxSize", 0L),
                                                a("truncateSize", INT64)
                                                        .withDefault("20971520")
                                                        .withRange(1048576L, 4294967295L),
                                                a("localTimeRollover", BOOL).withDefault("false"),
                                                a("logExtFileFlags", FLAGS)
                                                        .withDefault(
                                                                "Date, Time, ClientIP, UserName, SiteName, ServerIP, Method, UriStem, UriQuery, TimeTaken, HttpStatus, Win32Status, ServerPort, UserAgent, HttpSubStatus, Referer")
                                                        .withValues(
                                                                "Date",
                                                                1L,
                                                                "Time",
                                                                2L,
                                                                "ClientIP",
                                                                4L,
                                                                "UserName",
                                                                8L,
                                                                "SiteName",
                                                                16L,
                                                                "ComputerName",
                                                                32L,
                                                                "ServerIP",
                                                                64L,
                                                                "Method",
                                                                128L,
                                                                "UriStem",
                                                                256L,
                                                                "UriQuery",
                                                                512L,
                                                                "HttpStatus",
                                                                1024L,
                                                                "Win32Status",
                                                                2048L,
                                                                "BytesSent",
                                                                4096L,
                                                                "BytesRecv",
                                                                8192L,
                                                                "TimeTaken",
                                                                16384L,
                                                                "ServerPort",
                                                                32768L,
                                                                "UserAgent",
                                                                65536L,
                                                                "Cookie",
                                                                131072L,
                                                                "Referer",
                                                                262144L,
                                                                "ProtocolVersion",
                                                                524288L,
                                                                "Host",
                                                                1048576L,
                                                                "HttpSubStatus",
                                                                2097152L)),
                                        Map.of(),
                                        null))),
                null);
    }

    /**
     * {@code system.webServer/proxy}, after Application Request Routing 3's schema: the attributes
     * Weir implements, and those it accepts and ignores (proxyAddress, proxyPort, proxyBypass,
     * forwardWindowsAuthToken, logGuidName, minResponseBuffer, arrResponseHeader) so that files
     * written by IIS Manager load.
     */
    private static ElementSchema proxy() {
        return el(
                List.of(
                        a("enabled", BOOL).withDefault("false"),
                        a("httpVersion", ENUM)
                                .withDefault("PassThrough")
                                .withValues("PassThrough", 0L, "Http10", 1L, "Http11", 2L),
                        a("keepAlive", BOOL).withDefault("true"),
                        a("timeout", TIME_SPAN).withDefault("00:02:00"),
                        a("preserveHostHeader", BOOL).withDefault("false"),
                        a("reverseRewriteHostInResponseHeaders", BOOL).withDefault("true"),
                        a("xForwardedForHeaderName", STRING).withDefault("X-Forwarded-For"),
                        a("includePortInXForwardedFor", BOOL).withDefault("true"),
                        a("maxResponseHeaderSize", UINT).withDefault("96").withRange(1L, 2097151L),
                        a("responseBufferLimit", UINT).withDefault("4194304"),
                        a("minResponseBuffer", UINT).withDefault("5120"),
                        a("proxyAddress", STRING),
                        a("proxyPort", UINT).withDefault("80"),
                        a("proxyBypass", STRING),
                        a("forwardWindowsAuthToken", BOOL).withDefault("false"),
                        a("logGuidName", STRING).withDefault("X-ARR-LOG-ID"),
                        a("arrResponseHeader", BOOL).withDefault("true")),
                Map.of(),
                null);
    }

    /** {@code webFarms}, after Application Request Routing 3's schema (the parts Weir implements). */
    private static ElementSchema webFarms() {
        ElementSchema arr = el(
                List.of(),
                Map.ofEntries(
                        Map.entry(
                                "healthCheck",
                                el(
                                        List.of(
                                                a("url", STRING),
                                                a("interval", TIME_SPAN).withDefault("00:00:30"),
                                                a("timeout", TIME_SPAN).withDefault("00:00:30"),
                                                a("responseMatch", STRING).asCaseSensitive(),
                                                a("statusCodeMatch", STRING).withDefault("200-399"),
                                                a("minServers", UINT).withDefault("0")),
                                        Map.of(),
                                        null)),
                        Map.entry(
                                "loadBalancing",
                                el(
                                        List.of(
                                                a("algorithm", ENUM)
                                                        .withDefault("WeightedRoundRobin")
                                                        .withValues(
                                                                "WeightedRoundRobin",
                                                                0L,
                                                                "LeastRequests",
                                                                1L,
                                                                "LeastResponseTime",
                                                                2L,
                                                                "WeightedTotalTraffic",
                                                                3L,
                                                                "RequestHash",
                                                                4L),
                                                a("hashServerVariable", STRING),
                                                a("queryStringNames", STRING)),
                                        Map.of(),
                                        null)),
                        Map.entry(
                                "affinity",
                                el(
                                        List.of(
                                                a("useCookie", BOOL).withDefault("false"),
                                                a("cookieName", STRING).withDefault("ARRAffinity")),
                                        Map.of(),
                                        null)),
                        Map.entry(
                                "protocol",
                                el(
                                        List.of(
                                                a("timeout", TIME_SPAN).withDefault("00:00:30"),
                                                a("keepAlive", BOOL).withDefault("true")),
                                        Map.of(),
                                        null))),
                null);
        return el(
                List.of(),
                Map.of(),
                coll(
                        "webFarm",
                        null,
                        "clear",
                        List.of("name"),
                        false,
                        true,
                        el(
                                List.of(
                                        a("name", STRING).asUniqueKey().asNonEmpty(),
                                        a("enabled", BOOL).withDefault("true")),
                                Map.of("applicationRequestRouting", arr),
                                coll(
                                        "server",
                                        null,
                                        "clear",
                                        List.of("address"),
                                        false,
                                        true,
                                        el(
                                                List.of(
                                                        a("address", STRING)
                                                                .asUniqueKey()
                                                                .asNonEmpty(),
                                                        a("enabled", BOOL).withDefault("true")),
                                                Map.of(
                                                        "applicationRequestRouting",
                                                        el(
                                                                List.of(
                                                                        a("httpPort", UINT)
                                                                                .withDefault("80")
                                                                                .withRange(1L, 65535L),
                                                                        a("httpsPort", UINT)
                                                                                .withDefault("443")
                                                                                .withRange(1L, 65535L),
                                                                        a("weight", UINT)
                                                                                .withDefault("100")
                                                                                .withRange(0L, 100000L)),
                                                                Map.of(),
                                                                null)),
                                                null)))));
    }

    /** {@code system.webServer/webSocket}. */
    private static ElementSchema webSocket() {
        return el(
                List.of(
                        a("enabled", BOOL).withDefault("true"),
                        a("receiveBufferLimit", UINT).withDefault("4194304").withRange(4096L, 2147483647L),
                        a("pingInterval", TIME_SPAN).withDefault("00:00:00")),
                Map.of(),
                null);
    }
}
