package io.weir.it.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.server.ConfigurationWatcher;
import io.weir.testkit.WeirTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof of hot install: with 64 keep-alive connections each sending requests in a loop,
 * a module is installed and uninstalled 10 times by editing the applicationHost.config the server
 * was started from. Every response must be a complete 200 with the file's body (zero failed
 * requests), and each install must show its effect (the module's header) on a request started after
 * the edit, each uninstall its absence.
 */
class HotInstallUnderLoadIT {

    private static final int CONNECTIONS = 64;
    private static final int CYCLES = 10;
    private static final String BODY = "hello from a static file\n";

    @TempDir
    Path dir;

    private static String config(boolean installed) {
        return """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                      <section name="staticContent" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="Load" id="1">
                      <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules>
                      <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
                """
                + (installed
                        ? "      <add name=\"HotHeader\" type=\"io.weir.it.reload.HotHeaderModuleRegistration\" />\n"
                        : "")
                + """
                    </globalModules>
                    <modules>
                      <add name="StaticFileModule" />
                """ + (installed ? "      <add name=\"HotHeader\" />\n" : "") + """
                    </modules>
                    <handlers accessPolicy="Read">
                      <add name="StaticFile" path="*" verb="*" modules="StaticFileModule" resourceType="Either" requireAccess="Read" />
                    </handlers>
                    <staticContent><mimeMap fileExtension=".txt" mimeType="text/plain" /></staticContent>
                  </system.webServer>
                </configuration>
                """;
    }

    @Test
    void installAndUninstallTenTimesUnderSixtyFourConnectionsWithoutAFailedRequest() throws Exception {
        Path root = Files.createDirectories(dir.resolve("site"));
        Files.writeString(root.resolve("a.txt"), BODY);
        Path file = dir.resolve("applicationHost.config");
        Files.writeString(file, config(false));
        Map<String, String> vars = Map.of("ROOT", root.toString());

        try (WeirTestServer server = WeirTestServer.start(file, vars)) {
            ConfigurationWatcher watcher = server.server().watch(file, vars, Duration.ofMillis(250));
            HeaderWatchingLoad load = HeaderWatchingLoad.start(server.port(), "/a.txt", BODY, "X-Hot", CONNECTIONS);
            try {
                Thread.sleep(500);
                for (int cycle = 1; cycle <= CYCLES; cycle++) {
                    long installedAt = System.nanoTime();
                    Files.writeString(file, config(true));
                    awaitObserved(
                            "install " + cycle + ": a request sent after the edit carries X-Hot",
                            () -> load.lastWith() > installedAt);
                    long uninstalledAt = System.nanoTime();
                    Files.writeString(file, config(false));
                    awaitObserved(
                            "uninstall " + cycle + ": a request sent after the edit lacks X-Hot",
                            () -> load.lastWithout() > uninstalledAt);
                }
            } finally {
                load.close();
            }
            assertThat(load.failures()).as("failed requests").isEmpty();
            assertThat(watcher.reloads()).isEqualTo(2 * CYCLES);
            assertThat(watcher.refusals()).isZero();
            assertThat(server.server().engine().generation()).isEqualTo(1 + 2 * CYCLES);
            assertThat(load.withHeader()).isPositive().isLessThan(load.ok());
            System.out.printf(
                    "hot install under load: %d responses, all 200 and complete (%d with the module's header),"
                            + " %d reloads, 0 failures%n",
                    load.ok(), load.withHeader(), watcher.reloads());
        }
    }

    private interface Condition {
        boolean holds();
    }

    private static void awaitObserved(String what, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.holds()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not observed within 5 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
