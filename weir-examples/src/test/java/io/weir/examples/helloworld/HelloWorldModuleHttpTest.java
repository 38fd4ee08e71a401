package io.weir.examples.helloworld;

import static io.weir.examples.LoopbackClient.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.ModuleRegistration;
import io.weir.examples.ExampleConfig;
import io.weir.examples.ModuleJar;
import io.weir.examples.probe.ClassLoaderProbeModuleRegistration;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hello World sample loaded, as in IIS, from its own module file named by {@code image=} in a
 * {@code <globalModules>} entry, next to the built-in static-file modules of the same server.
 */
class HelloWorldModuleHttpTest {

    @TempDir
    Path modules;

    @TempDir
    Path siteRoot;

    @Test
    void answersHelloWorldUnderItsLocationWhileBuiltInModulesServeFiles() throws IOException {
        Path jar = ModuleJar.build(
                modules, "helloworld.jar", HelloWorldModuleRegistration.class, HelloWorldModuleRegistration.class);
        assertThat(ModuleJar.entries(jar))
                .contains(
                        "io/weir/examples/helloworld/HelloWorldModule.class",
                        "META-INF/services/io.weir.api.ModuleRegistration");
        Files.writeString(siteRoot.resolve("readme.txt"), "served by StaticFileModule");
        String config = new ExampleConfig()
                .globalModule("HelloWorldModule", "image=\"" + jar + "\"")
                .moduleAt("Default Web Site/hello", "HelloWorldModule")
                .toXml();

        try (WeirTestServer server = WeirTestServer.start(config, Map.of("WEIR_SITE_ROOT", siteRoot.toString()))) {
            HttpResponse<String> hello = get(server.uri("/hello"));
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            assertThat(hello.body()).isEqualTo("Hello World");
            assertThat(hello.headers().firstValueAsLong("Content-Length")).hasValue(11);

            HttpResponse<String> below = get(server.uri("/hello/anything/below"));
            assertThat(below.body()).isEqualTo("Hello World");

            HttpResponse<String> file = get(server.uri("/readme.txt"));
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo("served by StaticFileModule");
        }
    }

    @Test
    void finishRequestInBeginRequestSkipsTheHandler() throws IOException {
        Path jar = ModuleJar.build(
                modules, "helloworld.jar", HelloWorldModuleRegistration.class, HelloWorldModuleRegistration.class);
        // A real file at the module's URL: FINISH_REQUEST in BEGIN_REQUEST means the static-file
        // handler never runs, so the file is not what comes back.
        Files.writeString(siteRoot.resolve("hello"), "the file, which must not be served");
        String config = new ExampleConfig()
                .globalModule("HelloWorldModule", "image=\"" + jar + "\"")
                .moduleAt("Default Web Site/hello", "HelloWorldModule")
                .toXml();

        try (WeirTestServer server = WeirTestServer.start(config, Map.of("WEIR_SITE_ROOT", siteRoot.toString()))) {
            assertThat(get(server.uri("/hello")).body()).isEqualTo("Hello World");
        }
    }

    @Test
    void moduleClassesComeFromTheImageInAClassLoaderOfTheirOwn() throws IOException {
        Path jar = ModuleJar.build(
                modules,
                "probe.jar",
                ClassLoaderProbeModuleRegistration.class,
                ClassLoaderProbeModuleRegistration.class,
                HelloWorldModuleRegistration.class);
        String config = new ExampleConfig()
                .globalModule("Probe", "image=\"" + jar + "\"")
                .module("Probe")
                .toXml();
        Files.writeString(siteRoot.resolve("page.txt"), "any file");

        try (WeirTestServer server = WeirTestServer.start(config, Map.of("WEIR_SITE_ROOT", siteRoot.toString()))) {
            HttpResponse<String> response = get(server.uri("/page.txt"));
            assertThat(response.statusCode()).isEqualTo(200);
            HttpHeaders headers = response.headers();
            ClassLoader testLoader = HelloWorldModuleHttpTest.class.getClassLoader();

            assertThat(headers.firstValue("X-Probe-Loader-Name")).hasValue("module:Probe");
            assertThat(headers.firstValue("X-Probe-Loader-Id"))
                    .isPresent()
                    .get()
                    .isNotEqualTo(Integer.toString(System.identityHashCode(testLoader)));
            // The same class name, but another Class: the module linked to the copy inside its JAR.
            assertThat(headers.firstValue("X-Probe-HelloWorld-Class-Id"))
                    .isPresent()
                    .get()
                    .isNotEqualTo(Integer.toString(System.identityHashCode(HelloWorldModule.class)));
            // The API is shared with the server: one ModuleRegistration class for everybody.
            assertThat(headers.firstValue("X-Probe-Api-Class-Id"))
                    .hasValue(Integer.toString(System.identityHashCode(ModuleRegistration.class)));
            // The parent exposes only io.weir.api: neither the test's libraries nor the engine.
            assertThat(headers.firstValue("X-Probe-Sees-JUnit")).hasValue("false");
            assertThat(headers.firstValue("X-Probe-Sees-Engine")).hasValue("false");
        }
    }
}
