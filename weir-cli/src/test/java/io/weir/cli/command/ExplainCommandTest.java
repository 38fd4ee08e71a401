package io.weir.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.CommandRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weir explain URL} on the embedded default and on {@link SampleConfig}. */
class ExplainCommandTest {

    @TempDir
    Path temp;

    private Path config;

    @BeforeEach
    void writeSample() throws IOException {
        config = SampleConfig.write(temp.resolve("sample"));
    }

    private CommandRun explain(String... args) {
        return CommandRun.of(concat(List.of("explain"), List.of(args), List.of("--config", config.toString())));
    }

    private static String[] concat(List<String> a, List<String> b, List<String> c) {
        return Stream.of(a, b, c).flatMap(List::stream).toArray(String[]::new);
    }

    @Test
    void rootOfTheEmbeddedDefaultRunsTheStaticFileHandlerInItsOrder() throws IOException {
        Path root = Files.createDirectories(temp.resolve("root"));
        Files.writeString(root.resolve("index.html"), "<p>hi</p>");

        CommandRun run = CommandRun.of("explain", "/", "--var", "WEIR_SITE_ROOT=" + root);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("GET /")
                .contains("Site:          \"Default Web Site\" (id 1): the first started site")
                .contains("Physical path: " + root.toAbsolutePath().normalize() + " (directory)")
                .containsPattern("<embedded>:\\d+\\s+<location path=\"\"> \\(the whole server\\)")
                .containsPattern("CHOSEN\\s+StaticFile\\s+path \"\\*\" and verb \"\\*\" match; resourceType Either")
                .contains("Result: the handler 'StaticFile' runs")
                .containsPattern(
                        "BEGIN_REQUEST\\R\\s+1\\. HttpLoggingModule\\s+FIRST\\s+built-in "
                                + "io\\.weir\\.modules\\.httplogging\\.HttpLoggingModuleRegistration\\s+\\(<embedded>:\\d+\\S*\\R"
                                + "\\s+2\\. RequestFilteringModule\\s+MEDIUM\\s+built-in "
                                + "io\\.weir\\.modules\\.requestfiltering\\.RequestFilteringModuleRegistration\\s+\\(<embedded>:\\d+")
                .containsPattern("LOG_REQUEST  \\(always runs\\)\\R\\s+1\\. HttpLoggingModule ")
                .containsPattern(
                        "EXECUTE_REQUEST_HANDLER  \\(the modules of the handler 'StaticFile', in its order[^\\n]*\\R"
                                + "\\s+1\\. StaticFileModule .*\\R\\s+2\\. DefaultDocumentModule .*\\R\\s+3\\. DirectoryListingModule ")
                // ProtocolSupportModule handles TRACE/OPTIONS only where a mapping names it (not in the default)
                .contains("ProtocolSupportModule registered EXECUTE_REQUEST_HANDLER but the handler 'StaticFile' "
                        + "does not list it, so it never runs here")
                // FastCgiModule and CgiModule run only where a mapping names them (a site's PHP or CGI mapping)
                .contains("FastCgiModule registered EXECUTE_REQUEST_HANDLER but the handler 'StaticFile' "
                        + "does not list it, so it never runs here")
                .contains("CgiModule registered EXECUTE_REQUEST_HANDLER but the handler 'StaticFile' "
                        + "does not list it, so it never runs here")
                .contains("ApplicationRequestRouting registered EXECUTE_REQUEST_HANDLER but the handler 'StaticFile' "
                        + "does not list it, so it never runs here")
                .contains("AspNetCoreModuleV2 registered EXECUTE_REQUEST_HANDLER but the handler 'StaticFile' "
                        + "does not list it, so it never runs here")
                // the embedded default's configuration makes these no-ops at every URL
                .contains("Enabled but left out of this URL's pipeline")
                .contains("left out: IpRestrictionModule: its configuration here makes it a no-op "
                        + "(system.webServer/security/ipSecurity)")
                .contains("left out: RewriteModule: its configuration here makes it a no-op "
                        + "(system.webServer/rewrite/rules, system.webServer/rewrite/outboundRules)")
                .contains("left out: BasicAuthenticationModule")
                .contains("left out: DynamicIpRestrictionModule")
                .contains("left out: HttpRedirectionModule")
                .contains("left out: ApplicationRequestRouting");
        assertThat(run.out().split("never runs here", -1)).hasSize(6);
        // (RewriteModule's global part still runs in PRE_BEGIN_REQUEST, before BEGIN_REQUEST)
        String pipeline = run.out()
                .substring(run.out().indexOf("\n  BEGIN_REQUEST"), run.out().indexOf("Enabled but left out"));
        assertThat(pipeline)
                .doesNotContain("IpRestrictionModule")
                .doesNotContain("RewriteModule")
                .doesNotContain("BasicAuthenticationModule")
                .doesNotContain("HttpRedirectionModule");
        assertThat(stageOrder(run.out()))
                .containsSubsequence(
                        "BEGIN_REQUEST",
                        "MAP_REQUEST_HANDLER",
                        "EXECUTE_REQUEST_HANDLER",
                        "UPDATE_REQUEST_CACHE",
                        "SEND_RESPONSE",
                        "LOG_REQUEST",
                        "END_REQUEST");
    }

