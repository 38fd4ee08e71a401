package io.weir.it.iisapi;

import static io.weir.it.iisapi.Conformance.get;
import static io.weir.it.iisapi.Conformance.module;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleId;
import io.weir.api.ModuleRegistration;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.DispensedHttpModuleContextContainer;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpFileMonitor;
import io.weir.api.http.HttpMetadataInfo;
import io.weir.api.provider.CacheOperation;
import io.weir.api.provider.GlobalFileChangeProvider;
import io.weir.api.provider.HttpEventProvider;
import io.weir.cli.WeirCommand;
import io.weir.core.RecycleRequests;
import io.weir.core.WeirEngine;
import io.weir.server.AdminEndpoint;
import io.weir.testkit.WeirTestConfig;
import io.weir.testkit.WeirTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IIS's {@code IHttpServer} methods as a module calls them during a request, over loopback against
 * a real server; each test is named after the IIS method it checks.
 */
class IisServerConformanceIT {

    /** A module that answers every request in BEGIN_REQUEST with what {@code body} makes of the server. */
    private static ModuleRegistration answering(Function<HttpContext, String> body) {
        return module(Set.of(RequestNotification.BEGIN_REQUEST), id -> new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                c.response().writeEntityChunks(DataChunk.ofUtf8(body.apply(c)));
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        });
    }

    /** A global module that records the files GL_FILE_CHANGE names. */
    private static ModuleRegistration fileChanges(List<Path> changed) {
        return (version, info, server) -> info.setGlobalNotifications(
                new GlobalModule() {
                    @Override
                    public GlobalNotificationStatus onGlobalFileChange(GlobalFileChangeProvider provider) {
                        changed.add(provider.fileName());
                        return GlobalNotificationStatus.CONTINUE;
                    }

                    @Override
                    public void terminate() {}
                },
                Set.of(GlobalNotification.FILE_CHANGE));
    }

    /**
     * {@code IHttpContext::GetMetadata}: the URL's configuration path and its virtual directory's
     * physical path (the application's own folder for a URL under {@code /app}), and a container
     * shared by every request for the URL, which does not count as a URL-info hit.
     */
    @Test
    void getMetadataGivesTheMetaPathTheVrPathAndAContainerPerUrl(@TempDir Path root, @TempDir Path appRoot) {
        ModuleId[] self = new ModuleId[1];
        ModuleRegistration reg = (version, info, server) -> {
            self[0] = info.id();
            info.setRequestNotifications(
                    a -> new HttpModule() {
                        @Override
                        public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                            HttpMetadataInfo m = c.metadata();
                            boolean stored = m.moduleContextContainer()
                                    .moduleContext(self[0])
                                    .isPresent();
                            if (!stored) {
                                m.moduleContextContainer().setModuleContext(() -> {}, self[0]);
                            }
                            c.response()
                                    .writeEntityChunks(DataChunk.ofUtf8(m.metaPath() + "|" + m.vrPath() + "|"
                                            + stored + "|" + (m == c.metadata()) + "|"
                                            + c.urlInfo().isFrequentlyHit()));
                            return RequestNotificationStatus.FINISH_REQUEST;
                        }
                    },
                    Set.of(RequestNotification.BEGIN_REQUEST),
                    Set.of());
        };
        WeirTestConfig config = WeirTestConfig.create()
                .siteRoot(root)
                .siteElement("<application path=\"/app\"><virtualDirectory path=\"/\" physicalPath=\""
                        + appRoot.toAbsolutePath() + "\" /></application>")
                .module("Meta", reg);
        try (WeirTestServer server = WeirTestServer.start(config)) {
            String site = "MACHINE/WEBROOT/APPHOST/Default Web Site";
            assertThat(get(server.port(), "/app/page.htm").bodyText())
                    .isEqualTo(site + "/app/page.htm|" + appRoot.toAbsolutePath() + "|false|true|false");
            // the second request finds what the first stored; metadata() counted no hit, so one
            // urlInfo() call per request makes two hits: frequently hit now
            assertThat(get(server.port(), "/app/page.htm").bodyText())
                    .isEqualTo(site + "/app/page.htm|" + appRoot.toAbsolutePath() + "|true|true|true");
            assertThat(get(server.port(), "/").bodyText())
                    .isEqualTo(site + "|" + root.toAbsolutePath() + "|false|true|false");
            assertThat(get(server.port(), "/docs/").bodyText())
                    .isEqualTo(site + "/docs|" + root.toAbsolutePath() + "|false|true|false");
        }
    }

    /**
     * {@code IHttpServer::IsCommandLineLaunch}: false for a server a program embeds (this test), true
     * once the system property the {@code weir} command sets says so.
     */
    @Test
    void isCommandLineLaunchIsTrueOnlyForTheWeirCommand() {
        assertThat(System.getProperty(HttpServer.COMMAND_LINE_LAUNCH_PROPERTY)).isNull();
        WeirTestConfig config = WeirTestConfig.create()
                .module("Launch", answering(c -> String.valueOf(c.server().isCommandLineLaunch())));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            assertThat(get(server.port(), "/").bodyText()).isEqualTo("false");
            System.setProperty(HttpServer.COMMAND_LINE_LAUNCH_PROPERTY, "true");
            assertThat(get(server.port(), "/").bodyText()).isEqualTo("true");
        } finally {
            System.clearProperty(HttpServer.COMMAND_LINE_LAUNCH_PROPERTY);
        }
    }

    /**
     * {@code IHttpServer::DispenseContainer}: each call hands out a new, empty container; releasing
     * it cleans up every stored context once, and a released container refuses new contexts.
     */
    @Test
    void dispenseContainerGivesAContainerItsOwnerReleases() {
        ModuleId[] self = new ModuleId[1];
        List<String> cleaned = new CopyOnWriteArrayList<>();
        ModuleRegistration reg = (version, info, server) -> {
            self[0] = info.id();
            info.setRequestNotifications(
                    a -> new HttpModule() {
                        @Override
                        public RequestNotificationStatus onBeginRequest(HttpContext c, HttpEventProvider p) {
                            DispensedHttpModuleContextContainer first =
                                    c.server().dispenseContainer();
                            DispensedHttpModuleContextContainer second =
                                    c.server().dispenseContainer();
                            first.setModuleContext(() -> cleaned.add("first"), self[0]);
                            StringBuilder out = new StringBuilder();
                            out.append(second.moduleContext(self[0]).isPresent())
                                    .append('|');
                            try (second) {
                                second.setModuleContext(() -> cleaned.add("second"), self[0]);
                            }
                            first.releaseContainer();
                            first.releaseContainer();
                            out.append(first.moduleContext(self[0]).isPresent()).append('|');
                            try {
                                first.setModuleContext(() -> {}, self[0]);
                                out.append("accepted");
                            } catch (IllegalStateException e) {
                                out.append(e.getMessage());
                            }
                            c.response().writeEntityChunks(DataChunk.ofUtf8(out.toString()));
                            return RequestNotificationStatus.FINISH_REQUEST;
                        }
                    },
                    Set.of(RequestNotification.BEGIN_REQUEST),
                    Set.of());
        };
        try (WeirTestServer server =
                WeirTestServer.start(WeirTestConfig.create().module("Dispenser", reg))) {
            assertThat(get(server.port(), "/").bodyText())
                    .isEqualTo("false|false|the dispensed container was released");
            assertThat(cleaned).containsExactly("second", "first");
        }
    }

    @Test
    void getAppPoolNameIsTheProcessesPool() {
        WeirTestConfig config =
                WeirTestConfig.create().module("Pool", answering(c -> c.server().appPoolName()));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            assertThat(get(server.port(), "/").bodyText()).isEqualTo("DefaultAppPool");
        }
    }

    @Test
    void satisfiesPreconditionEvaluatesIisConditions() {
        WeirTestConfig config = WeirTestConfig.create().module("Conditions", answering(c -> {
            HttpServer s = c.server();
            List<String> out = new ArrayList<>();
            for (String condition : List.of(
                    "",
                    "integratedMode",
                    "integratedMode,bitness64",
                    "appPoolName=Other;DefaultAppPool",
                    "appPoolName=Other",
                    "classicMode",
                    "integratedMode,runtimeVersionv4.0",
                    "managedHandler",
                    "noSuchCondition")) {
                try {
                    out.add(condition + "=" + s.satisfiesPrecondition(condition));
                } catch (IllegalArgumentException e) {
                    out.add(condition + ": " + e.getMessage());
                }
            }
            return String.join("|", out);
        }));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            assertThat(get(server.port(), "/").bodyText())
                    .isEqualTo(String.join(
                            "|",
                            "=true",
                            "integratedMode=true",
                            "integratedMode,bitness64=true",
                            "appPoolName=Other;DefaultAppPool=true",
                            "appPoolName=Other=false",
                            "classicMode=false",
                            "integratedMode,runtimeVersionv4.0=false",
                            "managedHandler=false",
                            "noSuchCondition: unknown precondition 'noSuchCondition'"));
        }
    }

    /**
     * Weir cannot recycle itself: RecycleProcess and RecycleApplication are recorded, counted in the
     * runtime status that {@code weir list requests} and the RSCA query show, and the server goes on.
     */
    @Test
    void recycleProcessIsRecordedInTheRuntimeStatus(@TempDir Path home) throws Exception {
        WeirTestConfig config = WeirTestConfig.create().module("Recycler", answering(c -> {
            c.server().recycleProcess("private bytes over the limit");
            c.server().recycleApplication("MACHINE/WEBROOT/APPHOST/Test");
            return "asked";
        }));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            WeirEngine engine = server.server().engine();
            assertThat(engine.runtimeStatus().recycleRequests()).isZero();
            assertThat(get(server.port(), "/").bodyText()).isEqualTo("asked");
            assertThat(get(server.port(), "/").status()).isEqualTo(200);
            assertThat(engine.runtimeStatus().recycleRequests()).isEqualTo(4);
            assertThat(engine.recycleRequests().recent())
                    .extracting(RecycleRequests.Request::application, RecycleRequests.Request::reason)
                    .startsWith(
                            org.assertj.core.groups.Tuple.tuple("", "private bytes over the limit"),
                            org.assertj.core.groups.Tuple.tuple("MACHINE/WEBROOT/APPHOST/Test", ""));
            assertThat(engine.rscaQuery("GetRuntimeStatus", null))
                    .hasValueSatisfying(s -> assertThat(s).contains("recycleRequests=4"));
            Path tokenFile = home.resolve("admin.token");
            try (AdminEndpoint admin = AdminEndpoint.start(engine, 0, tokenFile)) {
                StringWriter out = new StringWriter();
                picocli.CommandLine cli = WeirCommand.commandLine();
                cli.setOut(new PrintWriter(out, true));
                int exit = cli.execute(
                        "list",
                        "requests",
                        "--port",
                        Integer.toString(admin.port()),
                        "--token-file",
                        tokenFile.toString());
                assertThat(exit).isZero();
                assertThat(out.toString()).contains("recycleRequests:4");
            }
        }
    }

    /** NotifyFileChange raises GL_FILE_CHANGE for the file at once, on the calling thread. */
    @Test
    void notifyFileChangeRaisesGlobalFileChange(@TempDir Path folder) {
        List<Path> changed = new CopyOnWriteArrayList<>();
        Path file = folder.resolve("settings.json");
        WeirTestConfig config = WeirTestConfig.create()
                .module("Changes", fileChanges(changed))
                .module("Notifier", answering(c -> {
                    c.server().notifyFileChange(file);
                    return "raised " + changed.size();
                }));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            assertThat(get(server.port(), "/").bodyText()).isEqualTo("raised 1");
            assertThat(changed).containsExactly(file);
        }
    }

    /**
     * A folder outside every site, registered by a module, is watched by the engine's watcher: a file
     * written there raises GL_FILE_CHANGE; once the monitor is closed, changes there raise nothing.
     */
    @Test
    void registerFileChangeMonitorWatchesTheFolderThroughTheEnginesWatcher(@TempDir Path site, @TempDir Path extra)
            throws Exception {
        List<Path> changed = new CopyOnWriteArrayList<>();
        List<HttpFileMonitor> monitors = new CopyOnWriteArrayList<>();
        WeirTestConfig config = WeirTestConfig.create()
                .siteRoot(site)
                .module("Changes", fileChanges(changed))
                .module("Registrar", answering(c -> {
                    monitors.add(c.server().registerFileChangeMonitor(extra));
                    return "registered " + monitors.getFirst().path();
                }));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            server.server().watchSites();
            assertThat(get(server.port(), "/").bodyText()).isEqualTo("registered " + extra);
            Path file = extra.resolve("rules.txt");
            awaitChange(changed, file, () -> Files.writeString(file, "one"));
            assertThat(changed).contains(file);

            monitors.getFirst().close();
            Thread.sleep(300); // the watcher syncs its folders
            changed.clear();
            Files.writeString(extra.resolve("later.txt"), "two");
            Thread.sleep(1000);
            assertThat(changed).doesNotContain(extra.resolve("later.txt"));
        }
    }

    private interface Write {
        void run() throws Exception;
    }

    /** Writes (again every second, as the watcher may start watching a moment later) until the change is raised. */
    private static void awaitChange(List<Path> changed, Path file, Write write) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!changed.contains(file) && System.nanoTime() < end) {
            write.run();
            long next = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (!changed.contains(file) && System.nanoTime() < next) {
                Thread.sleep(20);
            }
        }
    }

    /** DoCacheOperation on the file cache: add, retrieve, enumerate, delete and flush by prefix. */
    @Test
    void doCacheOperationActsOnTheFileCache(@TempDir Path site) throws Exception {
        Files.writeString(site.resolve("a.txt"), "a");
        Files.createDirectories(site.resolve("sub"));
        Files.writeString(site.resolve("sub/b.txt"), "bb");
        Files.writeString(site.resolve("sub/c.txt"), "ccc");
        WeirTestConfig config = WeirTestConfig.create().siteRoot(site).module("Cache", answering(c -> {
            HttpServer s = c.server();
            Path a = site.resolve("a.txt");
            Path sub = site.resolve("sub");
            List<String> out = new ArrayList<>();
            out.add("retrieve before add "
                    + s.doCacheOperation(CacheOperation.RETRIEVE, a).size());
            out.add("add "
                    + s.doCacheOperation(CacheOperation.ADD, a).getFirst().size());
            s.doCacheOperation(CacheOperation.ADD, sub.resolve("b.txt"));
            s.doCacheOperation(CacheOperation.ADD, sub.resolve("c.txt"));
            out.add("retrieve " + s.doCacheOperation(CacheOperation.RETRIEVE, a).size());
            out.add("enum sub " + s.doCacheOperation(CacheOperation.ENUM, sub).size());
            out.add("delete " + s.doCacheOperation(CacheOperation.DELETE, a).size());
            out.add("retrieve after delete "
                    + s.doCacheOperation(CacheOperation.RETRIEVE, a).size());
            out.add("flush sub "
                    + s.doCacheOperation(CacheOperation.FLUSH_PREFIX, sub).size());
            out.add("enum sub after flush "
                    + s.doCacheOperation(CacheOperation.ENUM, sub).size());
            return String.join("|", out);
        }));
        try (WeirTestServer server = WeirTestServer.start(config)) {
            assertThat(get(server.port(), "/").bodyText())
                    .isEqualTo("retrieve before add 0|add 1|retrieve 1|enum sub 2|delete 1|retrieve after delete 0"
                            + "|flush sub 2|enum sub after flush 0");
        }
    }
}
