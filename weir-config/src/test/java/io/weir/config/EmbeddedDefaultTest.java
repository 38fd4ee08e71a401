package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSource;
import io.weir.config.merge.VariableExpansion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class EmbeddedDefaultTest {

    enum CacheControlMode {
        NO_CONTROL,
        DISABLE_CACHE,
        USE_MAX_AGE,
        USE_EXPIRES
    }

    private final Path siteRoot = Path.of("site-root").toAbsolutePath();
    private final ApplicationHostConfig config =
            ApplicationHostConfig.embeddedDefault(Map.of("WEIR_SITE_ROOT", siteRoot.toString()));

    @Test
    void hasDefaultWebSiteOnPort8080ServingTheSiteRoot() {
        assertThat(config.fileLabel()).isEqualTo("<embedded>");
        assertThat(config.sites()).hasSize(1);
        SiteConfig site = config.sites().get(0);
        assertThat(site.name()).isEqualTo("Default Web Site");
        assertThat(site.id()).isEqualTo(1);
        assertThat(site.serverAutoStart()).isTrue();
        assertThat(site.bindings()).singleElement().satisfies(b -> {
            assertThat(b.protocol()).isEqualTo("http");
            assertThat(b.ip()).isEqualTo("*");
            assertThat(b.port()).isEqualTo(8080);
            assertThat(b.host()).isEmpty();
        });
        assertThat(site.applications()).singleElement().satisfies(a -> {
            assertThat(a.path()).isEqualTo("/");
            assertThat(a.virtualDirectories()).singleElement().satisfies(d -> {
                assertThat(d.path()).isEqualTo("/");
                assertThat(d.physicalPath()).isEqualTo(siteRoot.normalize());
            });
        });
        assertThat(site.source().file()).isEqualTo("<embedded>");
        assertThat(site.source().line()).isPositive();
        assertThat(config.unsupportedSections()).isEmpty();
    }

    @Test
    void registersTheBuiltInModulesByType() {
        assertThat(config.globalModules())
                .extracting(GlobalModuleEntry::name, e -> e.type().orElseThrow())
                .containsExactlyInAnyOrder(
                        Tuple.tuple("HttpCacheModule", "io.weir.modules.caching.HttpCacheModuleRegistration"),
                        Tuple.tuple(
                                "DynamicCompressionModule",
                                "io.weir.modules.compression.DynamicCompressionModuleRegistration"),
                        Tuple.tuple(
                                "StaticCompressionModule",
                                "io.weir.modules.compression.StaticCompressionModuleRegistration"),
                        Tuple.tuple("StaticFileModule", "io.weir.modules.staticfile.StaticFileModuleRegistration"),
                        Tuple.tuple(
                                "DefaultDocumentModule",
                                "io.weir.modules.defaultdocument.DefaultDocumentModuleRegistration"),
                        Tuple.tuple(
                                "DirectoryListingModule",
                                "io.weir.modules.directorylisting.DirectoryListingModuleRegistration"),
                        Tuple.tuple(
                                "RequestFilteringModule",
                                "io.weir.modules.requestfiltering.RequestFilteringModuleRegistration"),
                        Tuple.tuple(
                                "BasicAuthenticationModule",
                                "io.weir.modules.authentication.BasicAuthenticationModuleRegistration"),
                        Tuple.tuple(
                                "AnonymousAuthenticationModule",
                                "io.weir.modules.authentication.AnonymousAuthenticationModuleRegistration"),
                        Tuple.tuple(
                                "UrlAuthorizationModule",
                                "io.weir.modules.urlauthorization.UrlAuthorizationModuleRegistration"),
                        Tuple.tuple("CustomErrorModule", "io.weir.modules.customerror.CustomErrorModuleRegistration"),
                        Tuple.tuple(
                                "IpRestrictionModule", "io.weir.modules.iprestriction.IpRestrictionModuleRegistration"),
                        Tuple.tuple(
                                "DynamicIpRestrictionModule",
                                "io.weir.modules.iprestriction.DynamicIpRestrictionModuleRegistration"),
                        Tuple.tuple(
                                "HttpRedirectionModule",
                                "io.weir.modules.httpredirect.HttpRedirectionModuleRegistration"),
                        Tuple.tuple("RewriteModule", "io.weir.modules.rewrite.RewriteModuleRegistration"),
                        Tuple.tuple(
                                "ProtocolSupportModule",
                                "io.weir.modules.protocolsupport.ProtocolSupportModuleRegistration"),
                        Tuple.tuple("HttpLoggingModule", "io.weir.modules.httplogging.HttpLoggingModuleRegistration"),
                        Tuple.tuple("FastCgiModule", "io.weir.modules.fastcgi.FastCgiModuleRegistration"),
                        Tuple.tuple("CgiModule", "io.weir.modules.cgi.CgiModuleRegistration"),
                        Tuple.tuple("ApplicationRequestRouting", "io.weir.modules.proxy.ProxyModuleRegistration"),
                        Tuple.tuple("AspNetCoreModuleV2", "io.weir.modules.aspnetcore.AspNetCoreModuleRegistration"));
        assertThat(config.globalModules()).allSatisfy(e -> {
            assertThat(e.image()).isEmpty();
            assertThat(e.preCondition()).isEmpty();
        });
    }

    @Test
    void shipsIisSecurityDefaults() {
        EffectiveConfig effective = config.effectiveConfig("Default Web Site", "/index.html");
        assertThat(effective
                        .section("system.webServer/security/authentication/anonymousAuthentication")
                        .attribute("enabled"))
                .contains("true");
        assertThat(effective
                        .section("system.webServer/security/authentication/basicAuthentication")
                        .attribute("enabled"))
                .contains("false");
        assertThat(effective.section("system.webServer/security/authorization").collection())
                .singleElement()
                .satisfies(rule -> {
                    assertThat(rule.attribute("accessType")).contains("Allow");
                    assertThat(rule.attribute("users")).contains("*");
                });
    }

    @Test
    void logsEverySiteInW3cWithIisDefaults() {
        EffectiveConfig effective = config.effectiveConfig("Default Web Site", "/");
        ConfigElement logFile = effective
                .section("system.applicationHost/sites")
                .child("siteDefaults")
                .orElseThrow()
                .child("logFile")
                .orElseThrow();
        assertThat(logFile.attributes())
                .containsEntry("logFormat", "W3C")
                .containsEntry("enabled", "true")
                .containsEntry("period", "Daily")
                .doesNotContainKey("directory");
        assertThat(effective.section("system.applicationHost/log").attributes())
                .containsEntry("centralLogFileMode", "Site")
                .containsEntry("logInUTF8", "true");
        assertThat(effective.section("system.webServer/httpLogging").attributes())
                .containsEntry("dontLog", "false")
                .containsEntry("selectiveLogging", "LogAll");
    }

    @Test
    void enablesModulesAndTheStaticFileHandler() {
        EffectiveConfig effective = config.effectiveConfig("Default Web Site", "/index.html");
        assertThat(effective.section("system.webServer/modules").collection())
                .extracting(e -> e.attribute("name").orElseThrow())
                .containsExactly(
                        "HttpCacheModule",
                        "DynamicCompressionModule",
                        "StaticCompressionModule",
                        "DefaultDocumentModule",
                        "DirectoryListingModule",
                        "StaticFileModule",
                        "RequestFilteringModule",
                        "BasicAuthenticationModule",
                        "AnonymousAuthenticationModule",
                        "UrlAuthorizationModule",
                        "CustomErrorModule",
                        "IpRestrictionModule",
                        "DynamicIpRestrictionModule",
                        "HttpRedirectionModule",
                        "RewriteModule",
                        "ProtocolSupportModule",
                        "HttpLoggingModule",
                        "FastCgiModule",
                        "CgiModule",
                        "ApplicationRequestRouting",
                        "AspNetCoreModuleV2");
        ConfigElement handlers = effective.section("system.webServer/handlers");
        assertThat(handlers.attribute("accessPolicy")).contains("Read, Script");
        assertThat(handlers.collection()).singleElement().satisfies(h -> {
            assertThat(h.attributes())
                    .containsEntry("name", "StaticFile")
                    .containsEntry("path", "*")
                    .containsEntry("verb", "*")
                    .containsEntry("modules", "StaticFileModule,DefaultDocumentModule,DirectoryListingModule")
                    .containsEntry("resourceType", "Either")
                    .containsEntry("requireAccess", "Read");
        });
    }

    @Test
    void hasDefaultDocumentsDirectoryBrowseAndMimeMaps() {
        EffectiveConfig effective = config.effectiveConfig("Default Web Site", "/");
        ConfigElement defaultDocument = effective.section("system.webServer/defaultDocument");
        assertThat(defaultDocument.booleanAttribute("enabled", false)).isTrue();
        assertThat(defaultDocument.child("files").orElseThrow().collection())
                .extracting(e -> e.attribute("value").orElseThrow())
                .containsExactly("Default.htm", "Default.asp", "index.htm", "index.html", "iisstart.htm");
        assertThat(effective.section("system.webServer/directoryBrowse").booleanAttribute("enabled", true))
                .isFalse();
        ConfigElement staticContent = effective.section("system.webServer/staticContent");
        Map<String, String> types = new HashMap<>();
        staticContent
                .collection()
                .forEach(m -> types.put(
                        m.attribute("fileExtension").orElseThrow(),
                        m.attribute("mimeType").orElseThrow()));
        assertThat(types)
                .hasSizeGreaterThanOrEqualTo(75)
                .containsEntry(".html", "text/html")
                .containsEntry(".js", "text/javascript")
                .containsEntry(".mjs", "text/javascript")
                .containsEntry(".json", "application/json")
                .containsEntry(".woff2", "font/woff2")
                .containsEntry(".svg", "image/svg+xml")
                .containsEntry(".wasm", "application/wasm")
                .containsEntry(".webmanifest", "application/manifest+json")
                .containsKeys(
                        ".css", ".map", ".txt", ".xml", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".webp", ".avif",
                        ".bmp", ".woff", ".ttf", ".otf", ".eot", ".pdf", ".zip", ".gz", ".mp4", ".webm", ".mp3", ".ogg",
                        ".wav", ".csv", ".md");
        ConfigElement clientCache = staticContent.child("clientCache").orElseThrow();
        assertThat(clientCache.enumAttribute("cacheControlMode", CacheControlMode.class, CacheControlMode.USE_MAX_AGE))
                .isEqualTo(CacheControlMode.NO_CONTROL);
        assertThat(clientCache.timeSpanAttribute("cacheControlMaxAge", Duration.ofDays(1)))
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void hasRequestFilteringWithTheStockHiddenSegmentsAndDeniedExtensions() {
        ConfigElement filtering =
                config.effectiveConfig("Default Web Site", "/").section("system.webServer/security/requestFiltering");
        assertThat(filtering.child("hiddenSegments").orElseThrow().collection())
                .extracting(e -> e.attribute("segment").orElseThrow())
                .containsExactly(
                        "web.config",
                        "bin",
                        "App_code",
                        "App_GlobalResources",
                        "App_LocalResources",
                        "App_WebReferences",
                        "App_Data",
                        "App_Browsers");
        assertThat(filtering.child("fileExtensions").orElseThrow().collection())
                .allSatisfy(e -> assertThat(e.attributes()).containsEntry("allowed", "false"))
                .extracting(e -> e.attribute("fileExtension").orElseThrow())
                .contains(".config", ".cs", ".csproj", ".vb", ".resx", ".mdb", ".ldb", ".mdf", ".ldf");
    }

    @Test
    void everyUrlOfEverySiteSharesTheGlobalInstance() {
        assertThat(config.effectiveConfig("Default Web Site", "/a/b.txt"))
                .isSameAs(config.effectiveConfig("Default Web Site", "/"))
                .isSameAs(config.effectiveConfig("Other", "/x"));
        assertThat(config.effectiveConfig("Default Web Site", "/").section("system.webServer/serverSideInclude"))
                .satisfies(e -> {
                    assertThat(e.elementName()).isEqualTo("serverSideInclude");
                    assertThat(e.attributes()).isEmpty();
                    assertThat(e.collection()).isEmpty();
                    assertThat(e.source()).isEqualTo(ConfigSource.DEFAULTS);
                });
    }

    @Test
    void siteOverridesReplaceRootFolderAndHttpPort() {
        Path other = Path.of("other").toAbsolutePath();
        ApplicationHostConfig changed =
                config.withSiteOverrides("Default Web Site", Optional.of(other), OptionalInt.of(0));
        SiteConfig site = changed.sites().get(0);
        assertThat(site.bindings()).extracting(SiteConfig.BindingConfig::port).containsExactly(0);
        assertThat(site.applications().get(0).virtualDirectories().get(0).physicalPath())
                .isEqualTo(other);
        assertThat(config.sites().get(0).bindings().get(0).port()).isEqualTo(8080);
        assertThat(changed.withSiteOverrides("default web site", Optional.empty(), OptionalInt.of(9000))
                        .sites()
                        .get(0)
                        .bindings()
                        .get(0)
                        .port())
                .isEqualTo(9000);
        assertThatThrownBy(() -> config.withSiteOverrides("Nope", Optional.empty(), OptionalInt.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Nope");
    }

    @Test
    void siteOverridesCanReplaceTheBindingAddressAndKeepThePort() {
        ApplicationHostConfig loopback = config.withSiteOverrides(
                "Default Web Site", Optional.empty(), Optional.of("127.0.0.1"), OptionalInt.empty());
        SiteConfig.BindingConfig binding = loopback.sites().get(0).bindings().get(0);
        assertThat(binding.ip()).isEqualTo("127.0.0.1");
        assertThat(binding.port()).isEqualTo(8080);
        assertThat(config.sites().get(0).bindings().get(0).ip()).isEqualTo("*");
        assertThat(loopback.withSiteOverrides("Default Web Site", Optional.empty(), Optional.empty(), OptionalInt.of(0))
                        .sites()
                        .get(0)
                        .bindings()
                        .get(0))
                .extracting(SiteConfig.BindingConfig::ip, SiteConfig.BindingConfig::port)
                .containsExactly("127.0.0.1", 0);
    }

    @Test
    void requiresTheSiteRootVariable() {
        assertThatThrownBy(() -> ApplicationHostConfig.embeddedDefault(new VariableExpansion(Map.of(), Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WEIR_SITE_ROOT");
        assertThat(ApplicationHostConfig.embeddedDefault(
                                new VariableExpansion(Map.of(), Map.of("weir_site_root", "/srv/www")))
                        .sites()
                        .get(0)
                        .applications()
                        .get(0)
                        .virtualDirectories()
                        .get(0)
                        .physicalPath())
                .isEqualTo(Path.of("/srv/www"));
    }
}
