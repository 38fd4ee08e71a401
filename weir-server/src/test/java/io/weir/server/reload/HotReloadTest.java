package io.weir.server.reload;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.weir.api.http.HttpContext;
import io.weir.config.ApplicationHostConfig;
import io.weir.server.ConfigurationWatcher;
import io.weir.server.WeirServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Hot install and hot reload over loopback: a real {@link WeirServer} started from a file that the
 * test edits, with {@link ConfigurationWatcher} applying the edits.
 */
class HotReloadTest {

    private static final String PKG = "io.weir.server.reload.";

    @TempDir
    Path dir;

    private Path root;
    private Path file;
    private WeirServer server;
    private ConfigurationWatcher watcher;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(dir.resolve("site"));
        file = Files.createDirectories(dir.resolve("conf")).resolve("applicationHost.config");
        HoldingModuleRegistration.reset();
        ChangeRecorderRegistration.EVENTS.clear();
        log.start();
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ConfigurationWatcher.class)).addAppender(log);
    }

    @AfterEach
    void tearDown() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(ConfigurationWatcher.class)).detachAppender(log);
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
    }

    /** A configuration: the given global modules (name → type), all enabled, the Text handler, extra XML in the site. */
    private static String config(Map<String, String> modules, String siteExtra) {
        String global = modules.entrySet().stream()
                .map(e -> "      <add name=\"" + e.getKey() + "\" type=\"" + e.getValue() + "\" />")
                .collect(Collectors.joining("\n"));
        String enabled = modules.keySet().stream()
                .map(n -> "      <add name=\"" + n + "\" />")
                .collect(Collectors.joining("\n"));
        return """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost">
                      <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                    </sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                      <section name="modules" allowDefinition="MachineToApplication" overrideModeDefault="Deny" />
                      <section name="handlers" overrideModeDefault="Deny" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost>
                    <sites>
                      <site name="S" id="1" serverAutoStart="true">
                        <application path="/">
                          <virtualDirectory path="/" physicalPath="%ROOT%" />
                        </application>
                """ + siteExtra + """
                        <bindings>
                          <binding protocol="http" bindingInformation="127.0.0.1:0:" />
                        </bindings>
                      </site>
                    </sites>
                  </system.applicationHost>
                  <system.webServer>
                    <globalModules>
                """ + global + """

                    </globalModules>
                    <modules>
                """ + enabled + """

                    </modules>
                    <handlers accessPolicy="Read">
                      <add name="Text" path="*" verb="*" modules="TextHandler" resourceType="Unspecified" requireAccess="None" />
                    </handlers>
                  </system.webServer>
                </configuration>
                """;
    }

    private static Map<String, String> base() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Recorder", PKG + "ChangeRecorderRegistration");
        m.put("TextHandler", PKG + "TextHandlerRegistration");
        return m;
    }

    private static Map<String, String> with(String name, String type) {
        Map<String, String> m = base();
        m.put(name, type);
        return m;
    }

    private void write(String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private void start(String text, Duration debounce) throws IOException {
        write(text);
        Map<String, String> vars = Map.of("ROOT", root.toString());
        server = WeirServer.start(ApplicationHostConfig.load(file, vars));
        watcher = server.watch(file, vars, debounce);
    }

    private void start(String text) throws IOException {
        start(text, Duration.ofMillis(100));
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return get(server.boundAddresses().get(0).getPort(), path);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private boolean hotHeader() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("X-Hot").isPresent();
    }

    private interface Probe {
        boolean test() throws Exception;
    }

    private static void await(String what, Probe probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!probe.test()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private List<String> logLines() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void installingAndUninstallingAModuleInTheFileTakesEffectForNewRequests() throws Exception {
        start(config(base(), ""));
        int registeredBefore = HeaderModuleRegistration.REGISTERED.get();
        int terminatedBefore = HeaderModuleRegistration.TERMINATED.get();
        assertThat(hotHeader()).isFalse();

        write(config(with("Hot", PKG + "HeaderModuleRegistration"), ""));
        await("the installed module's header appears", this::hotHeader);
        assertThat(server.engine().generation()).isEqualTo(2);
        assertThat(HeaderModuleRegistration.REGISTERED.get()).isEqualTo(registeredBefore + 1);
        assertThat(server.engine().modules())
                .extracting(m -> m.name())
                .containsExactly("Recorder", "TextHandler", "Hot");

        write(config(base(), ""));
        await("the removed module's header disappears", () -> !hotHeader());
        await(
                "the removed module's factory is terminated",
                () -> HeaderModuleRegistration.TERMINATED.get() == terminatedBefore + 1);
        assertThat(watcher.reloads()).isEqualTo(2);
        assertThat(logLines())
                .anyMatch(l -> l.startsWith("configuration reloaded from " + file)
                        && l.contains("+modules [Hot]")
                        && l.contains("\u2212modules []"));
        assertThat(logLines()).anyMatch(l -> l.contains("+modules []") && l.contains("\u2212modules [Hot]"));
        // the unchanged modules were kept, not registered again: the recorder saw every change
        assertThat(ChangeRecorderRegistration.EVENTS)
                .filteredOn(e -> e.startsWith("CONFIGURATION_CHANGE"))
                .containsExactly(
                        "CONFIGURATION_CHANGE MACHINE/WEBROOT/APPHOST", "CONFIGURATION_CHANGE MACHINE/WEBROOT/APPHOST");
    }

    @Test
    void aRequestHeldPendingFinishesOnItsGenerationAndTheRemovedModuleIsTerminatedAfterIt() throws Exception {
        start(config(with("Holding", PKG + "HoldingModuleRegistration"), ""));
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + server.boundAddresses().get(0).getPort() + "/hold"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpContext context = HoldingModuleRegistration.HELD.poll(10, TimeUnit.SECONDS);
        assertThat(context).as("the request reached the holding module").isNotNull();

        write(config(base(), ""));
        await("generation 2 serves", () -> server.engine().generation() == 2);
        HttpResponse<String> fresh = get("/hold");
        assertThat(fresh.body())
                .as("a new request runs without the removed module")
                .isEqualTo("ok\n");
        Thread.sleep(300);
        assertThat(HoldingModuleRegistration.TERMINATED)
                .as("not terminated while its request is in flight")
                .isFalse();
        assertThat(server.engine().requestsInFlight()).isEqualTo(1);
        assertThat(held).isNotDone();

        HoldingModuleRegistration.release(context);
        HttpResponse<String> answer = held.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("held by HoldingModule\n");
        await(
                "the removed module is terminated once its last request ended",
                HoldingModuleRegistration.TERMINATED::get);
        assertThat(HoldingModuleRegistration.TERMINATED_WHILE_HOLDING).isFalse();
        assertThat(server.engine().requestsInFlight()).isZero();
    }

    @Test
    void aBadEditIsLoggedAndTheLastGoodConfigurationKeepsServing() throws Exception {
        start(config(with("Hot", PKG + "HeaderModuleRegistration"), ""));
        assertThat(hotHeader()).isTrue();

        String good = config(base(), "");
        write(good.replace("</modules>", "</modulez>"));
        await("the malformed file is refused", () -> watcher.refusals() == 1);
        assertThat(hotHeader()).as("the last good configuration serves").isTrue();
        assertThat(logLines())
                .anyMatch(l -> l.startsWith("configuration " + file + ":")
                        && l.contains(" refused: ")
                        && l.matches(".*applicationHost\\.config:\\d+:\\d+ refused: .*")
                        && l.contains("the last good configuration (generation 1) keeps serving"));

        write(config(with("Missing", PKG + "NoSuchRegistration"), ""));
        await("the unknown module type is refused", () -> watcher.refusals() == 2);
        assertThat(hotHeader())
                .as("the removal of Hot in the refused edit is not applied")
                .isTrue();
        assertThat(server.engine().generation()).isEqualTo(1);
        assertThat(logLines())
                .anyMatch(l -> l.contains("module 'Missing'")
                        && l.contains("NoSuchRegistration")
                        && l.contains("keeps serving"));

        write(good);
        await("the fixed file is applied", () -> !hotHeader());
        assertThat(watcher.reloads()).isEqualTo(1);
        assertThat(server.engine().generation()).isEqualTo(2);
    }

    @Test
    void aMalformedSchemaFileRefusesTheReloadAndTheLastGoodConfigurationKeepsServing() throws Exception {
        start(config(with("Hot", PKG + "HeaderModuleRegistration"), ""));
        assertThat(hotHeader()).isTrue();
        Path schema = Files.createDirectories(file.resolveSibling("schema")).resolve("bad.xml");
        Files.writeString(schema, """
                <configSchema>
                  <sectionSchema name="system.webServer/greeting">
                    <attribute name="text" type="string" validationType="spellChecked" />
                  </sectionSchema>
                </configSchema>
                """);

        String good = config(base(), "");
        write(good);
        await("the reload with the malformed schema file is refused", () -> watcher.refusals() == 1);
        assertThat(hotHeader()).as("the last good configuration serves").isTrue();
        assertThat(server.engine().generation()).isEqualTo(1);
        assertThat(logLines())
                .anyMatch(l -> l.contains(schema + ":3:")
                        && l.contains("unknown validationType 'spellChecked'")
                        && l.contains("keeps serving"));

        Files.delete(schema);
        write(good + "<!-- schema fixed -->\n");
        await("the edit is applied once the schema file is gone", () -> !hotHeader());
        assertThat(server.engine().generation()).isEqualTo(2);
    }

    @Test
    void aBurstOfWritesIsOneReload() throws Exception {
        start(config(base(), ""), Duration.ofMillis(250));
        List<Integer> generations = new CopyOnWriteArrayList<>();
        watcher.addAttemptListener(a -> a.outcome().ifPresent(o -> generations.add(o.generation())));
        for (int i = 0; i < 10; i++) {
            write(
                    i % 2 == 0
                            ? config(with("Hot", PKG + "HeaderModuleRegistration"), "") + "<!-- " + i + " -->"
                            : config(base(), "") + "<!-- " + i + " -->");
            Thread.sleep(15);
        }
        await("the burst is applied", () -> watcher.reloads() >= 1);
        Thread.sleep(600);
        assertThat(watcher.reloads()).isEqualTo(1);
        assertThat(generations).containsExactly(2);
        assertThat(hotHeader()).as("the last write (no Hot) is what serves").isFalse();
    }

    @Test
    void editorsThatRenameOrDeleteAndRecreateTheFileAreFollowed() throws Exception {
        start(config(base(), ""));
        Path temp = file.resolveSibling(".applicationHost.config.swp");
        Files.writeString(temp, config(with("Hot", PKG + "HeaderModuleRegistration"), ""));
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        await("the renamed-over file is applied", this::hotHeader);

        Files.delete(file);
        Thread.sleep(400);
        assertThat(hotHeader())
                .as("a deleted file keeps the last good configuration")
                .isTrue();
        assertThat(logLines()).anyMatch(l -> l.contains("cannot be read") && l.contains("keeps serving"));
        write(config(base(), ""));
        await("the recreated file is applied", () -> !hotHeader());
        assertThat(watcher.refusals()).isZero();
    }

    @Test
    void applicationsAddedAndRemovedGetApplicationStartAndStop() throws Exception {
        Files.createDirectories(root.resolve("two"));
        start(config(base(), ""));
        assertThat(ChangeRecorderRegistration.EVENTS).contains("APPLICATION_START /");
        String app =
                "        <application path=\"/two\"><virtualDirectory path=\"/\" physicalPath=\"%ROOT%/two\" /></application>\n";
        write(config(base(), app));
        await("/two starts", () -> ChangeRecorderRegistration.EVENTS.contains("APPLICATION_START /two"));
        assertThat(ChangeRecorderRegistration.EVENTS).containsOnlyOnce("APPLICATION_START /");
        write(config(base(), ""));
        await("/two stops", () -> ChangeRecorderRegistration.EVENTS.contains("APPLICATION_STOP /two"));
        assertThat(ChangeRecorderRegistration.EVENTS).doesNotContain("APPLICATION_STOP /");
    }

    @Test
    void aNewBindingIsListenedOnAndARemovedOneClosed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        start(config(base(), ""));
        String withSecond = config(base(), "")
                .replace(
                        "<binding protocol=\"http\" bindingInformation=\"127.0.0.1:0:\" />",
                        "<binding protocol=\"http\" bindingInformation=\"127.0.0.1:0:\" />\n"
                                + "<binding protocol=\"http\" bindingInformation=\"127.0.0.1:" + port + ":\" />");
        write(withSecond);
        await("the second port is bound", () -> server.boundAddresses().size() == 2);
        assertThat(get(port, "/").body()).isEqualTo("ok\n");
        write(config(base(), ""));
        await("the second port is closed", () -> server.boundAddresses().size() == 1);
        HttpClient fresh = HttpClient.newHttpClient();
        BooleanSupplier refused = () -> {
            try {
                fresh.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return false;
            } catch (ConnectException e) {
                return true;
            } catch (IOException | InterruptedException e) {
                return e.getCause() instanceof ConnectException;
            }
        };
        assertThat(refused.getAsBoolean()).isTrue();
        assertThat(get("/").body()).isEqualTo("ok\n");
    }

    @Test
    void webConfigChangesUnderASiteRaiseConfigurationAndFileChange() throws Exception {
        Path sub = Files.createDirectories(root.resolve("sub"));
        start(config(base(), ""));
        List<Path> seen = new CopyOnWriteArrayList<>();
        watcher.addConfigFileListener(seen::add);
        Files.writeString(sub.resolve("web.config"), "<configuration />");
        await("the web.config change is seen", () -> !seen.isEmpty());
        assertThat(seen).containsExactly(sub.resolve("web.config"));
        // the listener is told first; the global notifications follow on the watcher's thread
        await(
                "GL_CONFIGURATION_CHANGE and GL_FILE_CHANGE for the web.config",
                () -> ChangeRecorderRegistration.EVENTS.contains("FILE_CHANGE " + sub.resolve("web.config"))
                        && ChangeRecorderRegistration.EVENTS.contains(
                                "CONFIGURATION_CHANGE MACHINE/WEBROOT/APPHOST/S/sub"));
        assertThat(ChangeRecorderRegistration.EVENTS)
                .contains(
                        "CONFIGURATION_CHANGE MACHINE/WEBROOT/APPHOST/S/sub",
                        "FILE_CHANGE " + sub.resolve("web.config"));

        Path created = Files.createDirectories(root.resolve("later/deeper"));
        Thread.sleep(300);
        Files.writeString(created.resolve("a.txt"), "x");
        await(
                "a file in a folder created after the start is seen",
                () -> ChangeRecorderRegistration.EVENTS.contains("FILE_CHANGE " + created.resolve("a.txt")));
        assertThat(server.engine().generation())
                .as("site file changes do not reload applicationHost.config")
                .isEqualTo(1);
    }
}
