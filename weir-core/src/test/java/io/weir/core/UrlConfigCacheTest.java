package io.weir.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.core.internal.site.ServedSite;
import io.weir.core.internal.site.SiteRouter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-URL cache answers what the configuration answers, before and after a web.config changes. */
class UrlConfigCacheTest {

    private static final String DIR = "system.webServer/directoryBrowse";

    @TempDir
    Path temp;

    Path root;
    ApplicationHostConfig config;
    ServedSite site;
    UrlConfigCache cache;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(temp.resolve("www"));
        Files.createDirectories(root.resolve("a"));
        String text = """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost">
                      <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                    </sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="directoryBrowse" overrideModeDefault="Allow" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="S" id="1"><application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      <bindings><binding protocol="http" bindingInformation="*:80:" /></bindings></site>
                  </sites></system.applicationHost>
                  <location path="S/deep/er"><system.webServer><directoryBrowse enabled="true" /></system.webServer></location>
                </configuration>
                """.replace("%ROOT%", root.toString());
        config = ApplicationHostConfig.parse(
                "test applicationHost.config",
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                temp,
                Map.of());
        site = new SiteRouter(config.sites()).sites().get(0);
        cache = new UrlConfigCache(config);
    }

    private String browse(EffectiveConfig c) {
        return c.section(DIR).attribute("enabled").orElse("unset");
    }

    @Test
    void answersWithTheConfigurationsOwnInstances() {
        for (String url : new String[] {"/", "/a/x.txt", "/deep/er", "/deep/er/more", "/nothing/here"}) {
            EffectiveConfig cached = cache.effectiveConfig(site, url);
            assertThat(cached).as(url).isSameAs(config.effectiveConfig("S", url));
            assertThat(cache.effectiveConfig(site, new String(url.toCharArray())))
                    .as(url)
                    .isSameAs(cached);
        }
        assertThat(browse(cache.effectiveConfig(site, "/deep/er/more"))).isEqualTo("true");
        assertThat(browse(cache.effectiveConfig(site, "/a/x.txt"))).isNotEqualTo("true");
    }

    @Test
    void aChangedWebConfigIsSeenOnceTheConfigurationDroppedItAndTheCacheWasCleared() throws Exception {
        EffectiveConfig before = cache.effectiveConfig(site, "/a/x.txt");
        assertThat(browse(before)).isNotEqualTo("true");
        Path webConfig = Files.writeString(
                root.resolve("a/web.config"),
                "<configuration><system.webServer><directoryBrowse enabled=\"true\" /></system.webServer></configuration>");
        assertThat(config.invalidate(webConfig)).isTrue();
        assertThat(cache.effectiveConfig(site, "/a/x.txt"))
                .as("still cached until cleared")
                .isSameAs(before);
        cache.clear();
        assertThat(browse(cache.effectiveConfig(site, "/a/x.txt"))).isEqualTo("true");
    }

    @Test
    void aConfigurationInErrorIsNotKept() throws Exception {
        Files.writeString(root.resolve("a/web.config"), "<configuration><oops></configuration>");
        EffectiveConfig broken = cache.effectiveConfig(site, "/a/x.txt");
        assertThat(broken.error()).isPresent();
        Path fixed = Files.writeString(
                root.resolve("a/web.config"),
                "<configuration><system.webServer><directoryBrowse enabled=\"true\" /></system.webServer></configuration>");
        config.invalidate(fixed);
        // no clear(): the broken answer was never kept
        assertThat(browse(cache.effectiveConfig(site, "/a/x.txt"))).isEqualTo("true");
    }

    @Test
    void aSiteKeepsAtMostTheLimitOfUrls() {
        for (int i = 0; i < UrlConfigCache.MAX_URLS + 10; i++) {
            assertThat(cache.effectiveConfig(site, "/f" + i)).isSameAs(config.effectiveConfig("S", "/f" + i));
        }
        assertThat(cache.size(site)).isPositive().isLessThanOrEqualTo(UrlConfigCache.MAX_URLS);
    }
}
