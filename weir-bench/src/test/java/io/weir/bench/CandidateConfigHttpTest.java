package io.weir.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.ApplicationHostConfig;
import io.weir.server.WeirServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serves the configuration that {@code candidate.sh} gives the load harness, without the harness:
 * {@code /hello} from the Hello World module JAR and {@code /static/} from the bench root. This is
 * what the benchmark measures, so it has to answer correctly before any number means anything.
 */
class CandidateConfigHttpTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path work;

    @Test
    void servesHelloFromTheExampleModuleAndStaticFilesFromTheBenchRoot() throws Exception {
        Path benchRoot = Files.createDirectories(work.resolve("www"));
        byte[] oneK = new byte[1024];
        new Random(42).nextBytes(oneK);
        Files.write(benchRoot.resolve("1k.bin"), oneK);
        Path config = work.resolve("applicationHost.config");
        Files.writeString(config, printConfig("on"));
        String helloJar = System.getProperty("weir.helloJar");
        assertThat(helloJar)
                .as("the weir.helloJar system property (set by the pom)")
                .isNotBlank();
        assertThat(Path.of(helloJar)).isRegularFile();

        ApplicationHostConfig configuration = ApplicationHostConfig.load(
                config, Map.of("BENCH_ROOT", benchRoot.toString(), "WEIR_HELLO_JAR", helloJar));
        try (WeirServer server = WeirServer.start(configuration)) {
            InetSocketAddress address = server.boundAddresses().get(0);
            String base = "http://127.0.0.1:" + address.getPort();

            HttpResponse<String> hello = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(base + "/hello")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("Hello World");

            HttpResponse<byte[]> file = CLIENT.send(
                    HttpRequest.newBuilder(URI.create(base + "/static/1k.bin")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo(oneK);
        }
    }

    @Test
    void loggingOffIsTheSameConfigurationWithDontLog() throws Exception {
        String on = printConfig("on");
        String off = printConfig("off");
        assertThat(on).contains("<httpLogging dontLog=\"false\"").doesNotContain("<httpLogging dontLog=\"true\"");
        assertThat(off.replace("<httpLogging dontLog=\"true\"", "<httpLogging dontLog=\"false\""))
                .isEqualTo(on);
    }

    /**
     * Runs {@code candidate.sh --print-config} (the working directory of tests is this module's folder).
     *
     * @param logging the {@code CANDIDATE_LOGGING} value
     */
    private static String printConfig(String logging) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("bash", "candidate.sh", "--print-config")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("CANDIDATE_PORT", "0");
        builder.environment().put("CANDIDATE_LOGGING", logging);
        Process process = builder.start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as("exit status of candidate.sh --print-config")
                .isZero();
        assertThat(text).contains("<location path=\"Default Web Site/hello\">");
        return text;
    }
}