    @Test
    void missingFileOfTheEmbeddedDefaultIs404Point0AndSkipsTheLaterStages() throws IOException {
        Path root = Files.createDirectories(temp.resolve("root"));

        CommandRun run = CommandRun.of("explain", "/nope.txt", "--var", "WEIR_SITE_ROOT=" + root);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Physical path: " + root.toAbsolutePath().normalize().resolve("nope.txt") + " (missing)")
                .contains("Result: 404.0 from the core in MAP_REQUEST_HANDLER: the handler mapping 'StaticFile' needs"
                        + " a file or a directory")
                .contains("EXECUTE_REQUEST_HANDLER  [not reached: the core answered 404.0 in MAP_REQUEST_HANDLER]")
                .containsPattern("END_REQUEST  \\(always runs\\)");
    }

    @Test
    void aMappingWithAllowPathInfoIsChosenForTheScriptBeforeThePathInformation() throws IOException {
        Path root = Files.createDirectories(temp.resolve("root"));
        Files.writeString(root.resolve("index.php"), "<?php echo 1;");
        Files.writeString(root.resolve("web.config"), """
                <configuration><system.webServer><handlers>
                  <add name="PHP" path="*.php" verb="GET" modules="FastCgiModule" scriptProcessor="/usr/bin/php-cgi"
                       resourceType="File" requireAccess="Script" allowPathInfo="true" />
                </handlers></system.webServer></configuration>
                """);

        CommandRun run = CommandRun.of("explain", "/index.php/extra/path", "--var", "WEIR_SITE_ROOT=" + root);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .containsPattern("CHOSEN\\s+PHP\\s+path \"\\*\\.php\" and verb \"GET\" match")
                .contains("; script /index.php, path information /extra/path")
                .doesNotContain("Result: 404");

        CommandRun missing = CommandRun.of("explain", "/gone.php/extra", "--var", "WEIR_SITE_ROOT=" + root);
        assertThat(missing.out())
                .contains("Result: 404.0 from the core in MAP_REQUEST_HANDLER: the handler mapping 'PHP'");
    }

    @Test
    void aFileReachedThroughASymbolicLinkShowsWhereItLeadsAndWhetherTheRuleServesIt() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Path root = Files.createDirectories(temp.resolve("root"));
        Files.createSymbolicLink(root.resolve("link.txt"), outside.resolve("secret.txt"));
        Path strict = Files.createDirectories(root.resolve("strict"));
        Files.createSymbolicLink(strict.resolve("link.txt"), outside.resolve("secret.txt"));
        Files.writeString(
                strict.resolve("web.config"),
                "<configuration><system.webServer><weirSymbolicLinks mode=\"RefuseOutsideRoot\" /></system.webServer></configuration>");
        Path real = outside.resolve("secret.txt").toRealPath();

        CommandRun followed = CommandRun.of("explain", "/link.txt", "--var", "WEIR_SITE_ROOT=" + root);
        assertThat(followed.exitCode()).as(followed.err()).isZero();
        assertThat(followed.out())
                .contains(
                        "Resolved path: " + real + " (through a symbolic link; weirSymbolicLinks mode FOLLOW: served)");

