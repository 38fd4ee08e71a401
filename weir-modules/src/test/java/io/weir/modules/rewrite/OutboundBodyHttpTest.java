package io.weir.modules.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound rules on the response body over loopback: a rule matching the whole body (no
 * serverVariable, no filterByTags) replaces every match of its pattern, also in a static file of
 * several megabytes whose matches straddle the pieces it is read in; {@code occurrences} limits
 * how many matches a whole-body rule and a tag rule rewrite; whole-body and tag rules chain in
 * order; the temporary file holding a rewritten file response is gone once the request ends.
 */
class OutboundBodyHttpTest {

    @TempDir
    static Path root;

    private static WeirTestServer server;
    private static int port;
    private static String big;

    private static final String RULES = """
            <configuration>
              <system.webServer>
                <rewrite>
                  <outboundRules>
                    <preConditions>
                      <preCondition name="IsHTML">
                        <add input="{RESPONSE_CONTENT_TYPE}" pattern="^text/html" />
                      </preCondition>
                    </preConditions>
                    <rule name="Internal links" preCondition="IsHTML">
                      <match pattern="http://internal:8080/([a-z0-9/]+)" />
                      <action type="Rewrite" value="https://www.example.com/{R:1}" />
                    </rule>
                    <rule name="First notice only" preCondition="IsHTML">
                      <match pattern="NOTICE" ignoreCase="false" occurrences="1" />
                      <action type="Rewrite" value="Notice" />
                    </rule>
                    <rule name="Two images" preCondition="IsHTML">
                      <match filterByTags="Img" pattern="^/old/(.*)" occurrences="2" />
                      <action type="Rewrite" value="/new/{R:1}" />
                    </rule>
                    <rule name="After the tags" preCondition="IsHTML">
                      <match pattern="/new/([a-z]+)\\.png" />
                      <conditions><add input="{R:1}" pattern="^b$" /></conditions>
                      <action type="Rewrite" value="/b-moved.png" />
                    </rule>
                  </outboundRules>
                </rewrite>
              </system.webServer>
            </configuration>
            """;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(root.resolve("web.config"), RULES);
        Files.writeString(
                root.resolve("page.html"),
                "<html><body>NOTICE: see http://internal:8080/docs/a and"
                        + " http://internal:8080/b. NOTICE again.<img src=\"/old/a.png\"><img src=\"/old/b.png\">"
                        + "<img src=\"/old/c.png\"></body></html>");
        Files.writeString(root.resolve("page.txt"), "http://internal:8080/docs/a NOTICE");
        // about 4 MiB: the link at every offset modulo 64 KiB comes round, so many straddle a piece boundary
        StringBuilder b = new StringBuilder("<html><body>\n");
        for (int i = 0; b.length() < 4 * 1024 * 1024; i++) {
            b.append("line ")
                    .append(i)
                    .append(" links to http://internal:8080/page/")
                    .append(i)
                    .append(" ok")
                    .append("x".repeat(i % 97))
                    .append('\n');
        }
        big = b.append("</body></html>\n").toString();
        Files.writeString(root.resolve("big.html"), big);
        server = WeirTestServer.serving(root);
        port = server.uri("/").getPort();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RawHttp.Response get(String target) {
        return RawHttp.exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    }

    @Test
    void wholeBodyRulesReplaceEveryMatchAndOccurrencesLimitsThem() {
        RawHttp.Response r = get("/page.html");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText())
                .isEqualTo("<html><body>Notice: see https://www.example.com/docs/a and"
                        + " https://www.example.com/b. NOTICE again.<img src=\"/new/a.png\"><img src=\"/b-moved.png\">"
                        + "<img src=\"/old/c.png\"></body></html>");
        assertThat(r.header("Content-Length")).hasValue(Integer.toString(r.body().length));
        // the precondition: not HTML, not rewritten
        assertThat(get("/page.txt").bodyText()).isEqualTo("http://internal:8080/docs/a NOTICE");
    }

    @Test
    void aLargeStaticFileIsRewrittenPieceByPieceWithMatchesAcrossPieces() throws Exception {
        RawHttp.Response r = get("/big.html");
        assertThat(r.status()).isEqualTo(200);
        String expected = big.replaceAll("http://internal:8080/([a-z0-9/]+)", "https://www.example.com/$1");
        String body = r.bodyText();
        assertThat(body.length()).isEqualTo(expected.length());
        assertThat(body).isEqualTo(expected);
        // the rewritten copy was a temporary file, removed when the request ended
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        for (int i = 0; i < 50; i++) {
            try (var files = Files.list(temp)) {
                if (files.noneMatch(p -> p.getFileName().toString().startsWith("weir-rewrite-"))) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        try (var files = Files.list(temp)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("weir-rewrite-")))
                    .as("temporary files left")
                    .isEmpty();
        }
    }

    @Test
    void piecesCutAnywhereGiveTheSameResultAsTheWholeText() {
        String text = "aa http://internal:8080/x/y bb http://internal:8080/z cc";
        String whole = run(text, text.length());
        assertThat(whole).isEqualTo("aa https://www.example.com/x/y bb https://www.example.com/z cc");
        for (int cut = 1; cut < text.length(); cut++) {
            assertThat(run(text, cut)).as("cut at %d", cut).isEqualTo(whole);
        }
    }

    /** Filters the text in two pieces, cut at {@code cut}, through a filter with the first rule's pattern. */
    private static String run(String text, int cut) {
        BodyPatternFilter f = new BodyPatternFilter(
                Pattern.compile("http://internal:8080/([a-z0-9/]+)"), c -> "https://www.example.com/" + c[1], 0);
        String first = f.filter(text.substring(0, cut), false);
        return first + f.filter(text.substring(cut), true);
    }
}
