package io.weir.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.WeirCommand;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * End to end: {@code weir install module} puts the HelloWorld example's JAR (built by weir-examples,
 * copied to target/module-jars, not on this test's class path) into a copy of the embedded default
 * configuration; a server started from that file answers "Hello World" from the module over HTTP;
 * after {@code weir uninstall module} the same file serves the site's files again and is
 * byte-identical to the copy it started as. Also {@code weir add module --site --path} enabling it
 * under one path only.
 */
class CliModuleInstallIT {

    private static final String JAR_PROPERTY = "weir.it.helloWorldJar";

    @TempDir
    Path installation;

    @TempDir
    Path siteRoot;

    private static String weir(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = WeirCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exit = commandLine.execute(args);
        assertThat(exit).as("weir " + String.join(" ", args) + "\n" + out + err).isZero();
        return out.toString();
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private Path setUp() throws IOException {
        Path built = Path.of(System.getProperty(JAR_PROPERTY, "target/module-jars/weir-examples-helloworld.jar"));
        assertThat(built)
                .as("the HelloWorld example JAR (weir-examples, classifier helloworld)")
                .isRegularFile();
        Files.createDirectories(installation.resolve("modules"));
        Files.copy(built, installation.resolve("modules/helloworld.jar"), StandardCopyOption.REPLACE_EXISTING);
        Path config = installation.resolve("applicationHost.config");
        try (InputStream in = WeirCommand.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            Files.copy(in, config);
        }
        Files.writeString(siteRoot.resolve("index.html"), "<h1>static</h1>");
        return config;
    }

    @Test
    void installedModuleAnswersOverHttpAndUninstallRemovesIt() throws Exception {
        Path config = setUp();
        byte[] original = Files.readAllBytes(config);
        Map<String, String> vars = Map.of("WEIR_SITE_ROOT", siteRoot.toString());

        try (WeirTestServer before = WeirTestServer.start(config, vars)) {
            assertThat(get(before.uri("/")).body()).isEqualTo("<h1>static</h1>");
        }

        String installed = weir(
                "install",
                "module",
                "--name",
                "HelloWorldModule",
                "--image",
                "modules/helloworld.jar",
                "--config",
                config.toString());
        assertThat(installed).contains("GLOBAL MODULE \"HelloWorldModule\" installed", "registered: BEGIN_REQUEST");
        assertThat(Files.readString(config))
                .contains("<add name=\"HelloWorldModule\" image=\"modules/helloworld.jar\" />");

        try (WeirTestServer server = WeirTestServer.start(config, vars)) {
            HttpResponse<String> hello = get(server.uri("/"));
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("Hello World");
        }

        weir("uninstall", "module", "--name", "HelloWorldModule", "--config", config.toString());
        assertThat(Files.readAllBytes(config)).isEqualTo(original);

        try (WeirTestServer after = WeirTestServer.start(config, vars)) {
            HttpResponse<String> home = get(after.uri("/"));
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).isEqualTo("<h1>static</h1>");
        }
    }

    @Test
    void enabledUnderOnePathItAnswersThereOnly() throws Exception {
        Path config = setUp();
        Map<String, String> vars = Map.of("WEIR_SITE_ROOT", siteRoot.toString());

        weir(
                "install",
                "module",
                "--name",
                "HelloWorldModule",
                "--image",
                "modules/helloworld.jar",
                "--add",
                "false",
                "--config",
                config.toString());
        weir(
                "add",
                "module",
                "--name",
                "HelloWorldModule",
                "--site",
                "Default Web Site",
                "--path",
                "/hello",
                "--config",
                config.toString());

        try (WeirTestServer server = WeirTestServer.start(config, vars)) {
            assertThat(get(server.uri("/hello")).body()).isEqualTo("Hello World");
            assertThat(get(server.uri("/hello/deeper")).body()).isEqualTo("Hello World");
            assertThat(get(server.uri("/")).body()).isEqualTo("<h1>static</h1>");
        }
    }
}
