package io.weir.modules.rewrite;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attributes RewriteModuleHttpTest does not reach, over loopback: {@code set@replace},
 * condition {@code ignoreCase}, {@code {C:0}}, a map's {@code defaultValue} and
 * {@code ignoreCase="false"}, the {@code ?} wildcard, {@code statusDescription}, the
 * {@code UNENCODED_URL} and {@code CACHE_URL} variables, rules in an applicationHost.config
 * {@code <location>}, a global rule's 500.51, and outbound {@code negate}, an empty value removing
 * a header, and a MatchAny precondition.
 */
class RewriteAttributesHttpTest {

    @TempDir
    static Path root;

    private static WeirTestServer server;
    private static int port;

    private static final String RULES = """
            <configuration><system.webServer>
              <rewrite>
                <rewriteMaps>
                  <rewriteMap name="Exact" ignoreCase="false" defaultValue="/fallback.txt">
                    <add key="Key" value="/page.txt" />
                  </rewriteMap>
                </rewriteMaps>
                <rules>
                  <rule name="First value">
                    <match url="^vars$" />
                    <serverVariables><set name="HTTP_X_V" value="first" /></serverVariables>
                    <action type="None" />
                  </rule>
                  <rule name="Kept value" stopProcessing="true">
                    <match url="^vars$" />
                    <serverVariables>
                      <set name="HTTP_X_V" value="second" replace="false" />
                      <set name="HTTP_X_W" value="{UNENCODED_URL} {CACHE_URL}" />
                    </serverVariables>
                    <action type="Rewrite" url="/page.txt" />
                  </rule>
                  <rule name="Case sensitive condition" stopProcessing="true">
                    <match url="^case$" />
                    <conditions><add input="{HTTP_X_CASE}" pattern="^abc$" ignoreCase="false" /></conditions>
                    <action type="CustomResponse" statusCode="418" statusReason="{C:0}" />
                  </rule>
                  <rule name="Map" stopProcessing="true">
                    <match url="^map/(.*)$" />
                    <action type="Rewrite" url="{Exact:{R:1}}" />
                  </rule>
                  <rule name="Question mark" patternSyntax="Wildcard" stopProcessing="true">
                    <match url="q/?.txt" />
                    <action type="CustomResponse" statusCode="418" statusReason="one [{R:1}]" />
                  </rule>
                  <rule name="Described" stopProcessing="true">
                    <match url="^gone$" />
                    <action type="CustomResponse" statusCode="410" statusDescription="This page has moved to the archive." />
                  </rule>
                </rules>
                <outboundRules>
                  <preConditions>
                    <preCondition name="TextOrJson" logicalGrouping="MatchAny">
                      <add input="{RESPONSE_CONTENT_TYPE}" pattern="^text/plain" />
                      <add input="{RESPONSE_CONTENT_TYPE}" pattern="json" />
                    </preCondition>
                  </preConditions>
                  <rule name="Echo" preCondition="TextOrJson">
                    <match serverVariable="RESPONSE_X_Echo" pattern=".*" />
                    <action type="Rewrite" value="{HTTP_X_V}|{HTTP_X_W}" />
                  </rule>
                  <rule name="Drop">
                    <match serverVariable="RESPONSE_X_Drop" pattern="." />
                    <action type="Rewrite" value="" />
                  </rule>
                  <rule name="Not internal">
                    <match serverVariable="RESPONSE_X_Keep" pattern="^internal" negate="true" />
                    <action type="Rewrite" value="external" />
                  </rule>
                </outboundRules>
              </rewrite>
              <httpProtocol><customHeaders>
                <add name="X-Drop" value="secret" />
                <add name="X-Keep" value="public" />
              </customHeaders></httpProtocol>
            </system.webServer></configuration>
            """;

