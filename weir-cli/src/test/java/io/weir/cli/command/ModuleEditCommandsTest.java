package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.CommandRun;
import io.weir.cli.ConfigFiles;
import io.weir.cli.LineDiff;
import io.weir.cli.TestJars;
import io.weir.config.ApplicationHostConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir install|uninstall|add|delete module} on copies of the embedded default and of the
 * IIS Express file: each changes exactly the intended lines; each refusal leaves the file
 * byte-identical.
 */
class ModuleEditCommandsTest {

    @TempDir
    Path temp;

    private Path config;
    private byte[] original;

    private Path embeddedCopy() {
        original = ConfigFiles.embeddedDefault();
        config = ConfigFiles.write(temp, original);
        return config;
    }

    private Path iisExpressCopy() throws IOException {
        original = Files.readAllBytes(ConfigFiles.iisExpress());
        config = ConfigFiles.write(temp, original);
        return config;
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
    void installAddsTheGlobalModuleAndEnablesItThenUninstallRestoresTheFileByteForByte() throws IOException {
        embeddedCopy();
        TestJars.greeting(temp, "greeting.jar");

        CommandRun install = run("install", "module", "--name", "Greeting", "--image", "greeting.jar");

        assertThat(install.exitCode()).as(install.err()).isZero();
        assertThat(diff())
                .containsExactly(
                        "+      <add name=\"Greeting\" image=\"greeting.jar\" />",
                        "+        <add name=\"Greeting\" />");
        assertThat(install.out())
                .containsPattern("GLOBAL MODULE \"Greeting\" installed in <globalModules> \\(.*"
                        + "applicationHost\\.config:\\d+:7\\): .*greeting\\.jar")
                .contains("registered: BEGIN_REQUEST (HIGH)")
                .containsPattern("MODULE \"Greeting\" enabled in <modules> \\(.*applicationHost\\.config:\\d+:9\\)");

        CommandRun uninstall = run("uninstall", "module", "--name", "Greeting");

        assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();
        assertThat(uninstall.out())
                .contains("GLOBAL MODULE \"Greeting\" uninstalled", "MODULE \"Greeting\" removed from <modules>");
        assertUnchanged(uninstall);
    }

    @Test
    void installDeclaresTheSectionsOfTheSchemaTheJarShips() throws IOException {
        embeddedCopy();
        TestJars.greetingWithSchema(temp, "greeting.jar", Map.of("greeting_schema.xml", """
                        <configSchema>
                          <sectionSchema name="system.webServer/greeting">
                            <attribute name="text" type="string" defaultValue="Hello" />
                          </sectionSchema>
                          <sectionSchema name="system.webServer/greetings/audit">
                            <attribute name="enabled" type="bool" defaultValue="false" />
                          </sectionSchema>
                          <sectionSchema name="system.webServer/defaultDocument">
                            <attribute name="enabled" type="bool" defaultValue="true" />
                          </sectionSchema>
                        </configSchema>
                        """));

        CommandRun install = run(
                "install",
                "module",
                "--name",
                "Greeting",
                "--image",
                "greeting.jar",
                "--override-mode-default",
                "deny");

        assertThat(install.exitCode()).as(install.err()).isZero();
        assertThat(diff())
                .contains(
                        "+      <section name=\"greeting\" overrideModeDefault=\"Deny\" />",
                        "+      <sectionGroup name=\"greetings\">",
                        "+        <section name=\"audit\" overrideModeDefault=\"Deny\" />",
                        "+      </sectionGroup>")
                .noneMatch(line -> line.contains("defaultDocument"));
        assertThat(install.out())
                .contains(
                        "SECTION \"system.webServer/greeting\" declared in <configSections> (overrideModeDefault=Deny,"
                                + " allowDefinition=Everywhere), schema ",
                        "greeting.jar!/META-INF/weir/schema/greeting_schema.xml");
        ApplicationHostConfig after = ApplicationHostConfig.load(config, Map.of("WEIR_SITE_ROOT", temp.toString()));
        assertThat(after.unsupportedSections()).isEmpty();
        assertThat(after.schemas().moduleSections())
                .containsOnlyKeys("system.webServer/greeting", "system.webServer/greetings/audit");

        CommandRun again = run("install", "module", "--name", "Greeting2", "--image", "greeting.jar", "--add", "false");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("SECTION \"system.webServer/greeting\" already declared in <configSections>");
    }

    @Test
    void aJarWhoseSchemaIsRefusedIsNotInstalled() {
        embeddedCopy();
        TestJars.greetingWithSchema(
                temp,
                "greeting.jar",
                Map.of(
                        "bad.xml",
                        "<configSchema>\n<sectionSchema name=\"a/b\">\n<attribute name=\"x\" type=\"real\" />\n"
                                + "</sectionSchema></configSchema>\n"));

        CommandRun install = run("install", "module", "--name", "Greeting", "--image", "greeting.jar");

        assertThat(install.exitCode()).isEqualTo(1);
        assertThat(install.err())
                .contains("greeting.jar!/META-INF/weir/schema/bad.xml:3", "unknown attribute type 'real'");
        assertUnchanged(install);
    }

    @Test
    void installWithAddFalseOnlyRegistersAndKeepsPreCondition() throws IOException {
        embeddedCopy();
        TestJars.greeting(temp.resolve("modules"), "g.jar");

        CommandRun install = run(
                "install",
                "module",
                "--name",
                "Greeting",
                "--image",
                "modules/g.jar",
                "--add",
                "false",
                "--precondition",
                "bitness64");

        assertThat(install.exitCode()).as(install.err()).isZero();
        assertThat(diff())
                .containsExactly("+      <add name=\"Greeting\" image=\"modules/g.jar\" preCondition=\"bitness64\" />");
    }

    @Test
    void installIntoTheIisExpressFileIndentsLikeItsSiblingsAndGoesInTheUnlockedLocation() throws IOException {
        iisExpressCopy();
        TestJars.greeting(temp, "greeting.jar");

        CommandRun install = run(
                "install",
                "module",
                "--name",
                "Greeting",
                "--image",
                "greeting.jar",
                "--var",
                "IIS_BIN=/opt/iis-express");

        assertThat(install.exitCode()).as(install.err()).isZero();
        assertThat(diff())
                .containsExactly(
                        "+            <add name=\"Greeting\" image=\"greeting.jar\" />",
                        "+                <add name=\"Greeting\" />");
        String text = Files.readString(config);
        assertThat(text)
                .contains("webengine4.dll\" preCondition=\"integratedMode,runtimeVersionv4.0,bitness64\" />\n"
                        + "            <add name=\"Greeting\" image=\"greeting.jar\" />\n        </globalModules>");

        CommandRun uninstall = run("uninstall", "module", "--name", "Greeting");
        assertThat(uninstall.exitCode()).as(uninstall.err()).isZero();
        assertUnchanged(uninstall);
    }

    @Test
    void aJarThatIsNotAModuleJarIsRefusedWithTheReason() {
        embeddedCopy();
        TestJars.withoutServices(temp, "plain.jar");

        CommandRun run = run("install", "module", "--name", "Plain", "--image", "plain.jar");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "module 'Plain' cannot be loaded:",
                        "is not a module JAR",
                        "lists no io.weir.api.ModuleRegistration",
                        "was not changed");
        assertUnchanged(run);
    }

