package io.weir.it.reload;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weir.server.ConfigurationWatcher;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Proof of hot reload for web.config files, over loopback with the watcher running
 * ({@code WeirServer.watch}): a valid edit of a folder's web.config is visible within 2 s (measured
 * from the write to the first response showing it); an invalid one (malformed XML, a locked section,
 * a bad value, an unknown attribute) is logged with file, line and column and ignored, the last good
 * version serving; a web.config bad from the start (nothing to fall back on) gives 500.19; deleting
 * the file removes its settings; GL_CONFIGURATION_CHANGE carries the folder's configuration path; a
 * folder created after start is picked up. Then the same under load: 64 keep-alive connections in a
 * request loop during 20 edits, valid and invalid in turn, with zero failed requests.
 *
 * <p>The effect observed is the {@code HotHeader} module ({@code X-Hot: installed}), registered in
 * applicationHost.config's {@code <globalModules>} and enabled or removed by the folder's
 * web.config ({@code <modules><add/>} / {@code <remove/>}).
 */
class WebConfigHotReloadIT {

    private static final int CONNECTIONS = 64;
    private static final int EDITS = 20;
    private static final long VISIBLE_WITHIN_MILLIS = 2000;
    private static final String BODY = "hello from a static file\n";
    private static final String DOCS_PATH = "MACHINE/WEBROOT/APPHOST/Load/docs";

    @TempDir
    Path dir;

    Path root;
    Path docs;
    Path appHost;
    Map<String, String> vars;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Logger configLogger;

    private static final String APPHOST = """
            <configuration>
              <configSections>
                <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                <sectionGroup name="system.webServer">
                  <section name="globalModules" /><section name="modules" />
                  <section name="handlers" overrideModeDefault="Deny" />
                  <section name="staticContent" /><section name="directoryBrowse" />
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
                  <add name="HotHeader" type="io.weir.it.reload.HotHeaderModuleRegistration" />
                  <add name="Recorder" type="io.weir.it.reload.ConfigChangeRecorderRegistration" />
                </globalModules>
                <modules><add name="StaticFileModule" /></modules>
                <handlers accessPolicy="Read">
                  <add name="StaticFile" path="*" verb="*" modules="StaticFileModule" resourceType="Either" requireAccess="Read" />
                </handlers>
                <staticContent><mimeMap fileExtension=".txt" mimeType="text/plain" /></staticContent>
              </system.webServer>
            </configuration>
            """;

    /** A valid web.config: the module enabled ({@code on}) or removed; {@code edit} is written as a comment. */
    static String webConfig(boolean on, int edit) {
        return "<configuration>\n  <!-- edit " + edit + " -->\n  <system.webServer>\n    <modules>\n"
                + (on ? "      <add name=\"HotHeader\" />\n" : "      <remove name=\"HotHeader\" />\n")
                + "    </modules>\n  </system.webServer>\n</configuration>\n";
    }

    /** The four kinds of bad edit, each made from the valid file; with the reason the log must give. */
    enum Bad {
        MALFORMED("malformed XML"),
        LOCKED("locked by default"),
        BAD_VALUE("must be 'true' or 'false'"),
        UNKNOWN_ATTRIBUTE("unrecognized attribute 'colour'");

        final String reason;

        Bad(String reason) {
            this.reason = reason;
        }

        String apply(String valid) {
            return switch (this) {
                case MALFORMED -> valid.replace("</modules>", "</modulez>");
                case LOCKED -> valid.replace("</modules>", "</modules>\n    <handlers><clear /></handlers>");
                case BAD_VALUE -> valid.replace("</modules>", "</modules>\n    <directoryBrowse enabled=\"yes\" />");
                case UNKNOWN_ATTRIBUTE -> valid.replace("name=\"HotHeader\"", "name=\"HotHeader\" colour=\"blue\"");
            };
        }
    }

