package io.weir.it.aspnetcore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ASP.NET Core Module's out-of-process hosting against a real application process: a small
 * Python HTTP server that listens on {@code ASPNETCORE_PORT}, configured by a web.config as
 * {@code dotnet publish} writes it (with {@code python3} as the processPath). Weir starts it on the
 * first request, forwards to it, starts it again after it is killed, gives 502.5 when it cannot
 * start (and stops trying beyond {@code rapidFailsPerMinute}), and stops it with SIGTERM when the
 * server closes.
 */
class AspNetCoreIT {

    /** The application: answers GET with what it was given, notes its start and its SIGTERM. */
    private static final String APP = """
            import http.server, os, signal, sys
            port = int(os.environ['ASPNETCORE_PORT'])
            events = os.path.join(os.getcwd(), 'events.txt')
            def note(text):
                with open(events, 'a') as f:
                    f.write(text + '\\n')
            note('start %d' % os.getpid())
            print('listening on %d' % port, flush=True)
            def term(signum, frame):
                note('sigterm %d' % os.getpid())
                os._exit(0)
            signal.signal(signal.SIGTERM, term)
            class Handler(http.server.BaseHTTPRequestHandler):
                protocol_version = 'HTTP/1.1'
                def do_GET(self):
                    body = ('pid=%d token=%s appl=%s greeting=%s host=%s xff=%s path=%s\\n' % (
                        os.getpid(),
                        self.headers.get('MS-ASPNETCORE-TOKEN') == os.environ['ASPNETCORE_TOKEN'],
                        os.environ.get('ASPNETCORE_APPL_PATH'), os.environ.get('GREETING'),
                        self.headers.get('Host'), self.headers.get('X-Forwarded-For'), self.path)).encode()
                    self.send_response(200)
                    self.send_header('Content-Type', 'text/plain')
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def do_POST(self):
                    data = self.rfile.read(int(self.headers.get('Content-Length', '0')))
                    self.send_response(200)
                    self.send_header('Content-Length', str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                def log_message(self, *args):
                    pass
            http.server.ThreadingHTTPServer(('127.0.0.1', port), Handler).serve_forever()
            """;

    /** An application that fails at once, as one with a broken start-up does. */
    private static final String FAILING_APP = """
            import os
            with open(os.path.join(os.getcwd(), 'events.txt'), 'a') as f:
                f.write('start %d\\n' % os.getpid())
            raise SystemExit(3)
            """;

    private static final Pattern PID = Pattern.compile("pid=(\\d+)");

    @TempDir
    Path root;

