package io.weir.modules.rewrite;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RewriteModule over loopback: a site whose web.config files hold the kind of rules real sites
 * use (SPA fallback, front controller, canonical host, HTTPS, lower-casing, a legacy URL map, a
 * header-fixing outbound rule), one rule per element and attribute, rules in sub-folders, and
 * global rules in applicationHost.config. An outbound rule copies request variables into the
 * {@code X-Seen} response header so that rewrites that serve a file can be checked from outside.
 */
class RewriteModuleHttpTest {

    @TempDir
    static Path root;

    private static WeirTestServer server;
    private static int port;

    private static final String ROOT_RULES = """
            <configuration>
              <system.webServer>
                <rewrite>
                  <rewriteMaps>
                    <rewriteMap name="LegacyUrls" defaultValue="">
                      <add key="old-about.aspx" value="/about.html" />
                      <add key="Products/List.aspx" value="/product/1" />
                    </rewriteMap>
                  </rewriteMaps>
                  <rules>
                    <rule name="Canonical host" stopProcessing="true">
                      <match url="(.*)" />
                      <conditions>
                        <add input="{HTTP_HOST}" pattern="^example\\.com$" />
                      </conditions>
                      <action type="Redirect" url="http://www.example.com/{R:1}" redirectType="Permanent" />
                    </rule>
                    <rule name="HTTPS" stopProcessing="true">
                      <match url="(.*)" />
                      <conditions logicalGrouping="MatchAll">
                        <add input="{HTTPS}" pattern="^OFF$" />
                        <add input="{HTTP_HOST}" pattern="^secure\\.example$" />
                      </conditions>
                      <action type="Redirect" url="https://{HTTP_HOST}/{R:1}" redirectType="Found" appendQueryString="false" />
                    </rule>
                    <rule name="Lower case" stopProcessing="true">
                      <match url="^lower/.*[A-Z]" ignoreCase="false" />
                      <action type="Redirect" url="{ToLower:{URL}}" redirectType="Permanent" />
                    </rule>
                    <rule name="Legacy map" stopProcessing="true">
                      <match url=".*" />
                      <conditions>
                        <add input="{LegacyUrls:{R:0}}" pattern="(.+)" />
                      </conditions>
                      <action type="Redirect" url="{C:1}" redirectType="SeeOther" appendQueryString="false" />
                    </rule>
                    <rule name="Product" stopProcessing="true">
                      <match url="^product/(\\d+)/?$" />
                      <serverVariables>
                        <set name="HTTP_X_FROM_RULE" value="product {R:1}" />
                      </serverVariables>
                      <action type="Rewrite" url="product.html?id={R:1}" />
                    </rule>
                    <rule name="Temporary" stopProcessing="true">
                      <match url="^temp$" />
                      <action type="Redirect" url="/index.html" redirectType="Temporary" />
                    </rule>
                    <rule name="Blocked" stopProcessing="true">
                      <match url="^blocked/" />
                      <action type="CustomResponse" statusCode="403" subStatusCode="7" statusReason="Blocked Here" statusDescription="no robots" />
                    </rule>
                    <rule name="Abort" stopProcessing="true">
                      <match url="^abort$" />
                      <action type="AbortRequest" />
                    </rule>
                    <rule name="Stop here" stopProcessing="true">
                      <match url="^stopped/" />
                      <action type="None" />
                    </rule>
                    <rule name="Disabled" enabled="false" stopProcessing="true">
                      <match url="^disabled$" />
                      <action type="CustomResponse" statusCode="410" />
                    </rule>
                    <rule name="Wildcard" patternSyntax="Wildcard" stopProcessing="true">
                      <match url="wild/*/*.htm" />
                      <action type="Rewrite" url="/pages/{R:1}-{R:2}.html" />
                    </rule>
                    <rule name="Exact" patternSyntax="ExactMatch" stopProcessing="true">
                      <match url="exact" />
                      <action type="Rewrite" url="/exact.html" appendQueryString="false" />
                    </rule>
                    <rule name="Any" stopProcessing="true">
                      <match url="^any$" />
                      <conditions logicalGrouping="MatchAny">
                        <add input="{QUERY_STRING}" pattern="^a=1$" />
                        <add input="{QUERY_STRING}" pattern="^b=(\\d)$" />
                      </conditions>
                      <action type="CustomResponse" statusCode="418" statusReason="Any {C:1}" />
                    </rule>
                    <rule name="Track all" stopProcessing="true">
                      <match url="^track$" />
                      <conditions trackAllCaptures="true">
                        <add input="{QUERY_STRING}" pattern="x=(\\w+)" />
                        <add input="{HTTP_USER_AGENT}" pattern="^(\\w+)/" />
                      </conditions>
                      <action type="Redirect" url="/t/{C:1}/{C:2}" appendQueryString="false" />
                    </rule>
                    <rule name="Negated" stopProcessing="true">
                      <match url="^neg/keep" negate="true" />
                      <conditions>
                        <add input="{URL}" pattern="^/neg/" />
                      </conditions>
                      <action type="CustomResponse" statusCode="404" subStatusCode="99" />
                    </rule>
                    <rule name="Into folder with its own configuration" stopProcessing="true">
                      <match url="^tocfg/(.*)$" />
                      <action type="Rewrite" url="/cfg/{R:1}" />
                    </rule>
                    <rule name="Into folder without handlers" stopProcessing="true">
                      <match url="^tonohandler/(.*)$" />
                      <action type="Rewrite" url="/nohandler/{R:1}" />
                    </rule>
                    <rule name="Not allowed variable" stopProcessing="true">
                      <match url="^setbad$" />
                      <serverVariables>
                        <set name="HTTP_X_NOT_LISTED" value="1" />
                      </serverVariables>
                      <action type="None" />
                    </rule>
                    <rule name="Missing map" stopProcessing="true">
                      <match url="^nomap$" />
                      <action type="Redirect" url="{NoSuchMap:{R:0}}" />
                    </rule>
                    <rule name="Functions" stopProcessing="true">
                      <match url="^fn/(.*)$" />
                      <action type="Redirect" url="/f?e={UrlEncode:{R:1}}&amp;d={UrlDecode:a%2Fb}&amp;s={EscapeDataString:{R:1}}" appendQueryString="false" />
                    </rule>
                    <rule name="Proxied" stopProcessing="true">
                      <match url="^proxied/(.*)$" />
                      <action type="Rewrite" url="http://backend.example/{R:1}" />
                    </rule>
                    <rule name="Front controller" stopProcessing="true">
                      <match url="^app/(.*)$" />
                      <conditions>
                        <add input="{REQUEST_FILENAME}" matchType="IsFile" negate="true" />
                        <add input="{REQUEST_FILENAME}" matchType="IsDirectory" negate="true" />
                      </conditions>
                      <action type="Rewrite" url="app/index.html?route={R:1}" />
                    </rule>
                    <rule name="SPA fallback" stopProcessing="true">
                      <match url=".*" />
                      <conditions>
                        <add input="{REQUEST_FILENAME}" matchType="IsFile" negate="true" />
                        <add input="{REQUEST_FILENAME}" matchType="IsDirectory" negate="true" />
                        <add input="{URL}" pattern="^/(sub|cleared|removed|stopped|bad)/" negate="true" />
                      </conditions>
                      <action type="Rewrite" url="/index.html" />
                    </rule>
                  </rules>
                  <outboundRules>
                    <preConditions>
                      <preCondition name="IsHTML">
                        <add input="{RESPONSE_CONTENT_TYPE}" pattern="^text/html" />
                      </preCondition>
                    </preConditions>
                    <customTags>
                      <tags name="DataLinks">
                        <tag name="div" attribute="data-href" />
                      </tags>
                    </customTags>
                    <rule name="Fix links" preCondition="IsHTML">
                      <match filterByTags="A, Img, CustomTags" customTags="DataLinks" pattern="^http://internal:8080/(.*)$" />
                      <action type="Rewrite" value="/{R:1}" />
                    </rule>
                    <rule name="Seen">
                      <match serverVariable="RESPONSE_X_Seen" pattern=".*" />
                      <action type="Rewrite" value="{HTTP_X_ORIGINAL_URL}|{QUERY_STRING}|{HTTP_X_FROM_RULE}" />
                    </rule>
                    <rule name="Public links">
                      <match serverVariable="RESPONSE_X_Link" pattern="^http://internal:8080/(.*)" />
                      <action type="Rewrite" value="https://www.example.com/{R:1}" />
                    </rule>
                  </outboundRules>
                </rewrite>
                <httpProtocol>
                  <customHeaders>
                    <add name="X-Link" value="http://internal:8080/docs/a" />
                  </customHeaders>
                </httpProtocol>
              </system.webServer>
            </configuration>
            """;

