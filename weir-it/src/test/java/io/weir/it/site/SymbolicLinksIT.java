package io.weir.it.site;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links in a content folder, over HTTP with the embedded default configuration: followed
 * by default (as IIS and nginx do), and refused per folder by {@code weirSymbolicLinks} in a
 * web.config, either when they resolve outside the content root or always.
 */
class SymbolicLinksIT {

    @TempDir
    static Path temp;

    static WeirTestServer server;

    @BeforeAll
    static void start() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "secret\n");
        Path root = Files.createDirectories(temp.resolve("www"));
        Files.writeString(root.resolve("inside.txt"), "inside\n");
        Files.createSymbolicLink(root.resolve("out-link.txt"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outdir"), outside);
        for (String mode : new String[] {"RefuseOutsideRoot", "RefuseAll"}) {
            Path folder = Files.createDirectories(root.resolve(mode));
            Files.writeString(
                    folder.resolve("web.config"),
                    "<configuration><system.webServer><weirSymbolicLinks mode=\"" + mode
                            + "\" /></system.webServer></configuration>");
            Files.writeString(folder.resolve("plain.txt"), "plain\n");
            Files.createSymbolicLink(folder.resolve("in-link.txt"), root.resolve("inside.txt"));
            Files.createSymbolicLink(folder.resolve("out-link.txt"), outside.resolve("secret.txt"));
            Files.createSymbolicLink(folder.resolve("outdir"), outside);
        }
        server = WeirTestServer.serving(root);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawHttp.Response get(String path) {
        return RawHttp.exchange(
                server.port(), "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    @Test
    void byDefaultLinksAreFollowedAsIisDoes() {
        assertThat(get("/out-link.txt").bodyText()).isEqualTo("secret\n");
        assertThat(get("/outdir/secret.txt").bodyText()).isEqualTo("secret\n");
    }

    @Test
    void refuseOutsideRootServesLinksInsideTheRootOnly() {
        assertThat(get("/RefuseOutsideRoot/plain.txt").bodyText()).isEqualTo("plain\n");
        assertThat(get("/RefuseOutsideRoot/in-link.txt").bodyText()).isEqualTo("inside\n");
        RawHttp.Response out = get("/RefuseOutsideRoot/out-link.txt");
        assertThat(out.status()).isEqualTo(404);
        assertThat(out.bodyText()).doesNotContain("secret");
        assertThat(get("/RefuseOutsideRoot/outdir/secret.txt").status()).isEqualTo(404);
    }

    @Test
    void refuseAllRefusesEveryLinkButServesPlainFiles() {
        assertThat(get("/RefuseAll/plain.txt").bodyText()).isEqualTo("plain\n");
        assertThat(get("/RefuseAll/in-link.txt").status()).isEqualTo(404);
        assertThat(get("/RefuseAll/out-link.txt").status()).isEqualTo(404);
        assertThat(get("/RefuseAll/outdir/secret.txt").status()).isEqualTo(404);
    }
}