        CommandRun refused = CommandRun.of("explain", "/strict/link.txt", "--var", "WEIR_SITE_ROOT=" + root);
        assertThat(refused.exitCode()).as(refused.err()).isZero();
        assertThat(refused.out())
                .contains(
                        "Resolved path: " + real
                                + " (through a symbolic link; weirSymbolicLinks mode REFUSE_OUTSIDE_ROOT: refused, answered as missing)");
    }

    @Test
    void everyHandlerPassedOverBeforeTheChosenOneSaysWhy() {
        CommandRun run = explain("/x.asp");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .containsPattern("skipped\\s+AspClassic\\s+preCondition \"classicMode\" cannot hold in Weir.*"
                        + "applicationHost\\.config:64")
                .containsPattern(
                        "skipped\\s+PhpScripts\\s+requireAccess=\"Script\" is not granted by accessPolicy=\"Read\"")
                .containsPattern("no match\\s+Broken\\s+path \"\\*\\.broken\" does not match \"x\\.asp\"")
                .containsPattern("no match\\s+PostOnly\\s+path \"\\*\\.form\" does not match \"x\\.asp\"")
                .containsPattern("CHOSEN\\s+Files\\s+path \"\\*\" and verb \"GET,HEAD\" match; resourceType File")
                .contains("(1 later entry not consulted)")
                .contains(
                        "Result: 404.0 from the core in MAP_REQUEST_HANDLER: the handler mapping 'Files' needs a file")
                .contains(
                        "unless a module that runs before the handler is chosen ends the request or, in"
                                + " MAP_REQUEST_HANDLER, picks another: HighProbe (PRE_BEGIN_REQUEST), HighProbe (BEGIN_REQUEST),"
                                + " RequestFilteringModule (BEGIN_REQUEST), LateProbe (BEGIN_REQUEST), HighProbe (POST_BEGIN_REQUEST)");
        assertThat(run.out().indexOf("AspClassic")).isLessThan(run.out().indexOf("PhpScripts"));
    }

    @Test
    void modulesThatRegisteredExecuteRequestHandlerButAreNotListedAreNamed() {
        CommandRun run = explain("/readme.txt");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Physical path: " + config.getParent().resolve("main/readme.txt") + " (file)")
                .contains("Result: the handler 'Files' runs")
                .containsPattern("EXECUTE_REQUEST_HANDLER  \\(the modules of the handler 'Files'[^\\n]*\\R"
                        + "\\s+1\\. StaticFileModule ")
                .contains("DefaultDocumentModule registered EXECUTE_REQUEST_HANDLER but the handler 'Files' does not"
                        + " list it, so it never runs here")
                .contains("DirectoryListingModule registered EXECUTE_REQUEST_HANDLER but the handler 'Files' does not"
                        + " list it, so it never runs here")
                .contains("HighProbe registered EXECUTE_REQUEST_HANDLER but the handler 'Files' does not list it,"
                        + " so it never runs here");
    }

    @Test
    void priorityBeatsModulesOrderAndSendResponseIsReversed() {
        CommandRun run = explain("/readme.txt");

        assertThat(run.out())
                .containsPattern("PRE_BEGIN_REQUEST  \\([^\\n]*\\R\\s+1\\. HighProbe ")
                .containsPattern("\\R  BEGIN_REQUEST\\R"
                        + "\\s+1\\. HighProbe\\s+HIGH\\s+built-in io\\.weir\\.cli\\.command\\.ProbeModules\\$High\\s+"
                        + "\\(.*applicationHost\\.config:51:7\\)\\R"
                        + "\\s+2\\. RequestFilteringModule\\s+MEDIUM .*\\R"
                        + "\\s+3\\. LateProbe\\s+MEDIUM .*\\R"
                        + "  POST_BEGIN_REQUEST\\R\\s+1\\. HighProbe\\s+HIGH ")
                .containsPattern("SEND_RESPONSE  \\(reverse order[^\\n]*\\R"
                        + "\\s+1\\. LateProbe\\s+LOW .*\\R"
                        + "\\s+2\\. HighProbe\\s+HIGH ");
    }

    @Test
    void aLocationThatCoversTheUrlIsListedAndItsModulesApply() {
        CommandRun run = explain("/docs/", "--verb", "POST");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .startsWith("POST /docs/")
                .containsPattern("applicationHost\\.config:" + SampleConfig.DOCS_LOCATION_LINE
                        + "\\s+<location path=\"Main/docs\">")
                .doesNotContain("<location path=\"Intranet\">")
                .containsPattern("no match\\s+Files\\s+verb POST is not in \"GET,HEAD\"")
                .containsPattern("CHOSEN\\s+StaticFile\\s+")
                .contains("Physical path: " + config.getParent().resolve("main/docs") + " (directory)")
                .contains("Loaded but not enabled for this URL")
                .contains("RequestFilteringModule: 'RequestFilteringModule' is not enabled in <modules> for this URL")
                .containsPattern("\\R  BEGIN_REQUEST\\R\\s+1\\. HighProbe .*\\R\\s+2\\. LateProbe ");
    }

    @Test
    void aHandlerNamingAModuleThatDoesNotExistIs500Point21() {
        CommandRun run = explain("/a.broken");

        assertThat(run.out())
                .containsPattern("CHOSEN\\s+Broken\\s+")
                .contains("Result: 500.21 from the core in MAP_REQUEST_HANDLER: the handler 'Broken' has a bad module"
                        + " 'NoSuchModule' in its module list: no <globalModules> entry is named 'NoSuchModule'")
                .contains("NoSuchModule is listed by the handler 'Broken' but no <globalModules> entry is named"
                        + " 'NoSuchModule'")
                .contains("ACQUIRE_REQUEST_STATE  [not reached: the core answered 500.21 in MAP_REQUEST_HANDLER]");
    }

    @Test
    void theHostOfAnAbsoluteUrlChoosesTheSiteByItsBindings() {
        CommandRun intranet = explain("http://intranet.example:8080/a.html");
        CommandRun other = explain("http://www.example:8080/readme.txt");

        assertThat(intranet.out())
                .contains("Site:          \"Intranet\" (id 2): its binding http *:8080:intranet.example")
                .containsPattern("applicationHost\\.config:\\d+\\s+<location path=\"Intranet\">")
                .containsPattern("no match\\s+TextOnly\\s+path \"\\*\\.txt\" does not match \"a\\.html\"")
                .contains("Result: 404.4 from the core in MAP_REQUEST_HANDLER: no handler mapping matches /a.html");
        assertThat(other.out()).contains("Site:          \"Main\" (id 1): its binding http *:8080:");
    }

    @Test
    void aPathMatchWhoseVerbsRefuseTheRequestIs405() {
        CommandRun run = explain("/a.txt", "--site", "Intranet", "--verb", "POST");

        assertThat(run.out())
                .contains("Site:          \"Intranet\" (id 2): given with --site")
                .containsPattern("no match\\s+TextOnly\\s+verb POST is not in \"GET\"")
                .contains("Result: 405.0 from the core in MAP_REQUEST_HANDLER: a handler mapping matches the path but"
                        + " none accepts the verb POST");
    }

    @Test
    void anAddressNoBindingServesIsAnInvalidHostname() {
        CommandRun run = explain("http://127.0.0.1:9090/");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Result: 400 Bad Request - Invalid Hostname: no binding of a started site"
                        + " matches 127.0.0.1:9090");
    }

    @Test
    void aStoppedSiteGivenWithSiteIsExplainedWithANote() {
        CommandRun run = explain("/readme.txt", "--site", "parked");

        assertThat(run.out())
                .contains("Site:          \"Parked\" (id 3): given with --site; note: serverAutoStart=false");
    }

    @Test
    void usageErrors() {
        assertThat(CommandRun.of("explain").exitCode()).isEqualTo(2);
        CommandRun relative = explain("docs/readme.txt");
        assertThat(relative.exitCode()).isEqualTo(2);
        assertThat(relative.err()).contains("URL must be a path starting with '/' or an http:// URL");
        CommandRun site = explain("/", "--site", "Nowhere");
        assertThat(site.exitCode()).isEqualTo(2);
        assertThat(site.err()).contains("no site named 'Nowhere' (sites: \"Main\", \"Intranet\", \"Parked\")");
    }

    @Test
    void aUrlThatCannotBeCanonicalizedIs400() {
        CommandRun run = explain("/%zz");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Result: 400 Bad Request - Invalid URL");
    }

    @Test
    void aRefusedConfigurationIsReportedWithFileAndLine() throws IOException {
        Path broken = Files.writeString(temp.resolve("broken.config"), "<configuration>\n  <system.webServer>\n");

        CommandRun run = CommandRun.of("explain", "/", "--config", broken.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err())
                .matches("(?s)Configuration: .*broken\\.config \\(--config\\)\\R"
                        + "weir: .*broken\\.config:\\d+(:\\d+)?: .+\\R");
    }

    private static List<String> stageOrder(String out) {
        return out.lines()
                .filter(l -> l.matches("  [A-Z_]+(\\s.*)?"))
                .map(l -> l.trim().split("\\s")[0])
                .toList();
    }
}
