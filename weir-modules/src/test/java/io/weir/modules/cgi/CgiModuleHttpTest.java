package io.weir.modules.cgi;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.WeirTestServer;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CgiModule over loopback HTTP with shell-script CGI programs: the CGI/1.1 environment, the body on
 * standard input, Status from the program, isapiCgiRestriction (404.2), cgi@timeout (502.1), a
 * program without headers (502.2), and a scriptProcessor with {@code %s}.
 */
class CgiModuleHttpTest {

    @TempDir
    static Path root;

    private static WeirTestServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private static Path script(String name, String body) throws Exception {
        Path file = root.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @BeforeAll
    static void start() throws Exception {
        Path env = script("env.cgi", """
                printf 'Content-Type: text/plain\\r\\nX-Cgi: yes\\r\\n\\r\\n'
                for v in GATEWAY_INTERFACE SERVER_PROTOCOL REQUEST_METHOD SCRIPT_NAME SCRIPT_FILENAME PATH_INFO QUERY_STRING \\
                         REQUEST_URI CONTENT_LENGTH CONTENT_TYPE REMOTE_ADDR HTTP_X_ONE REDIRECT_STATUS; do
                  eval "echo $v=\\$$v"
                done
                printf 'BODY='; cat
                """);
        Path created = script("created.cgi", "printf 'Status: 201 Created\\nLocation: /made\\n\\nmade it'\n");
        Path slow = script("slow.cgi", "sleep 30; printf 'Content-Type: text/plain\\n\\nlate'\n");
        Path headless = script("headless.cgi", "exit 3\n");
        Path denied = script("denied.cgi", "printf 'Content-Type: text/plain\\n\\nran'\n");
        script("unlisted.cgi", "printf 'Content-Type: text/plain\\n\\nran'\n");
        Files.writeString(root.resolve("hello.sh-page"), "echo hello from the interpreter\n");
        String restrictions = """
                <isapiCgiRestriction notListedIsapisAllowed="false" notListedCgisAllowed="false">
                  <add path="%s" allowed="true" />
                  <add path="%s" allowed="true" />
                  <add path="%s" allowed="true" />
                  <add path="%s" allowed="true" />
                  <add path="%s" allowed="false" />
                  <add path="/bin/sh" allowed="true" />
                </isapiCgiRestriction>
                """.formatted(env, created, slow, headless, denied);
        String xml;
        try (InputStream in = CgiModuleHttpTest.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        xml = xml.replace("<security>\n", "<security>\n" + restrictions);
        xml = xml.replace(
                "</system.webServer>\n\n  <!--\n    The module list",
                "<cgi timeout=\"00:00:02\" createProcessAsUser=\"false\" />\n  </system.webServer>\n\n  <!--\n    The module list");
        xml = xml.replace("<handlers accessPolicy=\"Read, Script\">", """
                <handlers accessPolicy="Read, Script, Execute">
                  <add name="CGI-exe" path="*.cgi" verb="*" modules="CgiModule" resourceType="File" requireAccess="Execute" allowPathInfo="true" />
                  <add name="ShellPages" path="*.sh-page" verb="GET" modules="CgiModule" scriptProcessor="/bin/sh %s" resourceType="File" requireAccess="Script" />
                """);
        xml = xml.replace(
                "<logFile logFormat=\"W3C\" enabled=\"true\"", "<logFile logFormat=\"W3C\" enabled=\"false\"");
        assertThat(xml)
                .contains("<cgi timeout=")
                .contains("<isapiCgiRestriction")
                .contains("enabled=\"false\" period");
        server = WeirTestServer.start(xml, Map.of("WEIR_SITE_ROOT", root.toString()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return CLIENT.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String line(String body, String name) {
        return body.lines()
                .filter(l -> l.startsWith(name + "="))
                .findFirst()
                .map(l -> l.substring(name.length() + 1))
                .orElseThrow(() -> new AssertionError(name + " missing in " + body));
    }

    @Test
    void theProgramGetsTheCgiEnvironmentAndTheBody() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server.uri("/env.cgi?x=1"))
                .header("X-One", "first")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("posted body")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Cgi")).hasValue("yes");
        String body = r.body();
        assertThat(line(body, "GATEWAY_INTERFACE")).isEqualTo("CGI/1.1");
        assertThat(line(body, "SERVER_PROTOCOL")).isEqualTo("HTTP/1.1");
        assertThat(line(body, "REQUEST_METHOD")).isEqualTo("POST");
        assertThat(line(body, "SCRIPT_NAME")).isEqualTo("/env.cgi");
        assertThat(line(body, "SCRIPT_FILENAME"))
                .isEqualTo(root.resolve("env.cgi").toString());
        assertThat(line(body, "QUERY_STRING")).isEqualTo("x=1");
        assertThat(line(body, "REQUEST_URI")).isEqualTo("/env.cgi?x=1");
        assertThat(line(body, "CONTENT_LENGTH")).isEqualTo("11");
        assertThat(line(body, "CONTENT_TYPE")).isEqualTo("text/plain");
        assertThat(line(body, "REMOTE_ADDR")).isEqualTo("127.0.0.1");
        assertThat(line(body, "HTTP_X_ONE")).isEqualTo("first");
        assertThat(line(body, "REDIRECT_STATUS")).isEqualTo("200");
        assertThat(line(body, "BODY")).isEqualTo("posted body");
    }

    @Test
    void pathInfoAfterTheProgramsNameReachesIt() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server.uri("/env.cgi/extra/path?x=2")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(line(r.body(), "SCRIPT_NAME")).isEqualTo("/env.cgi");
        assertThat(line(r.body(), "PATH_INFO")).isEqualTo("/extra/path");
        assertThat(line(r.body(), "SCRIPT_FILENAME"))
                .isEqualTo(root.resolve("env.cgi").toString());
        assertThat(line(r.body(), "QUERY_STRING")).isEqualTo("x=2");
    }

    @Test
    void statusAndLocationComeFromTheProgram() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server.uri("/created.cgi")));
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).hasValue("/made");
        assertThat(r.body()).isEqualTo("made it");
    }

    @Test
    void anExecutableNotAllowedByIsapiCgiRestrictionIs404Point2() throws Exception {
        HttpResponse<String> listedDenied = send(HttpRequest.newBuilder(server.uri("/denied.cgi")));
        assertThat(listedDenied.statusCode()).isEqualTo(404);
        assertThat(listedDenied.body()).contains("404.2").doesNotContain("ran");
        HttpResponse<String> unlisted = send(HttpRequest.newBuilder(server.uri("/unlisted.cgi")));
        assertThat(unlisted.statusCode()).isEqualTo(404);
        assertThat(unlisted.body()).contains("404.2").doesNotContain("ran");
    }

    @Test
    void aProgramPastCgiTimeoutIsKilledWith502Point1() throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> r = send(HttpRequest.newBuilder(server.uri("/slow.cgi")));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("502.1");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aProgramWithoutHeadersIs502Point2() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server.uri("/headless.cgi")));
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("502.2");
    }

    @Test
    void aScriptProcessorRunsAnInterpreterOnTheScript() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(server.uri("/hello.sh-page")));
        // the shell script prints no header block: /bin/sh ran it, and CGI answers 502.2
        assertThat(r.statusCode()).isEqualTo(502);
        Files.writeString(
                root.resolve("page.sh-page"),
                "printf 'Content-Type: text/plain\\n\\n'; echo \"interpreted $SCRIPT_NAME\"\n");
        HttpResponse<String> ok = send(HttpRequest.newBuilder(server.uri("/page.sh-page")));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("interpreted /page.sh-page\n");
    }
}
