package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectionMergeTest {

    private static List<String> names(ConfigElement section, String key) {
        return section.collection().stream()
                .map(e -> e.attribute(key).orElseThrow())
                .toList();
    }

    private static ConfigElement section(ApplicationHostConfig config, String url, String section) {
        return config.effectiveConfig("S", url).section("system.webServer/" + section);
    }

    @Test
    void modulesAppendLocalItemsAfterInheritedOnes() {
        ApplicationHostConfig config = ConfigText.parse(ConfigText.SITE + """
                <system.webServer><modules><add name="A" /><add name="B" /></modules></system.webServer>
                <location path="S/app"><system.webServer><modules><add name="C" /><remove name="A" /></modules>
                </system.webServer></location>
                """);
        assertThat(names(section(config, "/", "modules"), "name")).containsExactly("A", "B");
        assertThat(names(section(config, "/app/x", "modules"), "name")).containsExactly("B", "C");
    }

    @Test
    void handlersAndDefaultDocumentsPrependLocalItems() {
        ApplicationHostConfig config = ConfigText.parse(ConfigText.SITE + """
                <system.webServer>
                  <handlers><add name="A" path="*.a" verb="*" /><add name="StaticFile" path="*" verb="*" /></handlers>
                  <defaultDocument><files><add value="index.html" /><add value="default.htm" /></files></defaultDocument>
                </system.webServer>
                <location path="S/app"><system.webServer>
                  <handlers><add name="X" path="*.x" verb="GET" /><add name="Y" path="*.y" verb="GET" /></handlers>
                  <defaultDocument><files><remove value="DEFAULT.HTM" /><add value="home.html" /></files></defaultDocument>
                </system.webServer></location>
                """);
        assertThat(names(section(config, "/app", "handlers"), "name")).containsExactly("X", "Y", "A", "StaticFile");
        assertThat(names(
                        section(config, "/app/", "defaultDocument")
                                .child("files")
                                .orElseThrow(),
                        "value"))
                .containsExactly("home.html", "index.html");
    }

    @Test
    void clearDiscardsEverythingInheritedAndEarlierInTheLevel() {
        ApplicationHostConfig config = ConfigText.parse(ConfigText.SITE + """
                <system.webServer><staticContent><mimeMap fileExtension=".a" mimeType="a/a" />
                  <mimeMap fileExtension=".b" mimeType="b/b" /></staticContent></system.webServer>
                <location path="S"><system.webServer><staticContent><mimeMap fileExtension=".c" mimeType="c/c" />
                  <clear /><mimeMap fileExtension=".d" mimeType="d/d" /></staticContent></system.webServer></location>
                """);
        assertThat(names(section(config, "/", "staticContent"), "fileExtension"))
                .containsExactly(".d");
        assertThat(names(
                        config.effectiveConfig("Other", "/").section("system.webServer/staticContent"),
                        "fileExtension"))
                .containsExactly(".a", ".b");
    }

    @Test
    void removeThenAddReplacesAnInheritedItem() {
        ApplicationHostConfig config = ConfigText.parse(ConfigText.SITE + """
                <system.webServer><staticContent><mimeMap fileExtension=".js" mimeType="application/javascript" />
                </staticContent></system.webServer>
                <location path="S"><system.webServer><staticContent><remove fileExtension=".js" />
                  <mimeMap fileExtension=".js" mimeType="text/javascript" /></staticContent></system.webServer></location>
                """);
        assertThat(section(config, "/a.js", "staticContent").collection())
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.attribute("mimeType")).contains("text/javascript");
                    assertThat(m.source().line()).isEqualTo(24);
                });
    }

    @Test
    void addingAnExistingKeyAtTheSameLevelIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> ConfigText.parse("""
                <system.webServer><modules>
                  <add name="A" />
                  <add name="A" />
                </modules></system.webServer>
                """)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.source().file()).isEqualTo(ConfigText.LABEL);
            assertThat(e.source().line()).isEqualTo(19);
            assertThat(e.source().column()).isEqualTo(3);
            assertThat(e.reason()).contains("duplicate", "'name'", "'A'", "test.config:18:3");
            assertThat(e.getMessage()).startsWith("test.config:19:3: ");
        });
    }

    @Test
    void addingAnInheritedKeyIsRefusedAtTheLowerLevel() {
        assertThatThrownBy(() -> ConfigText.parse(ConfigText.SITE + """
                <system.webServer><staticContent><mimeMap fileExtension=".css" mimeType="text/css" />
                </staticContent></system.webServer>
                <location path="S/sub"><system.webServer><staticContent>
                    <mimeMap fileExtension=".CSS" mimeType="text/css" /></staticContent></system.webServer></location>
                """))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.source().line()).isEqualTo(24);
                    assertThat(e.source().column()).isEqualTo(5);
                    assertThat(e.reason()).contains("duplicate", "fileExtension", ".CSS");
                });
    }

    @Test
    void handlerNamesAreCaseSensitiveKeys() {
        ApplicationHostConfig config = ConfigText.parse("""
                <system.webServer><handlers><add name="a" path="*" verb="*" /><add name="A" path="*" verb="*" />
                </handlers></system.webServer>
                """);
        assertThat(names(config.effectiveConfig("S", "/").section("system.webServer/handlers"), "name"))
                .containsExactly("a", "A");
    }

    @Test
    void anItemWithoutItsKeyIsRefused() {
        assertThatThrownBy(() -> ConfigText.parse("""
                <system.webServer><modules><add type="x.Y" /></modules></system.webServer>
                """)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.source().line()).isEqualTo(17);
            assertThat(e.reason()).contains("missing the required key attribute 'name'");
        });
    }

    @Test
    void bindingsUseTheirCombinedKey() {
        assertThatThrownBy(() -> ConfigText.parse("""
                <system.applicationHost><sites>
                  <site name="S" id="1"><application path="/"><virtualDirectory path="/" physicalPath="w" /></application>
                    <bindings><binding protocol="http" bindingInformation="*:80:" />
                      <binding protocol="https" bindingInformation="*:80:" />
                      <binding protocol="http" bindingInformation="*:80:" /></bindings></site>
                </sites></system.applicationHost>
                """)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.source().line()).isEqualTo(21);
            assertThat(e.reason()).contains("combined key", "'protocol' set to 'http'");
        });
    }

    @Test
    void directivesACollectionDoesNotDeclareAreRefused() {
        assertThatThrownBy(() -> ConfigText.parse("""
                <system.webServer><staticContent>
                  <add fileExtension=".x" mimeType="x/x" />
                </staticContent></system.webServer>
                """)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.source().line()).isEqualTo(18);
            assertThat(e.reason()).contains("<add> is not allowed", "<mimeMap>");
        });
    }

    @Test
    void filteringRulesHoldTheirOwnCollections() {
        ApplicationHostConfig withRule = ConfigText.parseDocument("""
                <configuration>
                  <configSections>
                    <sectionGroup name="system.webServer"><sectionGroup name="security">
                      <section name="requestFiltering" overrideModeDefault="Allow" />
                    </sectionGroup></sectionGroup>
                  </configSections>
                  <system.webServer><security><requestFiltering><filteringRules>
                    <filteringRule name="sql" scanUrl="true" scanQueryString="true">
                      <scanHeaders><add requestHeader="User-Agent" /></scanHeaders>
                      <appliesTo><add fileExtension=".asp" /><add fileExtension=".ASPX" /></appliesTo>
                      <denyStrings><add string="--" /><add string="xp_" /><remove string="XP_" /></denyStrings>
                    </filteringRule>
                  </filteringRules></requestFiltering></security></system.webServer>
                </configuration>
                """, Map.of());
        ConfigElement rule = withRule.effectiveConfig("S", "/")
                .section("system.webServer/security/requestFiltering")
                .child("filteringRules")
                .orElseThrow()
                .collection()
                .get(0);
        assertThat(rule.child("scanHeaders").orElseThrow().collection()).hasSize(1);
        assertThat(rule.child("appliesTo").orElseThrow().collection()).hasSize(2);
        assertThat(rule.child("denyStrings").orElseThrow().collection())
                .extracting(e -> e.attribute("string").orElseThrow())
                .containsExactly("--");
    }
}
