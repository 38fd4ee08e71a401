package io.weir.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One configuration for every command: {@code weir init} writes {@code ./applicationHost.config},
 * and every later command run in that folder without {@code --config} uses it (the reading ones
 * say so), so a module installed with {@code weir install module} is the one {@code weir serve}
 * loads. And {@code weir serve --root DIR} (the embedded default) applies a web.config edit without
 * a restart. Each command runs in a JVM of its own, in the folder a user would be in.
 */
class WorkingDirectoryConfigIT {

    @TempDir
    Path project;

    /** {@code weir init --port 0}, then the binding narrowed to 127.0.0.1: these tests listen on loopback only. */
    private void init() throws Exception {
        WeirProcess.Result init = WeirProcess.run(project, "init", "--port", "0");
        assertThat(init.exitCode()).as(init.err()).isZero();
        Path file = project.resolve("applicationHost.config");
        String text = Files.readString(file);
        assertThat(text).contains("bindingInformation=\"*:0:\"");
        Files.writeString(file, text.replace("bindingInformation=\"*:0:\"", "bindingInformation=\"127.0.0.1:0:\""));
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void initWritesTheFileThatListInstallAndServeThenUse() throws Exception {
        init();
        Path file = project.resolve("applicationHost.config");
        assertThat(file)
                .content()
                .contains("physicalPath=\"wwwroot\"")
                .contains("bindingInformation=\"127.0.0.1:0:\"")
                .contains("Written by \"weir init\"")
                .doesNotContain("%WEIR_SITE_ROOT%");
        assertThat(project.resolve("wwwroot/index.html")).isRegularFile();

        WeirProcess.Result again = WeirProcess.run(project, "init");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already exists", "--force");

        WeirProcess.Result sites = WeirProcess.run(project, "list", "sites");
        assertThat(sites.exitCode()).as(sites.err()).isZero();
        assertThat(sites.out()).contains("-> " + project.toRealPath().resolve("wwwroot"));
        assertThat(sites.err())
                .contains("Configuration: " + project.toRealPath().resolve("applicationHost.config")
                        + " (found in the working directory)");

        Path jar =
                Path.of(System.getProperty("weir.it.helloWorldJar", "target/module-jars/weir-examples-helloworld.jar"));
        assertThat(jar).as("the HelloWorld example JAR").isRegularFile();
        WeirProcess.Result install = WeirProcess.run(
                project,
                "install",
                "module",
                "--name",
                "HelloWorld",
                "--image",
                jar.toAbsolutePath().toString());
        assertThat(install.exitCode()).as(install.out() + install.err()).isZero();
        assertThat(file).content().contains("name=\"HelloWorld\"");

        try (WeirProcess server = WeirProcess.serve(project)) {
            assertThat(server.output())
                    .contains("Configuration: " + project.toRealPath().resolve("applicationHost.config"));
            HttpResponse<String> response = get(server.port(), "/");
            assertThat(response.body()).as(server.output()).isEqualTo("Hello World");
        }
    }

    @Test
    void theEmbeddedDefaultWithoutAFileSaysSo() throws Exception {
        Files.createDirectories(project.resolve("wwwroot"));
        WeirProcess.Result sites = WeirProcess.run(project, "list", "sites");
        assertThat(sites.exitCode()).as(sites.err()).isZero();
        assertThat(sites.err())
                .contains(
                        "Configuration: the embedded default (no applicationHost.config in", "'weir init' writes one");
        WeirProcess.Result install = WeirProcess.run(project, "install", "module", "--name", "X", "--image", "x.jar");
        assertThat(install.exitCode()).isEqualTo(2);
        assertThat(install.err()).contains("'weir init' writes one").doesNotContain("weir-config/src/main/resources");
    }

    @Test
    void aRefusedFileIsReportedOnceWithoutPromising500Dot19() throws Exception {
        init();
        Path file = project.resolve("applicationHost.config");
        String good = Files.readString(file);
        String bad = good.replace("<directoryBrowse enabled=\"false\" />", "<directoryBrowse enabled=\"maybe\" />");
        assertThat(bad).isNotEqualTo(good);

        // at start: refused with file, line and reason, exit status 2, and no word of 500.19
        Files.writeString(file, bad);
        WeirProcess.Result refused = WeirProcess.run(project, "serve");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err())
                .contains("applicationHost.config:", "must be 'true' or 'false'")
                .doesNotContain("500.19");

        // a bad hot edit: the last good configuration keeps serving, and the log says only that
        Files.writeString(file, good);
        try (WeirProcess server = WeirProcess.serve(project)) {
            Files.writeString(file, bad);
            assertThat(server.awaitOutput("keeps serving", Duration.ofSeconds(15)))
                    .as(server.output())
                    .isTrue();
            assertThat(get(server.port(), "/").statusCode()).isEqualTo(200);
            assertThat(server.output()).contains("must be 'true' or 'false'").doesNotContain("500.19");
        }
    }

