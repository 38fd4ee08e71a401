package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.CommandRun;
import io.weir.cli.ConfigFiles;
import io.weir.cli.TestJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir list modules} on the embedded default and on {@link SampleConfig}. */
class ListModulesCommandTest {

    @TempDir
    Path temp;

    @Test
    void embeddedDefaultListsTheBuiltInModulesInGlobalModulesOrder() {
        CommandRun run = CommandRun.of("list", "modules", "--var", "WEIR_SITE_ROOT=" + temp);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Modules of <embedded> (ENABLED for site \"Default Web Site\", URL /):")
                .containsPattern("NAME\\s+ENABLED\\s+ORIGIN\\s+NOTIFICATIONS\\s+ENTRY")
                .containsPattern("RequestFilteringModule\\s+yes\\s+built-in io\\.weir\\.modules\\.requestfiltering\\."
                        + "RequestFilteringModuleRegistration\\s+BEGIN_REQUEST, READ_ENTITY\\s+<embedded>:\\d+");
        assertThat(run.out())
                .containsPattern("CustomErrorModule\\s+yes\\s+built-in io\\.weir\\.modules\\.customerror\\."
                        + "CustomErrorModuleRegistration\\s+SEND_RESPONSE \\(HIGH\\)\\s+<embedded>:\\d+");
        assertThat(names(run.out()))
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
    }

