package io.weir.it.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.cli.WeirCommand;
import io.weir.server.AdminEndpoint;
import io.weir.testkit.WeirTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weir list cache} and the runtime status against a running server: a static file hit
 * often enough to be in the kernel-style cache and a URL whose profile keeps it in the output
 * cache are listed with their hits and sizes, and {@code /status} carries the kernel cache's figures.
 */
class ListCacheIT {

    @TempDir
    Path root;

    @TempDir
    Path home;

    WeirTestServer weir;
    AdminEndpoint admin;

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (weir != null) {
            weir.close();
        }
    }

    String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine commandLine = WeirCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        assertThat(exitCode).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void listsTheEntriesOfBothCachesWithHitsAndSizes() throws Exception {
        Files.writeString(root.resolve("a.txt"), "0123456789");
        Files.createDirectories(root.resolve("out"));
        Files.writeString(root.resolve("out/b.txt"), "output cached");
        Files.writeString(
                root.resolve("out/web.config"),
                "<configuration><system.webServer><caching enableKernelCache=\"false\"><profiles>"
                        + "<add extension=\".txt\" policy=\"CacheUntilChange\" /></profiles></caching>"
                        + "</system.webServer></configuration>");
        weir = WeirTestServer.serving(root);
        admin = AdminEndpoint.start(weir.server().engine(), 0, home.resolve("admin.token"));
        String[] list = {
            "list",
            "cache",
            "--port",
            Integer.toString(admin.port()),
            "--token-file",
            home.resolve("admin.token").toString()
        };
        assertThat(run(list)).contains("No response is cached.");
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 5; i++) {
            for (String path : new String[] {"/a.txt", "/out/b.txt"}) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(weir.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        String listing = run(list);
        assertThat(listing)
                .containsPattern("CACHE \"kernel\" \\(entries:1,bytes:10,hits:3,misses:\\d+\\)")
                .containsPattern("CACHE \"output\" \\(entries:1,bytes:13,hits:4,misses:\\d+\\)")
                .containsPattern("ENTRY \"[^\"]*/a\\.txt\" \\(cache:kernel,site:Default Web Site,bytes:10,hits:3,"
                        + "until:change\\)")
                .containsPattern("ENTRY \"1 /out/b\\.txt\" \\(cache:output,bytes:13,hits:4,until:change\\)");
        String token = Files.readString(home.resolve("admin.token")).trim();
        HttpResponse<String> status = client.send(
                HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + admin.port() + "/status"))
                        .header("Authorization", "Bearer " + token)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.body())
                .contains("\"kernelCacheEntries\": 1", "\"kernelCacheBytes\": 10", "\"kernelCacheHits\": 3");
    }
}
