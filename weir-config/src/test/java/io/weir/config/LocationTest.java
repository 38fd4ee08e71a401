package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import org.junit.jupiter.api.Test;

class LocationTest {

    private static final String BROWSE = "system.webServer/directoryBrowse";

    private final ApplicationHostConfig config = ConfigText.parse(ConfigText.SITE + """
            <system.webServer><directoryBrowse enabled="false" showFlags="Date" /></system.webServer>
            <location path="."><system.webServer><defaultDocument enabled="true" /></system.webServer></location>
            <location path="S"><system.webServer><directoryBrowse showFlags="Size" /></system.webServer></location>
            <location path="S/docs">
              <system.webServer><directoryBrowse enabled="true" /></system.webServer>
            </location>
            <location path="S/docs/private" overrideMode="Deny">
              <system.webServer><directoryBrowse enabled="false" /></system.webServer>
            </location>
            <location path="S/docs/readme.txt"><system.webServer><staticContent /></system.webServer></location>
            <location path="S/Docs"><system.webServer><modules /></system.webServer></location>
            """);

    @Test
    void emptyAndDotPathsAreTheGlobalLevel() {
        ConfigElement defaultDocument =
                config.effectiveConfig("Other", "/").section("system.webServer/defaultDocument");
        assertThat(defaultDocument.attribute("enabled")).contains("true");
        assertThat(config.effectiveConfig("Other", "/x")).isSameAs(config.effectiveConfig("Another", "/y"));
    }

    @Test
    void deeperLevelsOverrideAttributesOutermostFirst() {
        ConfigElement site = config.effectiveConfig("S", "/").section(BROWSE);
        assertThat(site.attributes()).containsEntry("enabled", "false").containsEntry("showFlags", "Size");
        ConfigElement docs = config.effectiveConfig("S", "/docs/a.html").section(BROWSE);
        assertThat(docs.booleanAttribute("enabled", false)).isTrue();
        assertThat(docs.attribute("showFlags")).contains("Size");
        assertThat(docs.attributeSource("enabled").line()).isEqualTo(25);
        assertThat(docs.attributeSource("showFlags").line()).isEqualTo(23);
        assertThat(config.effectiveConfig("S", "/docs/private/x")
                        .section(BROWSE)
                        .booleanAttribute("enabled", true))
                .isFalse();
    }

    @Test
    void pathsMatchOnSegmentBoundariesWithoutRegardToCase() {
        EffectiveConfig docs = config.effectiveConfig("S", "/docs");
        assertThat(config.effectiveConfig("S", "/DOCS/page.html")).isSameAs(docs);
        assertThat(config.effectiveConfig("s", "/docs/")).isSameAs(docs);
        assertThat(config.effectiveConfig("S", "/docsx/page.html")).isSameAs(config.effectiveConfig("S", "/"));
        assertThat(config.effectiveConfig("S", "/docs/private")).isNotSameAs(docs);
        assertThat(config.effectiveConfig("S", "/docs/readme.txt")).isNotSameAs(docs);
        assertThat(config.effectiveConfig("S", "/docs/readme.txt2")).isSameAs(docs);
    }

    @Test
    void theSameSetOfLocationsGivesTheSameInstance() {
        assertThat(config.effectiveConfig("S", "/docs/a")).isSameAs(config.effectiveConfig("S", "/docs/b/c"));
        assertThat(config.effectiveConfig("S", "/a"))
                .isSameAs(config.effectiveConfig("S", "/b/c"))
                .isNotSameAs(config.effectiveConfig("Other", "/a"));
        assertThat(config.effectiveConfig("S", "/docs/private/1"))
                .isSameAs(config.effectiveConfig("S", "/docs/Private/2"));
    }

    @Test
    void locationsWithTheSamePathInDifferentCaseAreOneLevel() {
        ConfigElement modules = config.effectiveConfig("S", "/docs/x").section("system.webServer/modules");
        assertThat(modules.source().line()).isEqualTo(31);
    }

    @Test
    void locationPathNamesTheDeepestLevelThatWroteTheSection() {
        assertThat(config.effectiveConfig("S", "/docs/private/x")
                        .section(BROWSE)
                        .locationPath())
                .isEqualTo("/docs/private");
        assertThat(config.effectiveConfig("S", "/docs/a").section(BROWSE).locationPath())
                .isEqualTo("/docs");
        assertThat(config.effectiveConfig("S", "/docs/readme.txt")
                        .section(BROWSE)
                        .locationPath())
                .isEqualTo("/docs");
        assertThat(config.effectiveConfig("S", "/docs/readme.txt")
                        .section("system.webServer/staticContent")
                        .locationPath())
                .isEqualTo("/docs/readme.txt");
        assertThat(config.effectiveConfig("S", "/a").section(BROWSE).locationPath())
                .isEmpty();
        assertThat(config.effectiveConfig("Other", "/a").section(BROWSE).locationPath())
                .isEmpty();
        assertThat(config.effectiveConfig("S", "/docs/a")
                        .section("system.webServer/httpErrors")
                        .locationPath())
                .isEmpty();
    }

    @Test
    void unsetSectionsComeBackEmpty() {
        ConfigElement errors = config.effectiveConfig("S", "/docs").section("system.webServer/httpErrors");
        assertThat(errors.attributes()).isEmpty();
        assertThat(errors.child("error")).isEmpty();
    }

    @Test
    void appHostOnlySectionsAreRefusedInsideALocationWithAPath() {
        assertThatThrownBy(() -> ConfigText.parse("""
                <location path="S/x"><system.webServer><globalModules /></system.webServer></location>
                """)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.source().line()).isEqualTo(17);
            assertThat(e.source().column()).isEqualTo(40);
            assertThat(e.reason()).contains("AppHostOnly", "S/x");
        });
        assertThat(ConfigText.parse("""
                <location path=""><system.webServer><globalModules><add name="M" /></globalModules></system.webServer>
                </location>
                """).globalModules())
                .extracting(GlobalModuleEntry::name)
                .containsExactly("M");
    }

    @Test
    void aSectionSetTwiceAtOneLevelIsRefused() {
        assertThatThrownBy(() -> ConfigText.parse("""
                <system.webServer><modules /></system.webServer>
                <location path=""><system.webServer><modules /></system.webServer></location>
                """)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.source().line()).isEqualTo(18);
            assertThat(e.reason()).contains("set twice", "test.config:17:");
        });
    }

    @Test
    void overrideModeAndAllowOverrideTogetherAreRefused() {
        assertThatThrownBy(() -> ConfigText.parse("""
                <location path="S" overrideMode="Allow" allowOverride="true" />
                """)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.source().line()).isEqualTo(17);
            assertThat(e.source().column()).isEqualTo(41);
        });
    }
}
