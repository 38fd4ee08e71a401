package io.weir.modules.customerror;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CustomErrorModule over real sockets, with the embedded default configuration (which enables it)
 * plus a test module that raises errors in a chosen stage and {@code <location>}s that set
 * {@code httpErrors} per folder.
 *
 * <p>Local and remote clients: the server listens on every address (the embedded binding
 * {@code *:PORT:}); a "local" request goes to 127.0.0.1, a "remote" one to a non-loopback
 * address of this machine, so that the server really sees a non-loopback client address (the
 * kernel uses the destination address as the source). No header or test hook fakes the client's
 * address. The machine must have one non-loopback address (any container or CI runner does).
 */
class CustomErrorModuleHttpTest {

    private static final String ERROR_FILE = "<html><body>our own 404 page</body></html>";
    private static final String ERROR_FILE_3 = "<html><body>our own 404.3 page</body></html>";
    private static final String EXEC_PAGE = "<html><body>executed error page</body></html>";

    @TempDir
    static Path root;

    private static WeirTestServer server;
    private static int port;
    private static String remoteHost;

    @BeforeAll
    static void start() throws Exception {
        remoteHost = nonLoopbackAddress();
        write(root, "public.txt", "public");
        write(root, "errors/404.html", ERROR_FILE);
        write(root, "errors/404-3.html", ERROR_FILE_3);
        write(root, "errors/teapot.txt", "a plain text error");
        write(root, "custerr/de-DE/403.htm", "<p>Verboten</p>");
        write(root, "custerr/en-US/403.htm", "<p>Forbidden, in English</p>");
        write(root, "exec-pages/notfound.html", EXEC_PAGE);
        write(root, "files/a.unmapped", "no mime map");
        write(root, "defaults/a.unmapped", "no mime map");
        write(root, "a.unmapped", "no mime map");
        Files.createDirectories(root.resolve("files/emptyfolder"));
        Files.createDirectories(root.resolve("badconfig"));
        String locations = location("custom", "<httpErrors errorMode=\"Custom\" />")
                + location("detailed", "<httpErrors errorMode=\"Detailed\" />")
                + location("replace", "<httpErrors existingResponse=\"Replace\" />")
                + location("pass", "<httpErrors existingResponse=\"PassThrough\" />")
                + location("files", """
                        <httpErrors errorMode="Custom">
                          <error statusCode="404" path="errors/404.html" />
                          <error statusCode="404" subStatusCode="3" path="errors/404-3.html" />
                          <error statusCode="403" prefixLanguageFilePath="custerr" path="403.htm" />
                          <error statusCode="418" path="errors\\teapot.txt" />
                          <error statusCode="410" path="errors/absent.html" />
                        </httpErrors>""")
                + location("exec", """
                        <httpErrors errorMode="Custom">
                          <error statusCode="404" path="/exec-pages/notfound.html" responseMode="ExecuteURL" />
                        </httpErrors>""")
                + location("execbad", """
                        <httpErrors errorMode="Custom">
                          <error statusCode="404" path="/exec-pages/absent.html" responseMode="ExecuteURL" />
                        </httpErrors>""")
                + location("execloop", """
                        <httpErrors errorMode="Custom">
                          <error statusCode="404" path="/execloop/again" responseMode="ExecuteURL" />
                        </httpErrors>""")
                + location("redir", """
                        <httpErrors errorMode="Custom">
                          <error statusCode="404" path="/public.txt" responseMode="Redirect" />
                        </httpErrors>""")
                + location("defaults", """
                        <httpErrors errorMode="Custom" defaultPath="/exec-pages/notfound.html"
                                    defaultResponseMode="ExecuteURL">
                          <error statusCode="404" subStatusCode="3" path="errors/404-3.html" />
                        </httpErrors>""")
                + location(
                        "badconfig",
                        "<defaultDocument><files><add value=\"../escape.html\" /></files></defaultDocument>")
                + location("nocustom", "<modules><remove name=\"CustomErrorModule\" /></modules>");
        String xml = embedded()
                .replace(
                        "</globalModules>",
                        "  <add name=\"ErrorRaisingModule\" type=\"" + ErrorRaisingModuleRegistration.class.getName()
                                + "\" />\n    </globalModules>")
                .replace("</modules>", "  <add name=\"ErrorRaisingModule\" />\n      </modules>")
                .replace(
                        "<add name=\"StaticFile\"",
                        "<add name=\"Raise\" path=\"*.raise\" verb=\"*\" "
                                + "modules=\"ErrorRaisingModule\" resourceType=\"Unspecified\" requireAccess=\"None\" />\n"
                                + "        <add name=\"StaticFile\"");
        int end = xml.lastIndexOf("</configuration>");
        xml = xml.substring(0, end) + locations + xml.substring(end);
        server = WeirTestServer.startOnEveryAddress(
                xml, Map.of("WEIR_SITE_ROOT", root.toAbsolutePath().normalize().toString()));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String location(String path, String inner) {
        return "  <location path=\"Default Web Site/" + path + "\">\n    <system.webServer>\n      " + inner
                + "\n    </system.webServer>\n  </location>\n";
    }

    private static String embedded() throws Exception {
        try (InputStream in =
                CustomErrorModuleHttpTest.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The first address of an interface that is up and not loopback (IPv4 preferred). */
    private static String nonLoopbackAddress() throws SocketException {
        String v6 = null;
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress()) {
                    continue;
                }
                if (a instanceof Inet6Address) {
                    v6 = v6 == null ? "[" + a.getHostAddress() + "]" : v6;
                } else {
                    return a.getHostAddress();
                }
            }
        }
        if (v6 == null) {
            throw new IllegalStateException("these tests need a non-loopback network address on this machine "
                    + "to reach the server as a remote client");
        }
        return v6;
    }