    @BeforeAll
    static void start() throws Exception {
        write(root, "page.txt", "page");
        write(root, "fallback.txt", "fallback");
        write(root, "page.html", "<p>html</p>");
        write(root, "loc/target.txt", "located");
        write(root, "web.config", RULES);
        write(root, "badout/a.txt", "never");
        write(root, "badout/web.config", """
                <configuration><system.webServer><rewrite><outboundRules>
                  <rule name="Whole body" patternSyntax="Wildcard"><match pattern="secret*" /><action type="Rewrite" value="x" /></rule>
                </outboundRules></rewrite></system.webServer></configuration>
                """);
        String embedded;
        try (InputStream in =
                RewriteAttributesHttpTest.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String marker = "<httpRedirect enabled=\"false\" />";
        String global = marker + """
                <rewrite>
                <allowedServerVariables><add name="HTTP_X_V" /><add name="http_x_w" /></allowedServerVariables>
                <globalRules>
                  <rule name="Global missing map" stopProcessing="true">
                    <match url="^globalmap$" />
                    <action type="Rewrite" url="{Nowhere:{R:0}}" />
                  </rule>
                </globalRules></rewrite>""";
        String location = """
                  <location path="Default Web Site/loc">
                    <system.webServer><rewrite><rules>
                      <rule name="Located" stopProcessing="true">
                        <match url="^in$" />
                        <action type="Rewrite" url="target.txt" />
                      </rule>
                    </rules></rewrite></system.webServer>
                  </location>
                </configuration>""";
        int end = embedded.lastIndexOf("</configuration>");
        String xml = (embedded.substring(0, end) + location).replace(marker, global);
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

    private static RawHttp.Response get(String target, String... headers) {
        StringBuilder extra = new StringBuilder();
        for (String h : headers) {
            extra.append(h).append("\r\n");
        }
        return RawHttp.exchange(
                port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "Connection: close\r\n\r\n");
    }

    @Test
    void replaceFalseKeepsAnEarlierValueAndVariablesSeeTheRequestAsSent() {
        RawHttp.Response r = get("/vars?a=%41");
        assertThat(r.bodyText()).isEqualTo("page");
        assertThat(r.header("X-Echo")).hasValue("first|/vars?a=%41 http://127.0.0.1/vars?a=%41");
    }

    @Test
    void aConditionWithIgnoreCaseFalseComparesCaseAndC0IsTheMatchedText() {
        assertThat(get("/case", "X-Case: abc").statusLine()).isEqualTo("HTTP/1.1 418 abc");
        assertThat(get("/case", "X-Case: ABC").status()).isEqualTo(404);
    }

    @Test
    void aMapWithIgnoreCaseFalseAndItsDefaultValue() {
        assertThat(get("/map/Key").bodyText()).isEqualTo("page");
        assertThat(get("/map/key").bodyText()).isEqualTo("fallback");
    }

    @Test
    void aQuestionMarkWildcardMatchesOneCharacterAndIsNotCaptured() {
        assertThat(get("/q/a.txt").statusLine()).isEqualTo("HTTP/1.1 418 one []");
        assertThat(get("/q/ab.txt").status()).isEqualTo(404);
    }

    @Test
    void statusDescriptionIsShownOnTheErrorPage() {
        RawHttp.Response r = get("/gone");
        assertThat(r.status()).isEqualTo(410);
        assertThat(r.bodyText()).contains("This page has moved to the archive.");
    }

    @Test
    void rulesOfAnApplicationHostLocationMatchRelativeToIt() {
        assertThat(get("/loc/in").bodyText()).isEqualTo("located");
    }

    @Test
    void aGlobalRuleNamingAMissingMapFailsWith50051() {
        RawHttp.Response r = get("/globalmap");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText()).contains("500.51").contains("Nowhere");
    }

    @Test
    void outboundNegateEmptyValueAndAMatchAnyPrecondition() {
        RawHttp.Response text = get("/page.txt");
        assertThat(text.header("X-Drop")).isEmpty();
        assertThat(text.header("X-Keep")).hasValue("external");
        assertThat(text.header("X-Echo")).hasValue("|");
        assertThat(get("/page.html").header("X-Echo")).isEmpty();
    }

    @Test
    void aWildcardOutboundRuleOnTheWholeBodyIsRefusedForTheUrlsItGovernsOnly() {
        RawHttp.Response refused = get("/badout/a.txt");
        assertThat(refused.status()).isEqualTo(500);
        assertThat(refused.bodyText())
                .contains("500.19")
                .contains("Whole body")
                .contains("whole response body")
                .contains("ECMAScript")
                .doesNotContain("never");
        assertThat(get("/page.txt").bodyText()).isEqualTo("page");
    }
}
