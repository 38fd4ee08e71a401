package io.weir.modules.authentication;

import static io.weir.modules.authentication.AuthenticationModulesHttpTest.authentication;
import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.weir.modules.LoopbackSite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bcrypt runs off the event loops: while 100 wrong-password requests wait for their (deliberately
 * slow, cost 9) verifications, a static file request on the same server is answered. The assertion is
 * on completion order, not on time: the static response arrives while some wrong-password responses
 * are still outstanding.
 */
class BasicAuthenticationConcurrencyHttpTest {

    private static final int WRONG_REQUESTS = 100;

    @TempDir
    Path temp;

    @Test
    void wrongPasswordFloodDoesNotBlockOtherRequests() throws Exception {
        Path root = temp.resolve("www");
        LoopbackSite.write(root, "public.txt", "public");
        LoopbackSite.write(root, "private/a.txt", "private");
        String hash = BCrypt.with(BCrypt.Version.VERSION_2Y).hashToString(9, "right".toCharArray());
        Files.createDirectories(temp.resolve("conf"));
        Files.writeString(temp.resolve("conf/users.htpasswd"), "frank:" + hash + "\n", StandardCharsets.UTF_8);
        try (AuthTestSite site = AuthTestSite.start(
                temp.resolve("conf"),
                root,
                Map.of(),
                "private",
                authentication(
                        "<anonymousAuthentication enabled=\"false\" />"
                                + "<basicAuthentication enabled=\"true\" weirUserFile=\"users.htpasswd\" weirAllowPlainHttp=\"true\" />"))) {
            URI base = URI.create("http://127.0.0.1:" + site.port());
            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(30))
                    .build();
            AtomicInteger finished = new AtomicInteger();
            List<CompletableFuture<HttpResponse<String>>> wrong = new ArrayList<>();
            for (int i = 0; i < WRONG_REQUESTS; i++) {
                String credentials =
                        Base64.getEncoder().encodeToString(("frank:wrong" + i).getBytes(StandardCharsets.UTF_8));
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/private/a.txt"))
                        .timeout(Duration.ofMinutes(3))
                        .header("Authorization", "Basic " + credentials)
                        .build();
                wrong.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                        .whenComplete((response, error) -> finished.incrementAndGet()));
            }
            HttpClient other =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> file = other.send(
                    HttpRequest.newBuilder(base.resolve("/public.txt"))
                            .timeout(Duration.ofMinutes(3))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            int finishedWhenServed = finished.get();

            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.body()).isEqualTo("public");
            assertThat(finishedWhenServed)
                    .as("wrong-password responses finished before the static file was served")
                    .isLessThan(WRONG_REQUESTS);
            CompletableFuture.allOf(wrong.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
            for (CompletableFuture<HttpResponse<String>> response : wrong) {
                assertThat(response.get().statusCode()).isEqualTo(401);
                assertThat(response.get().headers().firstValue("WWW-Authenticate"))
                        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Basic realm="));
            }
        }
    }
}
