package io.weir.it.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.core.GlobalModuleStatus;
import io.weir.testkit.WeirTestConfig;
import io.weir.testkit.WeirTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module images are isolated from each other and from the server: two modules that bring two
 * versions of one library (commons-codec 1.11 and 1.17.1, in {@code lib/} beside each JAR, named by
 * the manifest's Class-Path) both work in one server, each seeing its own version; and a module JAR
 * whose registration throws is reported with its name, image and exception while the server starts
 * and serves the others. Over loopback HTTP against a real server.
 */
class ModuleIsolationIT {

    @TempDir
    static Path work;

    static Path older;
    static Path newer;
    static Path broken;

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void buildImages() throws Exception {
        Path codec = Path.of(System.getProperty("weir.it.codecJars", "target/codec"));
        older = ModuleImage.build(
                "isolation/older",
                "isolation.older.OlderCodecModuleRegistration",
                List.of(codec.resolve("commons-codec-1.11.jar")),
                Files.createDirectories(work.resolve("older")));
        newer = ModuleImage.build(
                "isolation/newer",
                "isolation.newer.NewerCodecModuleRegistration",
                List.of(codec.resolve("commons-codec-1.17.1.jar")),
                Files.createDirectories(work.resolve("newer")));
        broken = ModuleImage.build(
                "isolation/broken",
                "isolation.broken.BrokenModuleRegistration",
                List.of(),
                Files.createDirectories(work.resolve("broken")));
    }

    private String get(WeirTestServer server, String path) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(server.uri(path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    @Test
    void twoVersionsOfOneLibraryWorkSideBySide() throws Exception {
        WeirTestConfig config =
                WeirTestConfig.create().moduleImage("OlderCodecModule", older).moduleImage("NewerCodecModule", newer);
        try (WeirTestServer server = WeirTestServer.start(config)) {
            assertThat(server.server().engine().modules()).allMatch(GlobalModuleStatus::isLoaded);
            // md5("weir"), and Blake3 invisible: the older module's loader has 1.11 only.
            assertThat(get(server, "/older")).isEqualTo("codec=1.11 md5=" + md5("weir") + " blake3=false");
            // Blake3 exists only from 1.16 on: this module runs against its own 1.17.1.
            assertThat(get(server, "/newer"))
                    .startsWith("codec=1.17.1 blake3=")
                    .hasSize("codec=1.17.1 blake3=".length() + 16);
            // And again, in the other order, on the same server.
            assertThat(get(server, "/older")).startsWith("codec=1.11 ");
        }
    }

    @Test
    void theServerCannotSeeAModulesLibrary() {
        assertThat(ModuleIsolationIT.class.getClassLoader().getResource("org/apache/commons/codec/digest/Blake3.class"))
                .as("commons-codec must not be on the server's class path, or this test proves nothing")
                .isNull();
    }

    @Test
    void aModuleWhoseRegistrationThrowsIsReportedAndTheOthersServe() throws Exception {
        WeirTestConfig config =
                WeirTestConfig.create().moduleImage("BrokenModule", broken).moduleImage("NewerCodecModule", newer);
        try (WeirTestServer server = WeirTestServer.start(config)) {
            GlobalModuleStatus report = server.server().engine().modules().stream()
                    .filter(m -> m.name().equals("BrokenModule"))
                    .findFirst()
                    .orElseThrow();
            assertThat(report.isLoaded()).isFalse();
            assertThat(report.origin())
                    .isEqualTo(broken.toAbsolutePath().normalize().toString());
            assertThat(report.failure())
                    .get()
                    .asString()
                    .contains("java.lang.IllegalStateException: BrokenModule needs a licence key");
            assertThat(get(server, "/newer")).startsWith("codec=1.17.1 ");
        }
    }

    private static String md5(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest);
    }
}