    @Test
    void aRegistrationThatThrowsIsRefusedWithTheReason() {
        embeddedCopy();
        TestJars.throwing(temp, "throwing.jar");

        CommandRun run = run("install", "module", "--name", "Throwing", "--image", "throwing.jar");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("module 'Throwing' cannot be loaded: registration failed:", "no licence key configured");
        assertUnchanged(run);
    }

    @Test
    void aMissingImageAndADuplicateNameAreRefused() {
        embeddedCopy();

        CommandRun missing = run("install", "module", "--name", "Ghost", "--image", "nowhere/ghost.jar");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("cannot be loaded", "does not exist");
        assertUnchanged(missing);

        TestJars.greeting(temp, "greeting.jar");
        CommandRun duplicate = run("install", "module", "--name", "StaticFileModule", "--image", "greeting.jar");
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.err())
                .containsPattern("a module named 'StaticFileModule' is already installed \\(.*:\\d+:7\\)");
        assertUnchanged(duplicate);
    }

    @Test
    void aRelativeImageIsResolvedAgainstTheConfigurationsFolderNotTheWorkingDirectory() throws IOException {
        Path sub = Files.createDirectories(temp.resolve("conf"));
        original = ConfigFiles.embeddedDefault();
        config = ConfigFiles.write(sub, original);
        Path here = Path.of("target", "cli-test-jars");
        TestJars.greeting(here, "relative.jar");

        CommandRun run = run("install", "module", "--name", "Greeting", "--image", "target/cli-test-jars/relative.jar");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        "a relative image is resolved against the folder of",
                        "as the server resolves it",
                        "give --image " + sub.relativize(here.toAbsolutePath()),
                        "or --image " + here.toAbsolutePath());
        assertUnchanged(run);
    }

    @Test
    void addModuleAtASitePathCreatesTheLocationAtTheEndOfTheFile() throws IOException {
        embeddedCopy();

        CommandRun run = run(
                "delete",
                "module",
                "--name",
                "DirectoryListingModule",
                "--site",
                "default web site",
                "--path",
                "/private/");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(diff())
                .containsExactly(
                        "+  <location path=\"Default Web Site/private\">",
                        "+    <system.webServer>",
                        "+      <modules>",
                        "+        <remove name=\"DirectoryListingModule\" />",
                        "+      </modules>",
                        "+    </system.webServer>",
                        "+  </location>",
                        "+");
        assertThat(run.out())
                .contains("MODULE \"DirectoryListingModule\" disabled at \"Default Web Site/private\""
                        + " with <remove>");

        byte[] afterDelete = ConfigFiles.bytes(config);
        CommandRun add = run(
                "add",
                "module",
                "--name",
                "DirectoryListingModule",
                "--site",
                "Default Web Site",
                "--path",
                "/private");
        assertThat(add.exitCode()).as(add.err()).isZero();
        assertThat(LineDiff.of(new String(afterDelete, StandardCharsets.UTF_8), Files.readString(config)))
                .containsExactly("+        <add name=\"DirectoryListingModule\" />");
        assertThat(add.out())
                .containsPattern("MODULE \"DirectoryListingModule\" enabled at \"Default Web Site/private\""
                        + " \\(.*:\\d+:9\\)");

        CommandRun deleteAgain = run(
                "delete",
                "module",
                "--name",
                "DirectoryListingModule",
                "--site",
                "Default Web Site",
                "--path",
                "/private");
        assertThat(deleteAgain.exitCode()).as(deleteAgain.err()).isZero();
        assertThat(ConfigFiles.bytes(config)).isEqualTo(afterDelete);
    }

    @Test
    void deleteModuleAtTheServerLevelRemovesItsEntry() throws IOException {
        embeddedCopy();

        CommandRun run = run("delete", "module", "--name", "DirectoryListingModule");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(diff()).containsExactly("-        <add name=\"DirectoryListingModule\" />");
    }

    @Test
    void addModuleRefusesAModuleNotInstalledOrAlreadyEnabled() {
        embeddedCopy();

        CommandRun notInstalled = run("add", "module", "--name", "Nope", "--site", "Default Web Site");
        assertThat(notInstalled.exitCode()).isEqualTo(1);
        assertThat(notInstalled.err()).contains("no module named 'Nope' is installed in <globalModules>");
        assertUnchanged(notInstalled);

        CommandRun already =
                run("add", "module", "--name", "StaticFileModule", "--site", "Default Web Site", "--path", "/a");
        assertThat(already.exitCode()).isEqualTo(1);
        assertThat(already.err())
                .containsPattern("'StaticFileModule' is already enabled at \"Default Web Site/a\""
                        + " \\(.*applicationHost\\.config:\\d+:9\\)");
        assertUnchanged(already);
    }

    @Test
    void deleteModuleRefusesAnItemLockedAbove() throws IOException {
        iisExpressCopy();
        Files.writeString(
                config,
                Files.readString(config)
                        .replace(
                                "<sites>",
                                "<sites>\n            <site name=\"S\" id=\"1\"><application path=\"/\"><virtualDirectory path=\"/\""
                                        + " physicalPath=\"/srv/s\" /></application><bindings><binding protocol=\"http\""
                                        + " bindingInformation=\"*:8081:\" /></bindings></site>"));
        original = ConfigFiles.bytes(config);

        CommandRun run = run(
                "delete",
                "module",
                "--name",
                "DefaultDocumentModule",
                "--site",
                "S",
                "--var",
                "IIS_BIN=/opt/iis-express");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .containsPattern("'DefaultDocumentModule' is locked with lockItem=\"true\" \\(.*:\\d+:\\d+\\)");
        assertUnchanged(run);
    }

    @Test
    void usageErrorsExitTwoWithAMessage() {
        embeddedCopy();

        assertThat(CommandRun.of("install").err()).contains("Missing what to install: module");
        CommandRun noName = run("install", "module", "--image", "x.jar");
        assertThat(noName.exitCode()).isEqualTo(2);
        assertThat(noName.err()).contains("Missing required option: '--name=NAME'", "Usage: weir install module");
        CommandRun noImage = run("install", "module", "--name", "X");
        assertThat(noImage.exitCode()).isEqualTo(2);
        assertThat(noImage.err()).contains("give --image PATH.jar");
        CommandRun badAdd = run("install", "module", "--name", "X", "--image", "x.jar", "--add", "maybe");
        assertThat(badAdd.exitCode()).isEqualTo(2);
        CommandRun pathWithoutSite = run("add", "module", "--name", "StaticFileModule", "--path", "/a");
        assertThat(pathWithoutSite.exitCode()).isEqualTo(2);
        assertThat(pathWithoutSite.err()).contains("--path needs --site");
        CommandRun unknownSite = run("delete", "module", "--name", "StaticFileModule", "--site", "Nowhere");
        assertThat(unknownSite.exitCode()).isEqualTo(2);
        assertThat(unknownSite.err()).contains("no site named 'Nowhere'");
        assertUnchanged(unknownSite);

        CommandRun noFile = CommandRun.of(
                "uninstall",
                "module",
                "--name",
                "X",
                "--config",
                temp.resolve("none.config").toString());
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("no such file");
    }

    @Test
    void aFileWeirRefusesIsReportedAndNotEdited() throws IOException {
        embeddedCopy();
        Files.writeString(
                config, Files.readString(config).replace("<directoryBrowse enabled=\"false\" />", "<noSuchSection />"));
        original = ConfigFiles.bytes(config);
        TestJars.greeting(temp, "greeting.jar");

        CommandRun run = run("install", "module", "--name", "Greeting", "--image", "greeting.jar");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .containsPattern("weir: .*applicationHost\\.config:\\d+:\\d+: .*noSuchSection")
                .contains("is left as it is");
        assertUnchanged(run);
    }
}
