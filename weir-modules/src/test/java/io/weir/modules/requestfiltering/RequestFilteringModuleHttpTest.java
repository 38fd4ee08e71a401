package io.weir.modules.requestfiltering;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.LoopbackSite;
import io.weir.testkit.RawHttp;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RequestFilteringModule over real loopback HTTP: one test per attribute, with the embedded default
 * configuration and {@code <location>} variants. Requests go out as raw bytes so that no client
 * rewrites them; the local error page names the substatus and the module.
 */
class RequestFilteringModuleHttpTest {

    private static final String PUBLIC = "public text";

    @TempDir
    static Path root;

    private static LoopbackSite site;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        write(root, "public.txt", PUBLIC);
        write(root, "web.config", "<configuration>hidden-config</configuration>");
        write(root, "bin/lib.dll", "hidden-binary");
        write(root, "App_Data/db.mdf", "hidden-database");
        write(root, "source.cs", "class Hidden {}");
        write(root, "web.config.txt", PUBLIC);
        write(root, "binary/a.txt", PUBLIC);
        for (String folder : new String[] {
            "open",
            "strict",
            "verbs",
            "seq",
            "qs",
            "qsraw",
            "dbl",
            "ascii",
            "limits",
            "body",
            "body10",
            "headers",
            "headers10",
            "rules"
        }) {
            write(root, folder + "/a.txt", PUBLIC);
            write(root, folder + "/a.html", "<p>" + PUBLIC + "</p>");
            write(root, folder + "/a+b.txt", PUBLIC);
            write(root, folder + "/secret-ok.txt", PUBLIC);
            write(root, folder + "/bin/a.txt", PUBLIC);
            write(root, folder + "/caf\u00e9.txt", PUBLIC);
            write(root, folder + "/plain", PUBLIC);
        }
        site = LoopbackSite.serving(
                root,
                "open",
                filtering("", "<hiddenSegments><remove segment=\"bin\" /></hiddenSegments>"),
                "strict",
                filtering(
                        "",
                        "<fileExtensions allowUnlisted=\"false\"><add fileExtension=\".txt\" "
                                + "allowed=\"true\" /><add fileExtension=\".\" allowed=\"true\" /></fileExtensions>"),
                "verbs",
                filtering(
                        "",
                        "<verbs allowUnlisted=\"false\"><add verb=\"GET\" allowed=\"true\" />"
                                + "<add verb=\"HEAD\" allowed=\"true\" /><add verb=\"DELETE\" allowed=\"false\" /></verbs>"),
                "seq",
                filtering(
                        "",
                        "<denyUrlSequences><add sequence=\"..\" /><add sequence=\"secret\" />"
                                + "</denyUrlSequences><alwaysAllowedUrls><add url=\"/seq/secret-ok.txt\" /></alwaysAllowedUrls>"),
                "qs",
                filtering(
                        "",
                        "<denyQueryStringSequences><add sequence=\"select\" /></denyQueryStringSequences>"
                                + "<alwaysAllowedQueryStrings><add queryString=\"q=select\" /></alwaysAllowedQueryStrings>"),
                "qsraw",
                filtering(
                        "unescapeQueryString=\"false\"",
                        "<denyQueryStringSequences><add sequence=\"select\" /></denyQueryStringSequences>"),
                "dbl",
                filtering("allowDoubleEscaping=\"true\"", ""),
                "ascii",
                filtering("allowHighBitCharacters=\"false\"", ""),
                "limits",
                filtering("", "<requestLimits maxUrl=\"40\" maxQueryString=\"10\" />"),
                "body",
                filtering("", "<requestLimits maxAllowedContentLength=\"10\" />"),
                "body10",
                filtering("weirStatusProfile=\"IIS10\"", "<requestLimits maxAllowedContentLength=\"10\" />"),
                "headers",
                filtering(
                        "",
                        "<requestLimits><headerLimits><add header=\"X-Big\" sizeLimit=\"8\" />"
                                + "</headerLimits></requestLimits>"),
                "headers10",
                filtering(
                        "weirStatusProfile=\"IIS10\"",
                        "<requestLimits><headerLimits>"
                                + "<add header=\"X-Big\" sizeLimit=\"8\" /></headerLimits></requestLimits>"),
                "rules",
                filtering("", """
                        <filteringRules>
                          <filteringRule name="url" scanUrl="true">
                            <denyStrings><add string="evil" /></denyStrings>
                          </filteringRule>
                          <filteringRule name="query" scanQueryString="true">
                            <denyStrings><add string="drop table" /></denyStrings>
                          </filteringRule>
                          <filteringRule name="agent">
                            <scanHeaders><add requestHeader="User-Agent" /></scanHeaders>
                            <denyStrings><add string="sqlmap" /></denyStrings>
                          </filteringRule>
                          <filteringRule name="htmlOnly" scanQueryString="true">
                            <appliesTo><add fileExtension=".html" /></appliesTo>
                            <denyStrings><add string="onlyhtml" /></denyStrings>
                          </filteringRule>
                          <filteringRule name="raw" scanAllRaw="true">
                            <denyStrings><add string="rawneedle" /></denyStrings>
                          </filteringRule>
                        </filteringRules>"""));
        port = site.uri("/").getPort();
    }

    private static String filtering(String attributes, String inner) {
        return "<security><requestFiltering " + attributes + ">" + inner + "</requestFiltering></security>";
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static RawHttp.Response send(String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return RawHttp.exchange(port, request.append("\r\n").toString());
    }

    private static RawHttp.Response get(String target, String... headerLines) {
        return send("GET", target, headerLines);
    }

    private static RawHttp.Response post(String target, String body) {
        return RawHttp.exchange(
                port,
                "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                        + "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
    }

    /**
     * Asserts the status and that the local error page shows the substatus, this module's
     * description, and this module and BEGIN_REQUEST as the ones that set the status (as IIS's
     * detailed error page does).
     */
    private static void assertDenied(RawHttp.Response response, int code, int subStatus) {
        assertThat(response.status()).as(response.statusLine()).isEqualTo(code);
        String shown = subStatus == 0 ? Integer.toString(code) : code + "." + subStatus;
        assertThat(response.bodyText())
                .contains("HTTP Error " + shown + " - ")
                .contains("request filtering module is configured to deny")
                .contains("<th>Module</th><td>RequestFilteringModule</td>")
                .contains("<th>Notification</th><td>BEGIN_REQUEST</td>")
                .doesNotContain(PUBLIC)
                .doesNotContain("hidden-");
    }

    private static void assertServed(RawHttp.Response response) {
        assertThat(response.status()).as(response.statusLine()).isEqualTo(200);
        assertThat(response.bodyText()).contains(PUBLIC);
    }

    @Test
    void hiddenSegmentsDenyAnySegmentWithoutCaseAs404_8() {
        assertDenied(get("/web.config"), 404, 8);
        assertDenied(get("/Web.Config"), 404, 8);
        assertDenied(get("/bin/lib.dll"), 404, 8);
        assertDenied(get("/BIN/"), 404, 8);
        assertDenied(get("/App_Data/db.mdf"), 404, 8);
        assertDenied(get("/app_data/nothing-here"), 404, 8);
        assertServed(get("/web.config.txt"));
        assertServed(get("/binary/a.txt"));
    }

    @Test
    void hiddenSegmentsMatchTheWindowsFormOfASegment() {
        assertDenied(get("/web.config."), 404, 8);
        assertDenied(get("/web.config%20"), 404, 8);
        assertDenied(get("/web.config::$DATA"), 404, 8);
        assertDenied(get("/bin./lib.dll"), 404, 8);
    }

    @Test
    void hiddenSegmentRemovedInALocationIsServedThere() {
        assertServed(get("/open/bin/a.txt"));
        assertDenied(get("/strict/bin/a.txt"), 404, 8);
    }

    @Test
    void deniedFileExtensionIs404_7() {
        assertDenied(get("/source.cs"), 404, 7);
        assertDenied(get("/SOURCE.CS"), 404, 7);
        assertDenied(get("/source.cs."), 404, 7);
        assertDenied(get("/sub/any.config"), 404, 7);
        assertDenied(get("/db.mdf"), 404, 7);
    }

    @Test
    void fileExtensionsAllowUnlistedFalseServesOnlyListedExtensions() {
        assertServed(get("/strict/a.txt"));
        assertDenied(get("/strict/a.html"), 404, 7);
        assertDenied(get("/strict/a.HTML"), 404, 7);
        assertThat(get("/open/a.html").status()).isEqualTo(200);
        // "." allows extensionless URLs: past request filtering, StaticFileModule has no MIME type for it
        RawHttp.Response extensionless = get("/strict/plain");
        assertThat(extensionless.status()).isEqualTo(404);
        assertThat(extensionless.bodyText()).contains("HTTP Error 404.3 - ").doesNotContain(PUBLIC);
    }

    @Test
    void verbsDenyListedAndUnlistedVerbsAs404_6() {
        assertServed(get("/verbs/a.txt"));
        assertThat(send("HEAD", "/verbs/a.txt").status()).isEqualTo(200);
        assertDenied(send("DELETE", "/verbs/a.txt"), 404, 6);
        assertDenied(send("PUT", "/verbs/a.txt"), 404, 6);
        assertDenied(send("OPTIONS", "/verbs/a.txt"), 404, 6);
        assertThat(send("DELETE", "/open/a.txt").status()).isEqualTo(405);
    }

    @Test
    void denyUrlSequencesMatchRawAndDecodedUrlWithoutCaseAs404_5() {
        assertDenied(get("/seq/x/../a.txt"), 404, 5);
        assertDenied(get("/seq/SECRET.txt"), 404, 5);
        assertDenied(get("/seq/%73ecret.txt"), 404, 5);
        assertServed(get("/seq/a.txt"));
        assertServed(get("/seq/secret-ok.txt"));
        assertServed(get("/open/x/../a.txt"));
    }

    @Test
    void denyQueryStringSequencesAre404_18AndScanTheDecodedQuery() {
        assertDenied(get("/qs/a.txt?q=SeLeCt+1"), 404, 18);
        assertDenied(get("/qs/a.txt?q=%73elect"), 404, 18);
        assertServed(get("/qs/a.txt?q=1"));
        assertServed(get("/qs/a.txt?q=select"));
    }

    @Test
    void unescapeQueryStringFalseScansOnlyTheRawQuery() {
        assertDenied(get("/qsraw/a.txt?q=select"), 404, 18);
        assertServed(get("/qsraw/a.txt?q=%73elect"));
    }

    @Test
    void doubleEscapingAndPlusAre404_11UnlessAllowed() {
        assertDenied(get("/a%252etxt"), 404, 11);
        assertDenied(get("/open/a+b.txt"), 404, 11);
        assertDenied(get("/open/a%2Bb.txt"), 404, 11);
        assertServed(get("/dbl/a+b.txt"));
        assertServed(get("/dbl/a%2bb.txt"));
    }

    @Test
    void highBitCharactersAre404_12WhenNotAllowed() {
        assertServed(get("/open/caf%C3%A9.txt"));
        assertDenied(get("/ascii/caf%C3%A9.txt"), 404, 12);
        // raw bytes over 0x7E never reach the module: the transport refuses them with 400 (RFC 9112 section 3.2)
        assertThat(RawHttp.exchange(
                                port,
                                "GET /ascii/caf\u00c3\u00a9.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                        + "Connection: close\r\n\r\n")
                        .status())
                .isEqualTo(400);
        assertServed(get("/ascii/a.txt"));
    }

    @Test
    void maxUrlIs404_14() {
        assertServed(get("/limits/a.txt"));
        assertThat(get("/limits/" + "x".repeat(32)).status()).isEqualTo(404); // 40 characters: allowed, no file
        assertThat(get("/limits/" + "x".repeat(32)).bodyText()).contains("HTTP Error 404 - ");
        assertDenied(get("/limits/" + "x".repeat(33)), 404, 14);
    }

    @Test
    void maxQueryStringIs404_15() {
        assertServed(get("/limits/a.txt?q=12345678"));
        assertDenied(get("/limits/a.txt?q=123456789"), 404, 15);
    }

    @Test
    void defaultLimitsAreIisDefaults() {
        assertServed(get("/open/a.txt?q=" + "x".repeat(2046)));
        assertDenied(get("/open/a.txt?q=" + "x".repeat(2047)), 404, 15);
    }

    @Test
    void maxAllowedContentLengthIs404_13ByDefaultAnd413_1WithTheIis10Profile() {
        assertDenied(post("/body/a.txt", "12345678901"), 404, 13);
        assertThat(post("/body/a.txt", "1234567890").status()).isEqualTo(405);
        assertDenied(post("/body10/a.txt", "12345678901"), 413, 1);
        assertThat(post("/body10/a.txt", "1234567890").status()).isEqualTo(405);
    }

    /**
     * The request entity is streamed: BEGIN_REQUEST cannot know a chunked body's length, so a chunked
     * body over the limit is cut off when it is read (READ_ENTITY; weir-it's RequestEntityIT). A
     * handler that never reads it (the static file handler answers 405 to POST) is not denied, and
     * the unread chunked rest is not drained: the connection closes after the response.
     */
    @Test
    void chunkedBodyIsCheckedWhenReadNotInBeginRequest() {
        try (RawHttp http = RawHttp.connect(port)) {
            http.send("POST /body/a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "c\r\n123456789012\r\n");
            RawHttp.Response response = http.readResponse();
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("Connection")).contains("close");
            assertThat(http.awaitClose()).isTrue();
        }
    }

    @Test
    void headerLimitsAre404_10ByDefaultAnd431WithTheIis10Profile() {
        assertServed(get("/headers/a.txt", "X-Big: 12345678"));
        assertDenied(get("/headers/a.txt", "X-Big: 123456789"), 404, 10);
        assertDenied(get("/headers/a.txt", "x-big: 123456789"), 404, 10);
        assertServed(get("/headers10/a.txt", "X-Big: 12345678"));
        assertDenied(get("/headers10/a.txt", "X-Big: 123456789"), 431, 0);
    }

    @Test
    void filteringRuleScanUrlIs404_19() {
        assertDenied(get("/rules/EVIL.txt"), 404, 19);
        assertServed(get("/rules/a.txt?x=evil"));
    }

    @Test
    void filteringRuleScanQueryStringScansRawAndDecoded() {
        assertDenied(get("/rules/a.txt?q=drop%20table"), 404, 19);
        assertDenied(get("/rules/a.txt?q=DROP%20TABLE"), 404, 19);
        assertServed(get("/rules/a.txt?q=drop"));
    }

    @Test
    void filteringRuleScanHeadersScansTheNamedHeaders() {
        assertDenied(get("/rules/a.txt", "User-Agent: SQLMap/1.0"), 404, 19);
        assertServed(get("/rules/a.txt", "X-Other: sqlmap"));
    }

    @Test
    void filteringRuleAppliesToLimitsTheRuleToExtensions() {
        assertDenied(get("/rules/a.html?x=onlyhtml"), 404, 19);
        assertServed(get("/rules/a.txt?x=onlyhtml"));
    }

    @Test
    void filteringRuleScanAllRawScansTargetAndEveryHeader() {
        assertDenied(get("/rules/a.txt", "X-Anything: RawNeedle"), 404, 19);
        assertDenied(get("/rules/a.txt?rawneedle"), 404, 19);
        assertServed(get("/open/a.txt", "X-Anything: rawneedle"));
    }
}
