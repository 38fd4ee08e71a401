package io.weir.modules.caching;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.provider.CacheProvider;
import io.weir.core.PeriodicSettings;
import io.weir.modules.staticfile.StaticFileModuleRegistration;
import io.weir.testkit.WeirTestConfig;
import io.weir.testkit.WeirTestServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HttpCacheModule raises GL_CACHE_OPERATION for what its caches add and drop, and does its work in
 * GL_CACHE_CLEANUP: a global module hears an output cache entry and a kernel cache entry added,
 * and the output cache entry dropped once its time period is over and the cleanup ran.
 */
class CacheNotificationsHttpTest {

    @TempDir
    Path root;

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what).isTrue();
            Thread.sleep(20);
        }
    }

    @Test
    void cacheOperationsAreRaisedAndCleanupDropsExpiredCopies() throws Exception {
        Files.writeString(root.resolve("a.txt"), "cached");
        List<String> events = new CopyOnWriteArrayList<>();
        WeirTestConfig config = WeirTestConfig.create()
                .siteRoot(root)
                .module("HttpCacheModule", HttpCacheModuleRegistration.class)
                .module("StaticFileModule", StaticFileModuleRegistration.class)
                .module("Recorder", (version, info, server) -> {
                    // a request module too, since the catch-all handler names every module
                    info.setRequestNotifications(
                            allocator -> new HttpModule() {},
                            EnumSet.of(RequestNotification.END_REQUEST),
                            EnumSet.noneOf(RequestNotification.class));
                    info.setGlobalNotifications(
                            new GlobalModule() {
                                @Override
                                public GlobalNotificationStatus onGlobalCacheOperation(CacheProvider provider) {
                                    events.add(provider.cacheOperation() + " " + provider.cacheKey());
                                    return GlobalNotificationStatus.CONTINUE;
                                }

                                @Override
                                public GlobalNotificationStatus onGlobalCacheCleanup() {
                                    events.add("CLEANUP");
                                    return GlobalNotificationStatus.CONTINUE;
                                }

                                @Override
                                public void terminate() {}
                            },
                            EnumSet.of(GlobalNotification.CACHE_OPERATION, GlobalNotification.CACHE_CLEANUP));
                })
                .section(
                        "system.webServer/staticContent",
                        "<staticContent><mimeMap fileExtension=\".txt\""
                                + " mimeType=\"text/plain\" /></staticContent>")
                .section("system.webServer/urlCompression", "<urlCompression />")
                .section("system.webServer/serverRuntime", "<serverRuntime />")
                .section(
                        "system.webServer/caching",
                        "<caching><profiles><add extension=\".txt\" policy=\"CacheForTimePeriod\""
                                + " duration=\"00:00:01\" /></profiles></caching>");
        try (WeirTestServer server = WeirTestServer.start(config)) {
            HttpClient client = HttpClient.newHttpClient();
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(server.uri("/a.txt")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.body())
                        .as(i + " " + r.statusCode() + " " + r.headers().map())
                        .isEqualTo("cached");
            }
            await("output cache ADD", () -> events.stream().anyMatch(e -> e.matches("ADD \\d+ /a\\.txt")));
            await("kernel cache ADD", () -> events.stream()
                    .anyMatch(e -> e.matches("ADD .* /a\\.txt") && !e.matches("ADD \\d+ /a\\.txt")));
            Thread.sleep(1100);
            server.server().engine().reschedule(new PeriodicSettings(Duration.ofHours(1), Duration.ofMillis(20)));
            await("CLEANUP", () -> events.contains("CLEANUP"));
            await("output cache DELETE", () -> events.stream().anyMatch(e -> e.matches("DELETE \\d+ /a\\.txt")));
        }
    }
}