    private static final String LINKS = "<html><body><a class=\"x\" href=\"http://internal:8080/docs/a\">a</a>"
            + " <img src='http://internal:8080/i.png' alt=\"x\"> <div data-href=http://internal:8080/d>d</div>"
            + " <!-- <a href=\"http://internal:8080/c\"> --> <a href=\"http://other/x\">o</a>"
            + "<link href=\"http://internal:8080/s.css\"></body></html>";

    private static final String GLOBAL_REWRITE = """
            <rewrite>
              <allowedServerVariables>
                <add name="HTTP_X_FROM_RULE" />
              </allowedServerVariables>
              <globalRules>
                <rule name="Global into sub">
                  <match url="^gr/(.*)$" />
                  <action type="Rewrite" url="/sub/{R:1}" />
                </rule>
                <rule name="Global refusal" stopProcessing="true">
                  <match url="^global-teapot$" />
                  <action type="CustomResponse" statusCode="418" statusReason="Global" />
                </rule>
              </globalRules>
            </rewrite>
            """;

    @BeforeAll
    static void start() throws Exception {
        write(root, "index.html", "spa shell");
        write(root, "product.html", "product page");
        write(root, "about.html", "about");
        write(root, "exact.html", "exact page");
        write(root, "pages/a-b.html", "wild a b");
        write(root, "assets/app.js", "js");
        write(root, "app/index.html", "front controller");
        write(root, "app/static.txt", "app static");
        write(root, "web.config", ROOT_RULES);
        write(root, "links.html", LINKS);
        write(root, "links.txt", LINKS);
        write(root, "sub/target.html", "sub target");
        write(root, "sub/web.config", """
                <configuration><system.webServer><rewrite><rules>
                  <rule name="Relative" stopProcessing="true">
                    <match url="^page$" />
                    <action type="Rewrite" url="target.html" />
                  </rule>
                </rules></rewrite></system.webServer></configuration>
                """);
        write(root, "cleared/web.config", """
                <configuration><system.webServer><rewrite><rules><clear />
                </rules></rewrite></system.webServer></configuration>
                """);
        write(root, "removed/web.config", """
                <configuration><system.webServer><rewrite><rules>
                  <remove name="Blocked" />
                </rules></rewrite></system.webServer></configuration>
                """);
        write(root, "cfg/a.txt", "cfg a");
        write(root, "cfg/web.config", """
                <configuration><system.webServer><httpProtocol><customHeaders>
                  <add name="X-Folder" value="cfg" />
                </customHeaders></httpProtocol></system.webServer></configuration>
                """);
        write(root, "nohandler/a.txt", "never served");
        write(root, "nohandler/web.config", """
                <configuration><system.webServer><handlers><clear /></handlers></system.webServer></configuration>
                """);
        write(root, "bad/web.config", """
                <configuration><system.webServer><rewrite><rules>
                  <rule name="Balancing">
                    <match url="(?&lt;a-b&gt;x)" />
                    <action type="Rewrite" url="/index.html" />
                  </rule>
                </rules></rewrite></system.webServer></configuration>
                """);
        String embedded;
        try (InputStream in =
                RewriteModuleHttpTest.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String marker = "<httpRedirect enabled=\"false\" />";
        assertThat(embedded).contains(marker);
        String xml = embedded.replace(marker, marker + "\n" + GLOBAL_REWRITE)
                .replace("<add name=\"X-Link\"", "<add name=\"X-Link\"");
        server = WeirTestServer.start(
                xml, Map.of("WEIR_SITE_ROOT", root.toAbsolutePath().normalize().toString()));
        port = server.uri("/").getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static RawHttp.Response get(String target) {
        return get(target, "127.0.0.1");
    }

    private static RawHttp.Response get(String target, String host, String... headers) {
        StringBuilder extra = new StringBuilder();
        for (String h : headers) {
            extra.append(h).append("\r\n");
        }
        return RawHttp.exchange(
                port, "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "Connection: close\r\n\r\n");
    }

    private static void assertBody(RawHttp.Response r, String body) {
        assertThat(r.status()).as(r.statusLine()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo(body);
    }

    @Test
    void spaFallbackServesIndexForUnknownPathsButNotForFiles() {
        assertBody(get("/dashboard/settings"), "spa shell");
        assertBody(get("/assets/app.js"), "js");
        assertThat(get("/dashboard").header("X-Seen")).hasValue("/dashboard||");
    }

    @Test
    void frontControllerRewritesWhatIsNotAFileOrDirectoryAndAppendsTheQuery() {
        RawHttp.Response r = get("/app/users/7?sort=name");
        assertBody(r, "front controller");
        assertThat(r.header("X-Seen")).hasValue("/app/users/7?sort=name|route=users/7&sort=name|");
        assertBody(get("/app/static.txt"), "app static");
    }

    @Test
    void canonicalHostAndHttpsRedirects() {
        RawHttp.Response canonical = get("/a/b?x=1", "example.com");
        assertThat(canonical.status()).isEqualTo(301);
        assertThat(canonical.header("Location")).hasValue("http://www.example.com/a/b?x=1");
        RawHttp.Response https = get("/pay?x=1", "secure.example");
        assertThat(https.status()).isEqualTo(302);
        assertThat(https.header("Location")).hasValue("https://secure.example/pay");
    }

    @Test
    void lowerCasingRedirectsWithToLower() {
        RawHttp.Response r = get("/lower/Docs/Page.HTML");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).hasValue("http://127.0.0.1/lower/docs/page.html");
    }

    @Test
    void aRewriteMapRedirectsLegacyUrlsIgnoringCase() {
        RawHttp.Response r = get("/OLD-ABOUT.aspx");
        assertThat(r.status()).as(r.statusLine()).isEqualTo(303);
        assertThat(r.header("Location")).hasValue("http://127.0.0.1/about.html");
        RawHttp.Response list = get("/products/list.aspx");
        assertThat(list.status()).isEqualTo(303);
        assertThat(list.header("Location")).hasValue("http://127.0.0.1/product/1");
    }

    @Test
    void rewriteKeepsTheOriginalUrlSetsVariablesAndHeadersAndJoinsQueries() {
        RawHttp.Response r = get("/product/42?x=1");
        assertBody(r, "product page");
        assertThat(r.header("X-Seen")).hasValue("/product/42?x=1|id=42&x=1|product 42");
    }

    @Test
    void redirectTypesAndActions() {
        RawHttp.Response temp = get("/temp");
        assertThat(temp.status()).isEqualTo(307);
        RawHttp.Response blocked = get("/blocked/x");
        assertThat(blocked.statusLine()).isEqualTo("HTTP/1.1 403 Blocked Here");
        assertThat(blocked.bodyText()).contains("403.7");
        try (RawHttp c = RawHttp.connect(port)) {
            c.send("GET /abort HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            byte[] answer;
            try {
                answer = c.readUntilClose();
            } catch (UncheckedIOException reset) {
                answer = new byte[0]; // closed with a reset: no response either
            }
            assertThat(answer).isEmpty();
        }
    }

    @Test
    void stopProcessingNoneAndEnabled() {
        assertThat(get("/stopped/x").status()).isEqualTo(404);
        assertBody(get("/disabled"), "spa shell");
    }

    @Test
    void wildcardAndExactMatchSyntaxes() {
        assertBody(get("/wild/a/b.htm"), "wild a b");
        RawHttp.Response exact = get("/exact?q=1");
        assertBody(exact, "exact page");
        assertThat(exact.header("X-Seen")).hasValue("/exact?q=1||");
        assertBody(get("/exactly"), "spa shell");
    }

    @Test
    void matchAnyTrackAllCapturesAndNegate() {
        assertThat(get("/any?a=1").statusLine()).isEqualTo("HTTP/1.1 418 Any ");
        assertThat(get("/any?b=5").statusLine()).isEqualTo("HTTP/1.1 418 Any 5");
        assertBody(get("/any?c=1"), "spa shell");
        RawHttp.Response track = get("/track?x=abc", "127.0.0.1", "User-Agent: Mozilla/5.0");
        assertThat(track.header("Location")).hasValue("http://127.0.0.1/t/abc/Mozilla");
        assertThat(get("/neg/other").bodyText()).contains("404.99");
        assertBody(get("/neg/keep"), "spa shell");
    }

    @Test
    void aRewriteIsMappedAgainWithTheNewUrlsConfigurationAndHandlers() {
        RawHttp.Response cfg = get("/tocfg/a.txt");
        assertBody(cfg, "cfg a");
        assertThat(cfg.header("X-Folder")).hasValue("cfg");
        RawHttp.Response none = get("/tonohandler/a.txt");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.bodyText()).contains("404.4").doesNotContain("never served");
    }

    @Test
    void rulesOfAFolderMatchTheUrlRelativeToItAndClearOrRemoveInheritedRules() {
        assertBody(get("/sub/page"), "sub target");
        assertThat(get("/cleared/blocked/x").status()).isEqualTo(404);
        assertThat(get("/removed/blocked/x").status()).isEqualTo(404);
        assertThat(get("/blocked/x").status()).isEqualTo(403);
    }

    @Test
    void globalRulesRunFirstOnTheFullPath() {
        assertBody(get("/gr/page"), "sub target");
        assertThat(get("/global-teapot").statusLine()).isEqualTo("HTTP/1.1 418 Global");
    }

    @Test
    void aVariableNotAllowedOrAMissingMapFailsWith50050() {
        RawHttp.Response bad = get("/setbad");
        assertThat(bad.status()).isEqualTo(500);
        assertThat(bad.bodyText()).contains("500.50").contains("HTTP_X_NOT_LISTED");
        RawHttp.Response nomap = get("/nomap");
        assertThat(nomap.status()).isEqualTo(500);
        assertThat(nomap.bodyText()).contains("500.50").contains("NoSuchMap");
    }

    @Test
    void aRewriteToAnAbsoluteUrlWithoutTheProxyFailsWith50050() {
        RawHttp.Response r = get("/proxied/a?b=1");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText())
                .contains("500.50")
                .contains("http://backend.example/a?b=1")
                .contains("reverse proxy");
    }

    @Test
    void functionsEncodeAndDecode() {
        RawHttp.Response r = get("/fn/a%20b&c");
        assertThat(r.header("Location")).hasValue("http://127.0.0.1/f?e=a+b%26c&d=a/b&s=a%20b%26c");
    }

    @Test
    void aPatternThatWouldMatchDifferentlyIsRefusedWithFileAndLine() {
        RawHttp.Response r = get("/bad/x");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText()).contains("500.19").contains("web.config").contains("balancing group");
    }

    @Test
    void outboundRulesRewriteResponseHeaders() {
        assertThat(get("/about.html").header("X-Link")).hasValue("https://www.example.com/docs/a");
    }

    @Test
    void anOutboundRuleFixesLinksInHtmlOnlyInTheTagsItNames() {
        RawHttp.Response html = get("/links.html");
        assertThat(html.status()).isEqualTo(200);
        assertThat(html.bodyText())
                .isEqualTo("<html><body><a class=\"x\" href=\"/docs/a\">a</a>"
                        + " <img src='/i.png' alt=\"x\"> <div data-href=/d>d</div>"
                        + " <!-- <a href=\"http://internal:8080/c\"> --> <a href=\"http://other/x\">o</a>"
                        + "<link href=\"http://internal:8080/s.css\"></body></html>");
        assertThat(html.header("Content-Length")).hasValue(Integer.toString(html.body().length));
        assertThat(get("/links.txt").bodyText()).isEqualTo(LINKS);
    }
}