    @Test
    void showsWhatEachModuleRegisteredWithPrioritiesPostAndGlobalNotifications() throws IOException {
        Path config = SampleConfig.write(temp);

        CommandRun run = CommandRun.of("list", "modules", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(names(run.out()))
                .containsExactly(
                        "StaticFileModule",
                        "DefaultDocumentModule",
                        "DirectoryListingModule",
                        "RequestFilteringModule",
                        "LateProbe",
                        "HighProbe",
                        "GlobalProbe",
                        "ServerSideIncludeModule");
        assertThat(run.out())
                .containsPattern("HighProbe\\s+yes\\s+built-in io\\.weir\\.cli\\.command\\.ProbeModules\\$High\\s+"
                        + "BEGIN_REQUEST \\(HIGH\\), EXECUTE_REQUEST_HANDLER, SEND_RESPONSE \\(HIGH\\), post BEGIN_REQUEST,"
                        + " global PRE_BEGIN_REQUEST\\s+.*applicationHost\\.config:51:7")
                .containsPattern("LateProbe\\s+yes\\s+.*BEGIN_REQUEST, SEND_RESPONSE \\(LOW\\)")
                .containsPattern("GlobalProbe\\s+global\\s+.*global APPLICATION_START")
                .containsPattern(
                        "ServerSideIncludeModule\\s+no\\s+unavailable \\(%windir%\\\\System32\\\\inetsrv\\\\iis_ssi\\.dll\\)\\s+"
                                + "UNAVAILABLE: no Weir implementation of the native image");
    }

    @Test
    void enabledFollowsTheModulesListOfTheSiteAndUrl() throws IOException {
        Path config = SampleConfig.write(temp);

        CommandRun root = CommandRun.of("list", "modules", "--config", config.toString());
        CommandRun docs = CommandRun.of("list", "modules", "--config", config.toString(), "--url", "/docs/a.txt");

        assertThat(root.out()).containsPattern("RequestFilteringModule\\s+yes\\s");
        assertThat(docs.out()).contains("URL /docs/a.txt").containsPattern("RequestFilteringModule\\s+no\\s");
    }

    @Test
    void aModulesEntryThatNoGlobalModuleLoadsIsReported() throws IOException {
        Path config = SampleConfig.write(temp);
        Files.writeString(
                config,
                Files.readString(config)
                        .replace("<add name=\"HighProbe\" />", "<add name=\"HighProbe\" />\n<add name=\"Ghost\" />"));

        CommandRun run = CommandRun.of("list", "modules", "--config", config.toString());

        assertThat(run.out())
                .containsPattern("<modules> enables 'Ghost' \\(.*applicationHost\\.config:\\d+.*\\), which no"
                        + " <globalModules> entry loads; it never runs");
    }

    @Test
    void jsonCarriesTheSameFacts() throws IOException {
        Path config = SampleConfig.write(temp);

        CommandRun run = CommandRun.of("list", "modules", "--config", config.toString(), "--json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().strip()).startsWith("[").endsWith("]");
        assertThat(run.out().replaceAll("\\s+", " "))
                .contains("\"name\": \"HighProbe\", \"origin\": \"built-in io.weir.cli.command.ProbeModules$High\","
                        + " \"loaded\": true, \"failure\": null, \"enabled\": \"yes\"")
                .contains("{ \"name\": \"BEGIN_REQUEST\", \"priority\": \"HIGH\" }")
                .contains("\"postNotifications\": [ \"BEGIN_REQUEST\" ]")
                .contains("\"globalNotifications\": [ \"PRE_BEGIN_REQUEST\" ]")
                .contains(
                        "\"name\": \"ServerSideIncludeModule\", \"origin\": \"unavailable (%windir%\\\\System32\\\\inetsrv\\\\iis_ssi.dll)\","
                                + " \"loaded\": false");
    }

    @Test
    void rowsComeInEffectiveModulesOrderAndFailedImagesShowTheirReason() throws IOException {
        Path config = ConfigFiles.write(temp, ConfigFiles.embeddedDefault());
        TestJars.greeting(temp, "greeting.jar");
        TestJars.throwing(temp, "throwing.jar");
        Files.writeString(
                config,
                Files.readString(config)
                        .replace("</globalModules>", """
                      <add name="Greeting" image="greeting.jar" />
                      <add name="Throwing" image="throwing.jar" />
                      <add name="Missing" image="lib/missing.jar" />
                    </globalModules>""")
                        // Replace the whole <modules> list, so the test does not depend on what else the
                        // embedded default enables.
                        .replaceFirst("(?ms)^[ \\t]*<modules>.*?</modules>", """
                        <modules>
                                <add name="RequestFilteringModule" />
                                <add name="Greeting" />
                                <add name="StaticFileModule" />
                                <add name="Throwing" />
                            </modules>"""));

        CommandRun run = CommandRun.of("list", "modules", "--config", config.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> names = names(run.out());
        assertThat(names)
                .startsWith("RequestFilteringModule", "Greeting", "StaticFileModule", "Throwing")
                .endsWith("Missing")
                .containsSubsequence("DefaultDocumentModule", "DirectoryListingModule", "Missing")
                .doesNotHaveDuplicates();
        assertThat(run.out())
                .containsPattern("Greeting\\s+yes\\s+\\S*greeting\\.jar\\s+BEGIN_REQUEST \\(HIGH\\)")
                .containsPattern("Throwing\\s+yes \\(not loaded\\)\\s+\\S*throwing\\.jar\\s+UNAVAILABLE: registration"
                        + " failed: java\\.lang\\.IllegalStateException: no licence key configured")
                .containsPattern("Missing\\s+no\\s+\\S*missing\\.jar\\s+UNAVAILABLE: .*does not exist")
                .containsPattern("DefaultDocumentModule\\s+no\\s");
    }

    @Test
    void unknownSiteIsAUsageError() throws IOException {
        Path config = SampleConfig.write(temp);

        CommandRun run = CommandRun.of("list", "modules", "--config", config.toString(), "--site", "Nowhere");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no site named 'Nowhere'");
    }

    @Test
    void listWithoutAnObjectIsAUsageError() {
        CommandRun run = CommandRun.of("list");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing what to list: modules, sites or config");
    }

    /** The first column of the table rows. */
    private static List<String> names(String out) {
        return out.lines()
                .skip(2)
                .takeWhile(l -> !l.startsWith("<modules>"))
                .map(l -> l.split("\\s+")[0])
                .toList();
    }
}
