package io.weir.config;

import static io.weir.config.WebConfigSites.appHost;
import static io.weir.config.WebConfigSites.folder;
import static io.weir.config.WebConfigSites.values;
import static io.weir.config.WebConfigSites.webConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.config.ConfigException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delegation and locking (docs/reference/configuration-system.md, "Declaring sections", "Locations", "Delegation and locking"): what a web.config may
 * set, and the 500.19 error (carried by {@link EffectiveConfig#error()}) for the URLs under one that
 * sets what it may not, while other URLs keep working.
 */
class DelegationTest {

    private static final String DIR = "system.webServer/directoryBrowse";

    @TempDir
    Path temp;

    Path root;
    Path sub;

    @BeforeEach
    void site() {
        root = folder(temp, "www");
        sub = folder(root, "sub");
        folder(root, "other");
    }

    private static ConfigException errorOf(ApplicationHostConfig config, String url) {
        Optional<ConfigException> error = config.effectiveConfig("S", url).error();
        assertThat(error).as("error of %s", url).isPresent();
        return error.get();
    }

    private void assertOthersWork(ApplicationHostConfig config) {
        assertThat(config.effectiveConfig("S", "/other/x.html").error()).isEmpty();
        assertThat(config.effectiveConfig("S", "/").error()).isEmpty();
    }

    /** "Declaring sections", "Delegation and locking": a section declared overrideModeDefault="Deny" may not be set in a web.config (0x80070021). */
    @Test
    void aSectionLockedByDefaultGives500_19UnderItsFolderOnly() {
        webConfig(sub, "<system.webServer>\n<handlers><clear /></handlers></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        ConfigException e = errorOf(config, "/sub/page.html");
        assertThat(e.source().file()).isEqualTo(sub.resolve("web.config").toString());
        assertThat(e.source().line()).isEqualTo(3);
        assertThat(e.reason()).contains("system.webServer/handlers", "locked", "overrideModeDefault=\"Deny\"");
        assertOthersWork(config);
    }

    /** "Locations": <location overrideMode="Allow"> in applicationHost.config unlocks a section for the levels below. */
    @Test
    void aLocationWithOverrideModeAllowUnlocksTheSection() {
        webConfig(
                sub,
                "<system.webServer><handlers><clear /><add name=\"X\" path=\"*\" verb=\"GET\" modules=\"M\" />"
                        + "</handlers></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <location path="" overrideMode="Allow"><system.webServer><handlers>
                  <add name="StaticFile" path="*" verb="*" modules="StaticFileModule" />
                </handlers></system.webServer></location>
                """);
        assertThat(config.effectiveConfig("S", "/sub/x").error()).isEmpty();
        assertThat(values(config.effectiveConfig("S", "/sub/x"), "system.webServer/handlers", null, "name"))
                .containsExactly("X");
    }

    /** "Locations": <location overrideMode="Deny"> locks a section that is Allow by default, from that path down. */
    @Test
    void aLocationWithOverrideModeDenyLocksTheSection() {
        webConfig(sub, "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        webConfig(root.resolve("other"), "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <location path="S/sub" overrideMode="Deny"><system.webServer><directoryBrowse />
                </system.webServer></location>
                """);
        assertThat(errorOf(config, "/sub/").reason()).contains("overrideMode=\"Deny\"", "S/sub");
        assertThat(config.effectiveConfig("S", "/other/").section(DIR).attribute("enabled"))
                .contains("true");
        assertOthersWork(config);
    }

    /** "Locations": the legacy allowOverride="false" is overrideMode="Deny". */
    @Test
    void legacyAllowOverrideFalseLocks() {
        webConfig(sub, "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <location path="S" allowOverride="false"><system.webServer><directoryBrowse /></system.webServer>
                </location>
                """);
        assertThat(errorOf(config, "/sub/x").reason()).contains("locked");
        assertThat(config.effectiveConfig("S", "/other/").error()).isEmpty();
    }

    /** "Locations": a web.config may lock a section for the folders below it with its own location. */
    @Test
    void aWebConfigMayLockForTheFoldersBelowIt() {
        webConfig(root, """
                <location path="sub" overrideMode="Deny"><system.webServer><directoryBrowse enabled="true" />
                </system.webServer></location>
                """);
        webConfig(sub, "<system.webServer><directoryBrowse enabled=\"false\" /></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(errorOf(config, "/sub/a").source().file())
                .isEqualTo(sub.resolve("web.config").toString());
        assertOthersWork(config);
    }

    /** "Declaring sections": allowDefinition="MachineToApplication": allowed at an application root, refused in a sub-folder. */
    @Test
    void machineToApplicationSectionsStopAtApplicationRoots() {
        webConfig(root, "<system.webServer><modules><remove name=\"X\" /></modules></system.webServer>\n");
        webConfig(sub, "<system.webServer><modules><remove name=\"Y\" /></modules></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <location path="" overrideMode="Allow"><system.webServer><modules><add name="X" /><add name="Y" />
                </modules></system.webServer></location>
                """);
        assertThat(config.effectiveConfig("S", "/").error()).isEmpty();
        assertThat(values(config.effectiveConfig("S", "/"), "system.webServer/modules", null, "name"))
                .containsExactly("Y");
        assertThat(errorOf(config, "/sub/x").reason()).contains("MachineToApplication");
    }

    /** "Declaring sections": allowDefinition="AppHostOnly" sections may not appear in any web.config. */
    @Test
    void appHostOnlySectionsAreRefusedInWebConfig() {
        webConfig(sub, "<system.webServer><globalModules /></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(errorOf(config, "/sub/x").reason()).contains("AppHostOnly", "web.config");
        assertOthersWork(config);
    }

    /** "Declaring sections": allowLocation="false": the section may not be written inside a <location>. */
    @Test
    void allowLocationFalseRefusesTheSectionInALocation() {
        webConfig(sub, """
                <configSections><section name="weirTest" allowLocation="false" /></configSections>
                <location path="a"><weirTest /></location>
                """);
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(errorOf(config, "/sub/x").reason()).contains("allowLocation");
    }

    /** "Delegation and locking": lockAttributes: the named attributes may not be set below, even to the same value. */
    @Test
    void lockAttributesLocksTheNamedAttributes() {
        webConfig(sub, "<system.webServer><directoryBrowse showFlags=\"Date\" /></system.webServer>\n");
        webConfig(
                root.resolve("other"),
                "<system.webServer><directoryBrowse enabled=\"false\" />" + "</system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <system.webServer><directoryBrowse enabled="false" showFlags="Date" lockAttributes="showFlags" />
                </system.webServer>
                """);
        ConfigException e = errorOf(config, "/sub/x");
        assertThat(e.reason()).contains("'showFlags'", "lockAttributes");
        assertThat(e.source().column()).isEqualTo(36);
        assertOthersWork(config);
    }

    /** "Delegation and locking": lockAllAttributesExcept: only the listed attributes may be set below. */
    @Test
    void lockAllAttributesExceptLeavesOnlyTheListedOnes() {
        webConfig(sub, "<system.webServer><directoryBrowse showFlags=\"Date\" /></system.webServer>\n");
        webConfig(root.resolve("other"), "<system.webServer><directoryBrowse enabled=\"true\" /></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <system.webServer><directoryBrowse lockAllAttributesExcept="enabled" /></system.webServer>
                """);
        assertThat(errorOf(config, "/sub/x").reason()).contains("'showFlags'", "lockAllAttributesExcept");
        assertOthersWork(config);
    }

    /** "Delegation and locking": lockElements on a collection names its directives: here add is allowed, clear is not. */
    @Test
    void lockElementsLocksTheNamedDirectives() {
        webConfig(
                sub,
                "<system.webServer><defaultDocument><files><clear /></files></defaultDocument>"
                        + "</system.webServer>\n");
        webConfig(
                root.resolve("other"),
                "<system.webServer><defaultDocument><files><add value=\"a.htm\" /></files>"
                        + "</defaultDocument></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <system.webServer><defaultDocument><files lockElements="remove,clear"><add value="index.html" />
                </files></defaultDocument></system.webServer>
                """);
        assertThat(errorOf(config, "/sub/x").reason()).contains("<clear>", "lockElements");
        assertThat(values(config.effectiveConfig("S", "/other/"), "system.webServer/defaultDocument", "files", "value"))
                .containsExactly("a.htm", "index.html");
        assertOthersWork(config);
    }

    /** "Delegation and locking": lockAllElementsExcept: only the listed child elements may be written below. */
    @Test
    void lockAllElementsExceptLeavesOnlyTheListedElements() {
        webConfig(
                sub,
                "<system.webServer><staticContent><clientCache cacheControlMode=\"DisableCache\" />"
                        + "</staticContent></system.webServer>\n");
        webConfig(
                root.resolve("other"),
                "<system.webServer><staticContent><mimeMap fileExtension=\".q\""
                        + " mimeType=\"q/q\" /></staticContent></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <system.webServer><staticContent lockAllElementsExcept="mimeMap" /></system.webServer>
                """);
        assertThat(errorOf(config, "/sub/x").reason()).contains("<clientCache>", "lockAllElementsExcept");
        assertOthersWork(config);
    }

    /** "Delegation and locking": lockItem="true": the item may not be removed below, nor cleared away. */
    @Test
    void lockItemProtectsAnItemFromRemoveAndClear() {
        webConfig(
                sub,
                "<system.webServer><staticContent><remove fileExtension=\".css\" /></staticContent>"
                        + "</system.webServer>\n");
        webConfig(
                root.resolve("other"),
                "<system.webServer><staticContent><clear /></staticContent>" + "</system.webServer>\n");
        Path third = folder(root, "third");
        webConfig(
                third,
                "<system.webServer><staticContent><remove fileExtension=\".htm\" /></staticContent>"
                        + "</system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <system.webServer><staticContent><mimeMap fileExtension=".css" mimeType="text/css" lockItem="true" />
                <mimeMap fileExtension=".htm" mimeType="text/html" /></staticContent></system.webServer>
                """);
        assertThat(errorOf(config, "/sub/x").reason()).contains("locked", "lockItem");
        assertThat(errorOf(config, "/other/x").reason()).contains("lockItem");
        assertThat(values(
                        config.effectiveConfig("S", "/third/x"),
                        "system.webServer/staticContent",
                        null,
                        "fileExtension"))
                .containsExactly(".css");
    }

    /** "Delegation and locking": a file may change what it locks itself: locks bind only the files below. */
    @Test
    void locksDoNotBindTheFileThatWroteThem() {
        ApplicationHostConfig config = appHost(root, "", """
                <system.webServer><directoryBrowse enabled="false" lockAttributes="enabled" /></system.webServer>
                <location path="S/sub"><system.webServer><directoryBrowse enabled="true" /></system.webServer>
                </location>
                """);
        assertThat(config.effectiveConfig("S", "/sub/x").error()).isEmpty();
        assertThat(config.effectiveConfig("S", "/sub/x").section(DIR).attribute("enabled"))
                .contains("true");
    }

    /** "Merging attributes and collections": adding a key already inherited in a web.config is 500.19 (0x800700b7) with IIS's wording. */
    @Test
    void aDuplicateKeyInAWebConfigIs500_19() {
        webConfig(
                sub,
                "<system.webServer><staticContent>\n<mimeMap fileExtension=\".css\" mimeType=\"x/y\" />"
                        + "</staticContent></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", """
                <system.webServer><staticContent><mimeMap fileExtension=".css" mimeType="text/css" />
                </staticContent></system.webServer>
                """);
        ConfigException e = errorOf(config, "/sub/x");
        assertThat(e.reason())
                .startsWith("Cannot add duplicate collection entry of type 'mimeMap' with unique key"
                        + " attribute 'fileExtension' set to '.css'");
        assertThat(e.source().line()).isEqualTo(3);
        assertOthersWork(config);
    }

    /** "Delegation and locking": an element the schema does not know in a web.config is 500.19 (0x8007000d), naming it. */
    @Test
    void anUndeclaredSectionInAWebConfigIs500_19() {
        webConfig(sub, "<system.webServer><rewrite><rules /></rewrite></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(errorOf(config, "/sub/x").reason()).contains("system.webServer/rewrite", "not declared");
        assertOthersWork(config);
    }

    /** "Delegation and locking": a section not implemented by Weir but locked is still refused in a web.config. */
    @Test
    void lockedSectionsWeirDoesNotImplementAreRefusedToo() {
        webConfig(sub, "<system.webServer><asp /></system.webServer>\n");
        ApplicationHostConfig config = appHost(root, "", "");
        assertThat(errorOf(config, "/sub/x").reason()).contains("system.webServer/asp", "locked");
        webConfig(sub, "<system.webServer><asp /></system.webServer>\n");
        ApplicationHostConfig unlocked = appHost(root, "", """
                <location path="S" overrideMode="Allow"><system.webServer><asp /></system.webServer></location>
                """);
        assertThat(unlocked.effectiveConfig("S", "/sub/x").error()).isEmpty();
    }
}
