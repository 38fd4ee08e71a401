package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.CommandRun;
import io.weir.cli.ConfigFiles;
import io.weir.cli.LineDiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir add site} and {@code weir set config}: exact diffs, refusals that leave the file as it was. */
class SiteAndConfigEditCommandsTest {

    @TempDir
    Path temp;

    private Path config;
    private byte[] original;

    private void embeddedCopy() {
        original = ConfigFiles.embeddedDefault();
        config = ConfigFiles.write(temp, original);
    }

    private void iisExpressCopy() throws IOException {
        original = Files.readAllBytes(ConfigFiles.iisExpress());
        config = ConfigFiles.write(temp, original);
    }

    private CommandRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return CommandRun.of(all.toArray(String[]::new));
    }

    private List<String> diff() throws IOException {
        return LineDiff.of(new String(original, StandardCharsets.UTF_8), Files.readString(config));
    }

    private void assertUnchanged(CommandRun run) {
        assertThat(ConfigFiles.bytes(config))
                .as("the file is byte-identical after: " + run)
                .isEqualTo(original);
    }

    @Test
    void addSiteWritesTheSiteAfterTheLastOne() throws IOException {
        embeddedCopy();
        Files.createDirectories(temp.resolve("intranet"));

        CommandRun run = run(
                "add",
                "site",
                "--name",
                "Intranet",
                "--bindings",
                "http/*:8081:,http/127.0.0.1:8082:intranet",
                "--physicalPath",
                "intranet");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("SITE \"Intranet\" added (id:2,bindings:http/*:8081:,http/127.0.0.1:8082:intranet)")
                .doesNotContain("does not exist");
        assertThat(diff())
                .containsExactly(
                        "+      <site name=\"Intranet\" id=\"2\">",
                        "+        <application path=\"/\">",
                        "+          <virtualDirectory path=\"/\" physicalPath=\"intranet\" />",
                        "+        </application>",
                        "+        <bindings>",
                        "+          <binding protocol=\"http\" bindingInformation=\"*:8081:\" />",
                        "+          <binding protocol=\"http\" bindingInformation=\"127.0.0.1:8082:intranet\" />",
                        "+        </bindings>",
                        "+      </site>");
        CommandRun sites = CommandRun.of("list", "sites", "--config", config.toString());
        assertThat(sites.out())
                .contains("Intranet")
                .contains(temp.resolve("intranet").toString());
    }

    @Test
    void addSiteToTheIisExpressFileGoesBeforeSiteDefaults() throws IOException {
        iisExpressCopy();

        CommandRun run = run(
                "add",
                "site",
                "--name",
                "WebSite1",
                "--id",
                "7",
                "--bindings",
                "http/:8080:localhost",
                "--physicalPath",
                "%IIS_SITES_HOME%\\WebSite1",
                "--var",
                "IIS_SITES_HOME=/srv/sites");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(diff())
                .containsExactly(
                        "+            <site name=\"WebSite1\" id=\"7\">",
                        "+                <application path=\"/\">",
                        "+                    <virtualDirectory path=\"/\" physicalPath=\"%IIS_SITES_HOME%\\WebSite1\" />",
                        "+                </application>",
                        "+                <bindings>",
                        "+                    <binding protocol=\"http\" bindingInformation=\":8080:localhost\" />",
                        "+                </bindings>",
                        "+            </site>");
        assertThat(Files.readString(config)).contains("</site>-->\n            <site name=\"WebSite1\" id=\"7\">");
    }

    @Test
    void addSiteRefusesDuplicateNamesIdsAndBindings() {
        embeddedCopy();

        CommandRun name =
                run("add", "site", "--name", "default web site", "--bindings", "http/*:9000:", "--physicalPath", "x");
        assertThat(name.exitCode()).isEqualTo(1);
        assertThat(name.err()).contains("a site named 'Default Web Site' exists");
        assertUnchanged(name);

        CommandRun id =
                run("add", "site", "--name", "Other", "--id", "1", "--bindings", "http/*:9000:", "--physicalPath", "x");
        assertThat(id.exitCode()).isEqualTo(1);
        assertThat(id.err()).contains("site 'Default Web Site' has id 1");
        assertUnchanged(id);

        CommandRun binding = run("add", "site", "--name", "Other", "--bindings", "HTTP/*:8080:", "--physicalPath", "x");
        assertThat(binding.exitCode()).isEqualTo(1);
        assertThat(binding.err()).containsPattern("the binding http/\\*:8080: is already used \\(.*:\\d+\\)");
        assertUnchanged(binding);

        CommandRun malformed = run("add", "site", "--name", "Other", "--bindings", "http:8080", "--physicalPath", "x");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("is not PROTOCOL/IP:PORT:HOST");
        CommandRun slash = run("add", "site", "--name", "a/b", "--bindings", "http/*:9000:", "--physicalPath", "x");
        assertThat(slash.exitCode()).isEqualTo(2);
        assertThat(slash.err()).contains("IIS's siteName rule");
        assertUnchanged(slash);
    }

    @Test
    void setConfigReplacesAWrittenValueInPlace() throws IOException {
        embeddedCopy();

        CommandRun run = run("set", "config", "system.webServer/directoryBrowse", "--attr", "enabled=true");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(diff())
                .containsExactly(
                        "-    <directoryBrowse enabled=\"false\" />", "+    <directoryBrowse enabled=\"true\" />");
        assertThat(run.out())
                .containsPattern("CONFIG \"system.webServer/directoryBrowse\" at the server level:"
                        + " enabled=\"true\" \\(.*applicationHost\\.config:\\d+:22\\)");
    }

    @Test
    void setConfigSaysWhenAWebConfigOverridesTheValueItWrote() throws IOException {
        Path files = Files.createDirectories(temp.resolve("www/files"));
        Files.writeString(files.resolve("web.config"), """
                <configuration><system.webServer><directoryBrowse enabled="false" /></system.webServer></configuration>
                """);
        original = new String(ConfigFiles.embeddedDefault(), StandardCharsets.UTF_8)
                .replace("%WEIR_SITE_ROOT%", temp.resolve("www").toString())
                .getBytes(StandardCharsets.UTF_8);
        config = ConfigFiles.write(temp, original);

        CommandRun run = run(
                "set", "config", "directoryBrowse", "--location", "Default Web Site/files", "--attr", "enabled=true");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("enabled=\"false\" (" + files.resolve("web.config"))
                .contains("NOTE: enabled=\"true\" is written in " + config)
                .contains("the value that applies is \"false\", from " + files.resolve("web.config"))
                .contains("overrides it");
        CommandRun plain = run(
                "set", "config", "directoryBrowse", "--location", "Default Web Site/other", "--attr", "enabled=true");
        assertThat(plain.exitCode()).as(plain.err()).isZero();
        assertThat(plain.out()).doesNotContain("NOTE");
    }

    @Test
    void setConfigInAppcmdFormCreatesTheLocationAndAChildElement() throws IOException {
        embeddedCopy();

        CommandRun run = run(
                "set",
                "config",
                "staticContent",
                "--location",
                "Default Web Site/files",
                "/clientCache.cacheControlMode:UseMaxAge",
                "/clientCache.cacheControlMaxAge:1.00:00:00");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(diff())
                .containsExactly(
                        "+  <location path=\"Default Web Site/files\">",
                        "+    <system.webServer>",
                        "+      <staticContent>",
                        "+        <clientCache cacheControlMode=\"UseMaxAge\" cacheControlMaxAge=\"1.00:00:00\" />",
                        "+      </staticContent>",
                        "+    </system.webServer>",
                        "+  </location>",
                        "+");
        CommandRun list = CommandRun.of(
                "list", "config", "/files/a.txt", "--section", "staticContent", "--config", config.toString());
        assertThat(list.out()).containsPattern("cacheControlMode=\"UseMaxAge\"\\s+.*applicationHost\\.config:\\d+:22");
    }

    @Test
    void setConfigCreatesTheSectionGroupsALocationNeeds() throws IOException {
        embeddedCopy();

        CommandRun run = run(
                "set",
                "config",
                "security/requestFiltering",
                "--location",
                "Default Web Site/uploads",
                "--attr",
                "allowDoubleEscaping=true");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(diff())
                .containsExactly(
                        "+  <location path=\"Default Web Site/uploads\">",
                        "+    <system.webServer>",
                        "+      <security>",
                        "+        <requestFiltering allowDoubleEscaping=\"true\" />",
                        "+      </security>",
                        "+    </system.webServer>",
                        "+  </location>",
                        "+");
    }

    @Test
    void setConfigAddsAMissingSectionToTheIisExpressFile() throws IOException {
        iisExpressCopy();

        CommandRun run = run(
                "set",
                "config",
                "directoryBrowse",
                "--attr",
                "enabled=true",
                "--attr",
                "showFlags=Date",
                "--var",
                "IIS_BIN=/opt/iis-express");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(diff()).containsExactly("+        <directoryBrowse enabled=\"true\" showFlags=\"Date\" />", "+");
        assertThat(Files.readString(config))
                .as("separated by a blank line, as the file's sections are")
                .contains(
                        "        </webdav>\n\n        <directoryBrowse enabled=\"true\"" + " showFlags=\"Date\" />\n");
    }

    @Test
    void setConfigWithTheValueAlreadyWrittenDoesNotRewriteTheFile() throws IOException {
        embeddedCopy();
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(config, old);

        CommandRun run = run("set", "config", "directoryBrowse", "--attr", "enabled=false");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertUnchanged(run);
        assertThat(Files.getLastModifiedTime(config)).isEqualTo(old);
    }

    /**
     * A module's section declared by a schema file in the {@code schema} folder beside the file is
     * known to {@code set config} (by its last part too) and the edit is checked with the file's
     * validators; an attribute a schema file adds to one of Weir's sections can be set as well.
     */
    @Test
    void setConfigKnowsTheSectionsAndAttributesOfSchemaFiles() throws IOException {
        original = new String(ConfigFiles.embeddedDefault(), StandardCharsets.UTF_8)
                .replace(
                        "<section name=\"directoryBrowse\" overrideModeDefault=\"Allow\" />",
                        "<section name=\"directoryBrowse\" overrideModeDefault=\"Allow\" />\n"
                                + "      <section name=\"greeting\" overrideModeDefault=\"Allow\" />")
                .getBytes(StandardCharsets.UTF_8);
        config = ConfigFiles.write(temp, original);
        Path schema = Files.createDirectories(temp.resolve("schema"));
        Files.writeString(schema.resolve("greeting_schema.xml"), """
                <configSchema>
                  <sectionSchema name="system.webServer/greeting">
                    <attribute name="text" type="string" defaultValue="Hello" validationType="nonEmptyString" />
                    <element name="limits">
                      <attribute name="maxLength" type="uint" defaultValue="100"
                                 validationType="integerRange" validationParameter="1,1000" />
                    </element>
                  </sectionSchema>
                  <sectionSchema name="system.webServer/directoryBrowse">
                    <attribute name="owner" type="string" />
                  </sectionSchema>
                </configSchema>
                """);

        CommandRun set = run("set", "config", "greeting", "--attr", "text=Hi", "--attr", "limits.maxLength=20");
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(Files.readString(config)).contains("<greeting text=\"Hi\">", "<limits maxLength=\"20\" />");
        assertThat(set.out()).contains("CONFIG \"system.webServer/greeting\" at the server level: text=\"Hi\"");

        byte[] before = ConfigFiles.bytes(config);
        CommandRun tooLong = run("set", "config", "system.webServer/greeting", "--attr", "limits.maxLength=5000");
        assertThat(tooLong.exitCode()).isEqualTo(1);
        assertThat(tooLong.err()).contains("the edit is refused", "maxLength");
        CommandRun unknown = run("set", "config", "greeting", "--attr", "colour=red");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("the edit is refused", "colour");
        assertThat(ConfigFiles.bytes(config)).isEqualTo(before);

        CommandRun owner = run("set", "config", "directoryBrowse", "--attr", "owner=web team");
        assertThat(owner.exitCode()).as(owner.err()).isZero();
        assertThat(Files.readString(config)).contains("owner=\"web team\"");
    }

    @Test
    void whatTheLoaderRefusesRefusesTheEditWithLineAndReason() {
        embeddedCopy();

        CommandRun run = run("set", "config", "globalModules", "--location", "Default Web Site", "--attr", "x=1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .containsPattern(
                        "the edit is refused: with it, .*applicationHost\\.config would not load:"
                                + " line \\d+, column \\d+: .*section 'system.webServer/globalModules' may only be set .*at the server level");
        assertUnchanged(run);
    }

    @Test
    void unknownSectionsAndMalformedAttributesAreUsageErrors() {
        embeddedCopy();

        CommandRun unknown = run("set", "config", "system.webServer/asp", "--attr", "a=b");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err())
                .contains(
                        "unknown section 'system.webServer/asp'",
                        "the sections Weir implements: ",
                        "system.webServer/directoryBrowse");
        CommandRun none = run("set", "config", "directoryBrowse");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("give at least one attribute");
        CommandRun appcmd = run("set", "config", "directoryBrowse", "enabled=true");
        assertThat(appcmd.exitCode()).isEqualTo(2);
        assertThat(appcmd.err()).contains("'enabled=true' is not /NAME:VALUE");
        CommandRun item = run("set", "config", "defaultDocument", "--attr", "files.add.value=x");
        assertThat(item.exitCode()).isEqualTo(2);
        assertThat(item.err()).contains("collection items (<add>) are not edited by set config");
        CommandRun site = run("set", "config", "directoryBrowse", "--location", "Nowhere/x", "--attr", "enabled=true");
        assertThat(site.exitCode()).isEqualTo(2);
        assertThat(site.err()).contains("no site named 'Nowhere'");
        assertUnchanged(site);
    }
}
