package io.weir.examples.helloworld;

import static io.weir.examples.LoopbackClient.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.examples.ModuleJar;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serves the shipped {@code helloworld.applicationHost.config} as it is, from a copy placed next to
 * a module JAR at the relative {@code image} path the file names (the engine resolves it against
 * the configuration file's folder).
 */
class HelloWorldConfigFileHttpTest {

    /** The file, relative to this module's folder (the tests' working directory). */
    private static final Path CONFIG = Path.of("helloworld.applicationHost.config");

    private static final Pattern HELLO_IMAGE = Pattern.compile("name=\"HelloWorldModule\" image=\"([^\"]+)\"");

    @TempDir
    Path installation;

    @TempDir
    Path siteRoot;

    @Test
    void theShippedConfigurationServesHelloAndFiles() throws IOException {
        String text = Files.readString(CONFIG);
        Matcher image = HELLO_IMAGE.matcher(text);
        assertThat(image.find())
                .as("a HelloWorldModule entry with image= in " + CONFIG)
                .isTrue();
        Path relativeJar = Path.of(image.group(1));
        assertThat(relativeJar.isAbsolute()).as("the image path is relative").isFalse();

        Path config = Files.copy(CONFIG, installation.resolve(CONFIG.getFileName()));
        Path jarFolder =
                Files.createDirectories(installation.resolve(relativeJar).getParent());
        ModuleJar.build(
                jarFolder,
                relativeJar.getFileName().toString(),
                HelloWorldModuleRegistration.class,
                HelloWorldModuleRegistration.class);
        Files.writeString(siteRoot.resolve("index.html"), "<h1>static</h1>");

        try (WeirTestServer server = WeirTestServer.start(config, Map.of("WEIR_SITE_ROOT", siteRoot.toString()))) {
            HttpResponse<String> hello = get(server.uri("/hello"));
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("Hello World");

            HttpResponse<String> home = get(server.uri("/"));
            assertThat(home.statusCode()).isEqualTo(200);
            assertThat(home.body()).isEqualTo("<h1>static</h1>");
        }
    }
}