    @Test
    void anHttpsBindingWithoutACertificateIsRefusedAtStartNamingTheBinding() throws Exception {
        init();
        Path file = project.resolve("applicationHost.config");
        Files.writeString(
                file,
                Files.readString(file)
                        .replace(
                                "<binding protocol=\"http\" bindingInformation=\"127.0.0.1:0:\" />",
                                "<binding protocol=\"http\" bindingInformation=\"127.0.0.1:0:\" />\n"
                                        + "          <binding protocol=\"https\" bindingInformation=\"127.0.0.1:0:\" />"));
        assertThat(file).content().contains("<binding protocol=\"https\" bindingInformation=\"127.0.0.1:0:\" />");
        WeirProcess.Result result = WeirProcess.run(project, "serve");
        assertThat(result.exitCode()).as(result.out() + result.err()).isNotZero();
        assertThat(result.out() + result.err()).contains("binding https 127.0.0.1:0:", "has no certificateHash");
    }

    @Test
    void oneLogFormatALinePerRequestOnDemandAndLogsOutsideTheCheckoutNamedAtStart() throws Exception {
        Path site = Files.createDirectories(project.resolve("site"));
        Files.writeString(site.resolve("a.txt"), "a");
        Path data = project.resolve("data");
        try (WeirProcess server = WeirProcess.serve(
                project,
                Map.of("WEIR_DATA_HOME", data.toString()),
                "--root",
                site.toString(),
                "--port",
                "0",
                "--access-log-console")) {
            assertThat(server.output()).contains("Logs: " + data.resolve("logs"));
            assertThat(get(server.port(), "/a.txt").statusCode()).isEqualTo(200);
            assertThat(server.awaitOutput("\"GET /a.txt\" 200 ", Duration.ofSeconds(10)))
                    .as(server.output())
                    .isTrue();
            // the built-in modules log through the JDK's System.Logger: it arrives in Logback's one-line format
            assertThat(server.awaitOutput("logs to " + data.resolve("logs"), Duration.ofSeconds(10)))
                    .as(server.output())
                    .isTrue();
            assertThat(server.output().lines().filter(l -> l.contains("logs to " + data.resolve("logs"))))
                    .singleElement()
                    .asString()
                    .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO .*");
            assertThat(server.output()).doesNotContainPattern("(?m)^(INFO|WARNING|SEVERE): ");
        }
        assertThat(data.resolve("logs/W3SVC1")).isDirectory();
    }

    @Test
    void listAndExplainPrintNoStrayEngineLine() throws Exception {
        Files.createDirectories(project.resolve("wwwroot"));
        WeirProcess.Result explain = WeirProcess.run(project, "explain", "/");
        assertThat(explain.exitCode()).as(explain.err()).isZero();
        assertThat(explain.out() + explain.err()).doesNotContain("engine closed");
    }

    @Test
    void serveWithRootAppliesAWebConfigEditWithoutARestart() throws Exception {
        Path site = Files.createDirectories(project.resolve("site"));
        Files.writeString(site.resolve("a.txt"), "a");
        try (WeirProcess server = WeirProcess.serve(project, "--root", site.toString(), "--port", "0")) {
            assertThat(get(server.port(), "/a.txt").headers().firstValue("X-Edited"))
                    .isEmpty();
            Files.writeString(site.resolve("web.config"), """
                    <configuration><system.webServer><httpProtocol><customHeaders>
                      <add name="X-Edited" value="yes" />
                    </customHeaders></httpProtocol></system.webServer></configuration>
                    """);
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            String header = null;
            while (header == null && System.nanoTime() < deadline) {
                header = get(server.port(), "/a.txt")
                        .headers()
                        .firstValue("X-Edited")
                        .orElse(null);
                if (header == null) {
                    Thread.sleep(100);
                }
            }
            assertThat(header).as(server.output()).isEqualTo("yes");
            assertThat(server.output()).contains("web.config changed");
        }
    }
}