    static boolean pythonAvailable() {
        try {
            return new ProcessBuilder("python3", "--version")
                            .redirectErrorStream(true)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void requirePython() {
        boolean python = pythonAvailable();
        if ("true".equals(System.getenv("CI"))) {
            assertThat(python).as("python3 on the PATH (CI installs it)").isTrue();
        }
        assumeTrue(python, "python3 is not on the PATH");
    }

    /** The server: one site over {@code root}, with handlers and aspNetCore settable by its web.config. */
    private static String applicationHost() {
        return """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" />
                      <section name="handlers" overrideModeDefault="Allow" />
                      <section name="httpErrors" overrideModeDefault="Allow" />
                      <section name="aspNetCore" overrideModeDefault="Allow" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="Test" id="1">
                      <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules>
                      <add name="CustomErrorModule" type="io.weir.modules.customerror.CustomErrorModuleRegistration" />
                      <add name="AspNetCoreModuleV2" type="io.weir.modules.aspnetcore.AspNetCoreModuleRegistration" />
                    </globalModules>
                    <modules>
                      <add name="CustomErrorModule" />
                      <add name="AspNetCoreModuleV2" />
                    </modules>
                    <handlers accessPolicy="Read, Script" />
                    <httpErrors errorMode="Detailed" existingResponse="Auto" />
                  </system.webServer>
                </configuration>
                """;
    }

    /** The web.config {@code dotnet publish} writes, with python3 and a script as the application. */
    private static String webConfig(String script, String aspNetCoreAttributes) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <location path="." inheritInChildApplications="false">
                    <system.webServer>
                      <handlers>
                        <add name="aspNetCore" path="*" verb="*" modules="AspNetCoreModuleV2" resourceType="Unspecified" />
                      </handlers>
                      <aspNetCore processPath="python3" arguments=".\\@SCRIPT@" @ATTRIBUTES@>
                        <environmentVariables>
                          <environmentVariable name="GREETING" value="hello from web.config" />
                        </environmentVariables>
                      </aspNetCore>
                    </system.webServer>
                  </location>
                </configuration>
                """.replace("@SCRIPT@", script).replace("@ATTRIBUTES@", aspNetCoreAttributes);
    }

    private WeirTestServer start(String script, String source, String attributes) throws IOException {
        Files.writeString(root.resolve(script), source);
        Files.writeString(root.resolve("web.config"), webConfig(script, attributes));
        return WeirTestServer.start(applicationHost(), Map.of("ROOT", root.toString()));
    }

    private static RawHttp.Response get(WeirTestServer weir, String path) throws IOException {
        return RawHttp.exchange(
                weir.port(), "GET " + path + " HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n");
    }

    private static long pid(RawHttp.Response response) {
        Matcher m = PID.matcher(response.bodyText());
        assertThat(m.find())
                .as("the application's answer names its pid: " + response.bodyText())
                .isTrue();
        return Long.parseLong(m.group(1));
    }

    private List<String> events() throws IOException {
        Path events = root.resolve("events.txt");
        return Files.exists(events) ? Files.readAllLines(events) : List.of();
    }

    @Test
    void theApplicationIsStartedWithItsPortAndTokenAndRequestsReachIt() throws Exception {
        requirePython();
        long pid;
        try (WeirTestServer weir = start(
                "app.py",
                APP,
                "stdoutLogEnabled=\"true\" stdoutLogFile=\".\\logs\\stdout\" hostingModel=\"outofprocess\"")) {
            RawHttp.Response first = get(weir, "/orders/42?page=2");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText())
                    .contains("token=True")
                    .contains("appl=/")
                    .contains("greeting=hello from web.config")
                    .contains("host=app.example")
                    .containsPattern("xff=127\\.0\\.0\\.1:\\d+")
                    .contains("path=/orders/42?page=2");
            pid = pid(first);
            RawHttp.Response second = get(weir, "/again");
            assertThat(pid(second)).as("one process serves the application").isEqualTo(pid);
            RawHttp.Response posted = RawHttp.exchange(
                    weir.port(),
                    "POST /echo HTTP/1.1\r\nHost: app.example\r\nContent-Length: 11\r\nConnection: close\r\n\r\n"
                            + "hello world");
            assertThat(posted.status()).isEqualTo(200);
            assertThat(posted.bodyText()).isEqualTo("hello world");
            // the application's standard output went to logs/stdout_<timestamp>_<pid>.log
            try (Stream<Path> logs = Files.list(root.resolve("logs"))) {
                List<Path> files = logs.toList();
                assertThat(files).singleElement().satisfies(f -> {
                    assertThat(f.getFileName().toString()).matches("stdout_\\d{14}_\\d+\\.log");
                    assertThat(Files.readString(f)).contains("listening on");
                });
            }
        }
        // closing the server stopped the process gracefully: it saw SIGTERM
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
        assertThat(events()).contains("start " + pid, "sigterm " + pid);
    }

    @Test
    void aKilledProcessIsStartedAgain() throws Exception {
        requirePython();
        try (WeirTestServer weir = start("app.py", APP, "")) {
            long first = pid(get(weir, "/"));
            ProcessHandle process = ProcessHandle.of(first).orElseThrow();
            process.destroyForcibly();
            process.onExit().get();
            long deadline = System.nanoTime() + 20_000_000_000L;
            long second = first;
            while (second == first && System.nanoTime() < deadline) {
                RawHttp.Response r = get(weir, "/");
                if (r.status() == 200) {
                    second = pid(r);
                } else {
                    assertThat(r.status())
                            .as("only while the new process starts")
                            .isEqualTo(502);
                    Thread.sleep(50);
                }
            }
            assertThat(second).as("a new process serves the application").isNotEqualTo(first);
            assertThat(get(weir, "/").status()).isEqualTo(200);
        }
    }

    @Test
    void aProcessThatCannotStartGives502Point5AndIsNotStartedBeyondTheRapidFailLimit() throws Exception {
        requirePython();
        try (WeirTestServer weir = start("failing.py", FAILING_APP, "rapidFailsPerMinute=\"2\"")) {
            for (int i = 0; i < 6; i++) {
                RawHttp.Response r = get(weir, "/");
                assertThat(r.status()).isEqualTo(502);
                assertThat(r.bodyText()).contains("502.5");
                if (i == 0) {
                    assertThat(r.bodyText()).contains("exited with status 3");
                }
                if (i == 5) {
                    assertThat(r.bodyText()).contains("rapidFailsPerMinute=2");
                }
            }
            // three failed starts (the limit, plus the one that exceeded it), then no more
            assertThat(events()).hasSize(3);
        }
    }

    @Test
    void inProcessHostingIsAConfigurationError() throws Exception {
        try (WeirTestServer weir = start("app.py", APP, "hostingModel=\"inprocess\"")) {
            RawHttp.Response r = get(weir, "/");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.bodyText())
                    .contains("500.19")
                    .contains("hostingModel=&quot;inprocess&quot; is not supported")
                    .contains("web.config");
            assertThat(events()).as("no process was started").isEmpty();
        }
    }
}