    private static RawHttp.Response localWith(String method, String target, String... headerLines) {
        return exchange("127.0.0.1", method, target, headerLines);
    }

    private static RawHttp.Response local(String target, String... headerLines) {
        return localWith("GET", target, headerLines);
    }

    private static RawHttp.Response remote(String target, String... headerLines) {
        return exchange(remoteHost, "GET", target, headerLines);
    }

    private static RawHttp.Response exchange(String host, String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: test.example\r\nConnection: close\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        try (RawHttp http = RawHttp.connect(host.replace("[", "").replace("]", ""), port)) {
            http.send(request.append("\r\n").toString());
            return http.readResponse(method.equals("HEAD"));
        }
    }

    private static void assertDetailed(RawHttp.Response r, String status, String module, String notification) {
        assertThat(r.header("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.bodyText())
                .contains("<title>Weir Detailed Error - " + status + " - ")
                .contains("HTTP Error " + status + " - ")
                .contains("Detailed Error Information")
                .contains("<th>Module</th><td>" + module + "</td>")
                .contains("<th>Notification</th><td>" + notification + "</td>");
    }

    private static void assertOneLiner(RawHttp.Response r, int code) {
        assertThat(r.status()).isEqualTo(code);
        assertThat(r.header("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(r.bodyText())
                .contains("<h1>" + code + " - ")
                .doesNotContain("Detailed Error Information")
                .doesNotContain("Module")
                .doesNotContain(root.toString());
    }

    // ---------------------------------------------------------------------------------------------
    // errorMode x local / remote
    // ---------------------------------------------------------------------------------------------

    @Test
    void detailedLocalOnlyShowsTheDetailedPageToALoopbackClient() {
        RawHttp.Response r = local("/missing.txt");
        assertThat(r.status()).isEqualTo(404);
        assertDetailed(r, "404", "IIS Web Core", "MAP_REQUEST_HANDLER");
        assertThat(r.bodyText())
                .contains("<th>Handler</th><td>StaticFile</td>")
                .contains("<th>Requested URL</th><td>http://test.example/missing.txt</td>")
                .contains("<th>Physical Path</th><td>"
                        + root.toAbsolutePath().normalize().resolve("missing.txt"))
                .contains("<th>Logon User</th><td>Anonymous</td>")
                .contains("Server Error in Site &quot;Default Web Site&quot;")
                .contains("go.microsoft.com/fwlink/?LinkID=62293&amp;status=404&amp;substatus=0");
    }

    @Test
    void detailedLocalOnlyShowsTheOneLinerToARemoteClient() {
        RawHttp.Response r = remote("/missing.txt");
        assertOneLiner(r, 404);
        assertThat(r.bodyText())
                .contains("404 - Not Found")
                .contains("could not be found")
                .doesNotContain("IIS Web Core")
                .doesNotContain("MAP_REQUEST_HANDLER");
    }

    @Test
    void customModeShowsTheCustomErrorEvenToALoopbackClient() {
        assertOneLiner(local("/custom/missing.txt"), 404);
    }

    @Test
    void detailedModeShowsTheDetailedPageEvenToARemoteClient() {
        RawHttp.Response r = remote("/detailed/missing.txt");
        assertThat(r.status()).isEqualTo(404);
        assertDetailed(r, "404", "IIS Web Core", "MAP_REQUEST_HANDLER");
    }

    // ---------------------------------------------------------------------------------------------
    // existingResponse x trySkipCustomErrors
    // ---------------------------------------------------------------------------------------------

    private static final String RAISE_WITH_BODY =
            "/x.raise?at=EXECUTE_REQUEST_HANDLER&status=409&reason=Conflict" + "&body=module+body";

    @Test
    void autoKeepsAnEntityForADetailedClientAndReplacesItForACustomOne() {
        RawHttp.Response local = local(RAISE_WITH_BODY);
        assertThat(local.status()).isEqualTo(409);
        assertThat(local.bodyText()).isEqualTo("module body");
        assertThat(local.header("Content-Type")).hasValue("text/plain; charset=utf-8");

        RawHttp.Response remote = remote(RAISE_WITH_BODY);
        assertOneLiner(remote, 409);
        assertThat(remote.bodyText()).doesNotContain("module body");
    }

    @Test
    void autoKeepsTheEntityOfAStatusSetWithTrySkipCustomErrors() {
        RawHttp.Response remote = remote(RAISE_WITH_BODY + "&skip=true");
        assertThat(remote.status()).isEqualTo(409);
        assertThat(remote.bodyText()).isEqualTo("module body");
        RawHttp.Response custom = local("/custom" + RAISE_WITH_BODY + "&skip=true");
        assertThat(custom.bodyText()).isEqualTo("module body");
    }

    @Test
    void autoFillsABlankErrorWithTheDetailedPageOrTheOneLiner() {
        assertDetailed(
                local("/x.raise?at=EXECUTE_REQUEST_HANDLER&status=409"),
                "409",
                "ErrorRaisingModule",
                "EXECUTE_REQUEST_HANDLER");
        assertOneLiner(remote("/x.raise?at=EXECUTE_REQUEST_HANDLER&status=409&skip=true"), 409);
    }

    @Test
    void replaceReplacesEvenAnEntitySetWithTrySkipCustomErrors() {
        RawHttp.Response local = local("/replace" + RAISE_WITH_BODY + "&skip=true");
        assertThat(local.status()).isEqualTo(409);
        assertDetailed(local, "409", "ErrorRaisingModule", "EXECUTE_REQUEST_HANDLER");
        assertThat(local.bodyText()).doesNotContain("module body");
        assertOneLiner(remote("/replace" + RAISE_WITH_BODY + "&skip=true"), 409);
    }

    @Test
    void passThroughKeepsAnyEntityAndGivesABlankOneTheOneLiner() {
        RawHttp.Response remote = remote("/pass" + RAISE_WITH_BODY);
        assertThat(remote.status()).isEqualTo(409);
        assertThat(remote.bodyText()).isEqualTo("module body");
        assertOneLiner(local("/pass/missing.txt"), 404);
    }

    // ---------------------------------------------------------------------------------------------
    // Response modes, substatus precedence, defaults
    // ---------------------------------------------------------------------------------------------

    @Test
    void fileModeSendsTheFileForTheCodeWithTheMimeMapsType() {
        RawHttp.Response r = local("/files/missing.txt");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo(ERROR_FILE);
        assertThat(r.header("Content-Type")).hasValue("text/html");
        assertThat(r.header("Content-Length")).hasValue(Integer.toString(ERROR_FILE.length()));
        RawHttp.Response teapot = local("/files/x.raise?at=EXECUTE_REQUEST_HANDLER&status=418&body=ignored");
        assertThat(teapot.status()).isEqualTo(418);
        assertThat(teapot.bodyText()).isEqualTo("a plain text error");
        assertThat(teapot.header("Content-Type")).hasValue("text/plain");
    }

    @Test
    void theExactSubstatusWinsOverMinusOne() {
        RawHttp.Response r = local("/files/a.unmapped");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo(ERROR_FILE_3);
        assertThat(local("/files/missing.unmapped").bodyText()).isEqualTo(ERROR_FILE);
    }

    @Test
    void aMissingErrorFileGivesTheOneLiner() {
        assertOneLiner(local("/files/x.raise?at=EXECUTE_REQUEST_HANDLER&status=410&reason=Gone"), 410);
    }

    @Test
    void prefixLanguageFilePathPicksTheClientsLanguageThenFallsBack() {
        assertThat(local("/files/emptyfolder/", "Accept-Language: fr-CH, de-de;q=0.8, en;q=0.5")
                        .bodyText())
                .isEqualTo("<p>Verboten</p>");
        String fallback = Locale.getDefault().toLanguageTag().equals("de-DE")
                ? "<p>Verboten</p>"
                : "<p>Forbidden, in English</p>";
        RawHttp.Response r = local("/files/emptyfolder/", "Accept-Language: xx-YY");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.bodyText()).isEqualTo(fallback);
        assertThat(local("/files/emptyfolder/", "Accept-Language: ../../etc").bodyText())
                .isEqualTo(fallback);
    }

    @Test
    void executeUrlSendsTheChildsOutputWithTheOriginalStatus() {
        RawHttp.Response r = local("/exec/missing.txt");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo(EXEC_PAGE);
        assertThat(r.header("Content-Type")).hasValue("text/html");
        assertThat(r.header("ETag")).isEmpty();
        assertThat(r.header("Last-Modified")).isEmpty();
        // as in IIS the child gets the request's verb: a static page refuses a POST, so the one-liner
        assertOneLiner(localWith("POST", "/exec/missing.txt", "Content-Length: 0"), 404);
    }

    @Test
    void anExecuteUrlChildThatFailsGivesTheOneLinerWithoutLooping() {
        assertOneLiner(local("/execbad/missing.txt"), 404);
        assertOneLiner(local("/execloop/missing.txt"), 404);
        assertThat(local("/public.txt").bodyText()).isEqualTo("public");
    }

    @Test
    void redirectAnswers302ToThePath() {
        RawHttp.Response r = local("/redir/missing.txt");
        assertThat(r.status()).isEqualTo(302);
        assertThat(r.header("Location")).hasValue("http://test.example/public.txt");
    }

    @Test
    void defaultPathServesCodesWithoutAnEntry() {
        RawHttp.Response r = local("/defaults/missing.txt");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText()).isEqualTo(EXEC_PAGE);
        RawHttp.Response raised = local("/defaults/x.raise?at=EXECUTE_REQUEST_HANDLER&status=500");
        assertThat(raised.status()).isEqualTo(500);
        assertThat(raised.bodyText()).isEqualTo(EXEC_PAGE);
        assertThat(local("/defaults/a.unmapped").bodyText()).isEqualTo(ERROR_FILE_3); // the entry wins
    }

    // ---------------------------------------------------------------------------------------------
    // HEAD, stages, escaping, fallback
    // ---------------------------------------------------------------------------------------------

    @Test
    void headGetsTheHeadersOfThePageAndNoBody() {
        RawHttp.Response get = local("/missing.txt");
        try (RawHttp http = RawHttp.connect(port)) {
            http.send("HEAD /missing.txt HTTP/1.1\r\nHost: test.example\r\nConnection: close\r\n\r\n");
            RawHttp.Response head = http.readResponse(true);
            assertThat(head.status()).isEqualTo(404);
            assertThat(head.header("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(head.header("Content-Length")).hasValue(Integer.toString(get.body().length));
            assertThat(http.readUntilClose()).isEmpty();
        }
    }

    @Test
    void errorsFromEveryStageReachTheModule() {
        assertDetailed(local("/bin/secret.txt"), "404.8", "RequestFilteringModule", "BEGIN_REQUEST");
        assertDetailed(
                local("/x.raise?at=BEGIN_REQUEST&status=403&sub=6&reason=Forbidden"),
                "403.6",
                "ErrorRaisingModule",
                "BEGIN_REQUEST");
        RawHttp.Response auth = local("/x.raise?at=AUTHENTICATE_REQUEST&status=401&sub=2&reason=Unauthorized");
        assertThat(auth.status()).isEqualTo(401);
        assertDetailed(auth, "401.2", "ErrorRaisingModule", "AUTHENTICATE_REQUEST");
        assertThat(auth.bodyText()).contains("no authentication module produced a user");
        assertDetailed(
                local("/x.raise?at=EXECUTE_REQUEST_HANDLER&status=401&reason=Unauthorized"),
                "401",
                "ErrorRaisingModule",
                "EXECUTE_REQUEST_HANDLER");
        assertDetailed(local("/nothing.here"), "404", "IIS Web Core", "MAP_REQUEST_HANDLER");
        assertDetailed(local("/a.unmapped"), "404.3", "StaticFileModule", "EXECUTE_REQUEST_HANDLER");
        assertDetailed(
                localWith("POST", "/public.txt", "Content-Length: 0"),
                "405",
                "StaticFileModule",
                "EXECUTE_REQUEST_HANDLER");
    }

    @Test
    void aModuleThatThrowsGets500WithTheExceptionOnTheDetailedPage() {
        RawHttp.Response r = local("/x.raise?at=BEGIN_REQUEST&throw=1");
        assertThat(r.status()).isEqualTo(500);
        assertDetailed(r, "500", "ErrorRaisingModule", "BEGIN_REQUEST");
        assertThat(r.bodyText()).contains("raised for the test in BEGIN_REQUEST");
        assertOneLiner(remote("/x.raise?at=BEGIN_REQUEST&throw=1"), 500);
        assertThat(remote("/x.raise?at=BEGIN_REQUEST&throw=1").bodyText()).doesNotContain("raised for the test");
    }

    @Test
    void aConfigurationErrorIs500_19() {
        RawHttp.Response r = local("/badconfig/");
        assertThat(r.status()).isEqualTo(500);
        assertDetailed(r, "500.19", "DefaultDocumentModule", "EXECUTE_REQUEST_HANDLER");
        assertThat(r.bodyText()).contains("The configuration is invalid");
    }

    @Test
    void everyValueOnTheDetailedPageIsEscaped() {
        RawHttp.Response r = local(
                "/x.raise?at=EXECUTE_REQUEST_HANDLER&status=400&reason=Bad&desc=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
        assertThat(r.bodyText())
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script>");
        RawHttp.Response path = local("/%3Cb%3Ebold%3C%2Fb%3E.txt");
        assertThat(path.status()).isEqualTo(404);
        assertThat(path.bodyText()).contains("&lt;b&gt;bold&lt;/b&gt;.txt").doesNotContain("<b>bold");
    }

    @Test
    void withoutCustomErrorModuleTheEnginesOwnPageIsTheFallback() {
        RawHttp.Response r = local("/nocustom/missing.txt");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.bodyText())
                .contains("HTTP Error 404 - Not Found")
                .contains("<th>Module</th><td>IIS Web Core</td>")
                .doesNotContain("Detailed Error Information");
        assertThat(remote("/nocustom/missing.txt").bodyText())
                .contains("<h1>404 - Not Found</h1>")
                .doesNotContain("IIS Web Core");
    }

    @Test
    void a416KeepsItsContentRangeUnderTheDetailedPage() {
        RawHttp.Response r = local("/public.txt", "Range: bytes=100-200");
        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("Content-Range")).hasValue("bytes */6");
        assertDetailed(r, "416", "StaticFileModule", "EXECUTE_REQUEST_HANDLER");
    }

    @Test
    void successfulResponsesAreLeftAlone() {
        RawHttp.Response r = local("/x.raise");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("raised nothing");
    }
}