    @BeforeEach
    void site() throws Exception {
        root = Files.createDirectories(dir.resolve("site"));
        docs = Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("a.txt"), BODY);
        Files.writeString(docs.resolve("a.txt"), BODY);
        appHost = dir.resolve("applicationHost.config");
        Files.writeString(appHost, APPHOST);
        vars = Map.of("ROOT", root.toString());
        ConfigChangeRecorderRegistration.PATHS.clear();
        configLogger = (Logger) LoggerFactory.getLogger("io.weir.config.ConfigTree");
        log.start();
        configLogger.addAppender(log);
    }

    @AfterEach
    void detach() {
        configLogger.detachAppender(log);
    }

    private List<String> refusals(Path file) {
        List<ILoggingEvent> events;
        synchronized (log) { // ListAppender appends under the appender's lock
            events = List.copyOf(log.list);
        }
        return events.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.startsWith("web.config " + file + ":") && m.contains(" refused: "))
                .toList();
    }

    private static RawHttp.Response get(int port, String path) {
        return RawHttp.exchange(port, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    }

    private static boolean hot(RawHttp.Response r) {
        assertThat(r.status()).as(r.statusLine() + " " + r.bodyText()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(BODY);
        return r.header("X-Hot").isPresent();
    }

    /** Polls until the condition holds; returns the milliseconds it took. */
    private static long await(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(millis)) {
                throw new AssertionError("not observed within " + millis + " ms: " + what);
            }
            Thread.sleep(5);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /**
     * good → bad (still served, logged) → good (visible within 2 s) → locked section (still served,
     * logged) → good → deleted (settings gone); every change raises GL_CONFIGURATION_CHANGE with the
     * folder's configuration path.
     */
    @Test
    void badEditsAreLoggedAndIgnoredValidOnesAppliedAndDeletionRemovesTheSettings() throws Exception {
        Path file = docs.resolve("web.config");
        Files.writeString(file, webConfig(true, 0));
        try (WeirTestServer server = WeirTestServer.start(appHost, vars)) {
            ConfigurationWatcher watcher = server.server().watch(appHost, vars, Duration.ofMillis(250));
            List<Path> changed = new CopyOnWriteArrayList<>();
            watcher.addConfigFileListener(changed::add);
            int port = server.port();
            assertThat(hot(get(port, "/docs/a.txt"))).isTrue();
            assertThat(hot(get(port, "/a.txt"))).isFalse();

            // good -> malformed: the watcher sees it, the next request is served with the old settings
            Files.writeString(file, Bad.MALFORMED.apply(webConfig(false, 1)));
            await("the watcher handles the edit", 5000, () -> changed.size() == 1);
            assertThat(hot(get(port, "/docs/a.txt")))
                    .as("the last good version serves")
                    .isTrue();
            assertThat(refusals(file))
                    .singleElement()
                    .asString()
                    .matches(".*web\\.config:\\d+:\\d+ refused: malformed XML.*")
                    .endsWith("its last good version keeps serving Load/docs");

            // bad -> good: visible within 2 s of the write
            long written = System.nanoTime();
            Files.writeString(file, webConfig(false, 2));
            await("the module removed", VISIBLE_WITHIN_MILLIS, () -> !hot(get(port, "/docs/a.txt")));
            System.out.printf(
                    "bad -> good visible after %d ms%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written));

            // good -> a section applicationHost.config locks: ignored, logged
            Files.writeString(file, Bad.LOCKED.apply(webConfig(true, 3)));
            await("the watcher handles the edit", 5000, () -> changed.size() == 3);
            assertThat(hot(get(port, "/docs/a.txt"))).isFalse();
            assertThat(refusals(file)).hasSize(2).last().asString().contains("locked by default");

            Files.writeString(file, webConfig(true, 4));
            await("the module enabled", VISIBLE_WITHIN_MILLIS, () -> hot(get(port, "/docs/a.txt")));

            // deleting the file is a valid edit: its settings go away
            Files.delete(file);
            await("the settings of the deleted file gone", VISIBLE_WITHIN_MILLIS, () -> !hot(get(port, "/docs/a.txt")));
            await("the watcher handles the deletion", 5000, () -> changed.size() == 5);
            assertThat(changed).containsOnly(file);
            await(
                    "GL_CONFIGURATION_CHANGE for each change",
                    5000,
                    () -> ConfigChangeRecorderRegistration.PATHS.size() == 5);
            assertThat(ConfigChangeRecorderRegistration.PATHS).containsOnly(DOCS_PATH);
            assertThat(refusals(file)).hasSize(2);
        }
    }

    /**
     * A web.config bad the first time it is read gives 500.19 (there is nothing to fall back on);
     * fixing it applies; folders created after start are picked up, with a good web.config and
     * with a bad one (500.19).
     */
    @Test
    void aWebConfigBadFromTheStartGives500Point19AndNewFoldersArePickedUp() throws Exception {
        Path file = docs.resolve("web.config");
        Files.writeString(file, Bad.MALFORMED.apply(webConfig(true, 0)));
        try (WeirTestServer server = WeirTestServer.start(appHost, vars)) {
            server.server().watch(appHost, vars, Duration.ofMillis(250));
            int port = server.port();
            RawHttp.Response failed = get(port, "/docs/a.txt");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.bodyText()).contains("500.19").contains(file.toString());
            assertThat(hot(get(port, "/a.txt"))).isFalse();
            assertThat(refusals(file)).isEmpty();

            Files.writeString(file, webConfig(true, 1));
            await("the fixed file applies", VISIBLE_WITHIN_MILLIS, () -> {
                RawHttp.Response r = get(port, "/docs/a.txt");
                return r.status() == 200 && hot(r);
            });

            // a folder created after start, then its web.config
            Path late = Files.createDirectories(root.resolve("late"));
            Files.writeString(late.resolve("a.txt"), BODY);
            assertThat(hot(get(port, "/late/a.txt"))).isFalse();
            Files.writeString(late.resolve("web.config"), webConfig(true, 2));
            await("the new folder's web.config applies", VISIBLE_WITHIN_MILLIS, () -> hot(get(port, "/late/a.txt")));

            // a folder created after start with a bad web.config: its first read is bad, 500.19
            Path lateBad = Files.createDirectories(root.resolve("late-bad"));
            Files.writeString(lateBad.resolve("a.txt"), BODY);
            Files.writeString(lateBad.resolve("web.config"), Bad.LOCKED.apply(webConfig(true, 3)));
            await(
                    "500.19 under the new folder",
                    VISIBLE_WITHIN_MILLIS,
                    () -> get(port, "/late-bad/a.txt").status() == 500);
            assertThat(get(port, "/late-bad/a.txt").bodyText())
                    .contains("500.19")
                    .contains("locked by default");
            assertThat(hot(get(port, "/late/a.txt"))).isTrue();
            List<String> expected =
                    List.of(DOCS_PATH, "MACHINE/WEBROOT/APPHOST/Load/late", "MACHINE/WEBROOT/APPHOST/Load/late-bad");
            try {
                await(
                        "GL_CONFIGURATION_CHANGE for the new folders",
                        5000,
                        () -> ConfigChangeRecorderRegistration.PATHS.containsAll(expected));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; received " + ConfigChangeRecorderRegistration.PATHS, e);
            }
            assertThat(ConfigChangeRecorderRegistration.PATHS).containsOnlyOnce(expected.toArray(String[]::new));
        }
    }

    /**
     * Under 64 keep-alive connections, 20 edits of docs/web.config, valid and invalid in turn:
     * every response a complete 200; each valid edit visible within 2 s of its write; each invalid
     * one logged (file, line, column, reason) and without effect until the next valid edit.
     */
    @Test
    void twentyEditsValidAndInvalidInTurnUnderSixtyFourConnectionsWithoutAFailedRequest() throws Exception {
        Path file = docs.resolve("web.config");
        Files.writeString(file, webConfig(false, 0));
        List<Long> visibleAfter = new ArrayList<>();

        try (WeirTestServer server = WeirTestServer.start(appHost, vars)) {
            server.server().watch(appHost, vars, Duration.ofMillis(250));
            HeaderWatchingLoad load =
                    HeaderWatchingLoad.start(server.port(), "/docs/a.txt", BODY, "X-Hot", CONNECTIONS);
            boolean on = false;
            try {
                Thread.sleep(500);
                for (int edit = 1; edit <= EDITS; edit++) {
                    long written = System.nanoTime();
                    if (edit % 2 == 1) {
                        on = !on;
                        Files.writeString(file, webConfig(on, edit));
                        boolean enabled = on;
                        long millis = await(
                                "edit " + edit + " (" + (on ? "enable" : "remove") + ") visible",
                                VISIBLE_WITHIN_MILLIS,
                                () -> (enabled ? load.lastWith() : load.lastWithout()) > written);
                        visibleAfter.add(millis);
                        Thread.sleep(300);
                    } else {
                        Bad bad = Bad.values()[(edit / 2 - 1) % Bad.values().length];
                        int before = refusals(file).size();
                        Files.writeString(file, bad.apply(webConfig(on, edit)));
                        await(
                                "edit " + edit + " (" + bad + ") logged as refused",
                                5000,
                                () -> refusals(file).size() == before + 1);
                        assertThat(refusals(file).get(before)).contains(bad.reason);
                        Thread.sleep(300);
                        assertThat(on ? load.lastWithout() : load.lastWith())
                                .as("edit %d (%s): no request sent after it saw its effect", edit, bad)
                                .isLessThan(written);
                    }
                }
            } finally {
                load.close();
            }
            assertThat(load.failures()).as("failed requests").isEmpty();
            assertThat(visibleAfter).hasSize(EDITS / 2).allSatisfy(ms -> assertThat(ms)
                    .isLessThanOrEqualTo(VISIBLE_WITHIN_MILLIS));
            assertThat(refusals(file)).hasSize(EDITS / 2);
            assertThat(load.withHeader()).isPositive().isLessThan(load.ok());
            await(
                    "GL_CONFIGURATION_CHANGE for every edit",
                    5000,
                    () -> ConfigChangeRecorderRegistration.PATHS.size() >= EDITS);
            assertThat(ConfigChangeRecorderRegistration.PATHS).containsOnly(DOCS_PATH);
            System.out.printf(
                    "web.config hot reload under load: %d responses, all 200 and complete (%d with the module's"
                            + " header); %d valid edits visible after %s ms; %d invalid edits refused and logged%n",
                    load.ok(),
                    load.withHeader(),
                    visibleAfter.size(),
                    visibleAfter,
                    refusals(file).size());
        }
    }
}
