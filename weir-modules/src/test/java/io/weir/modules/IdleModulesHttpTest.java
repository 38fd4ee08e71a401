package io.weir.modules;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.core.WeirEngine;
import io.weir.core.internal.pipeline.PipelinePlan;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Built-in modules that declare an idle configuration are left out of a URL's compiled plan there,
 * and the responses are the same as with every enabled module called: two servers with the same
 * configuration and files, one compiling plans with idle modules left out (the default), one with
 * {@value PipelinePlan#LEAVE_OUT_IDLE}{@code =false}; each request goes to both and the raw
 * responses (Date and port aside) must be equal, while the first server's plan for the URL must
 * leave the module out and the second's must not.
 */
class IdleModulesHttpTest {

    private static final String TEXT = "idle modules\n";

    @TempDir
    static Path root;

    private static LoopbackSite pruned;
    private static LoopbackSite full;

    @BeforeAll
    static void start() throws Exception {
        for (String folder :
                new String[] {"open", "xff", "ipdeny", "private", "basic", "redirectoff", "outbound", "absolute", "rw"
                }) {
            write(root, folder + "/a.txt", TEXT);
        }
        String[] locations = {
            "xff",
            "<security><ipSecurity enableProxyMode=\"true\" /></security>",
            "ipdeny",
            "<security><ipSecurity><add ipAddress=\"127.0.0.1\" allowed=\"false\" /></ipSecurity></security>",
            "private",
            "<security><authentication><anonymousAuthentication enabled=\"false\" /></authentication></security>",
            "basic",
            "<security><authentication><anonymousAuthentication enabled=\"false\" />"
                    + "<basicAuthentication enabled=\"true\" realm=\"weir\" weirAllowPlainHttp=\"true\" /></authentication></security>",
            "redirectoff",
            "<httpRedirect enabled=\"false\" destination=\"http://example.com/elsewhere\" />",
            "outbound",
            "<rewrite><outboundRules><rule name=\"tag\"><match serverVariable=\"RESPONSE_X_Tag\" pattern=\"^$\" />"
                    + "<action type=\"Rewrite\" value=\"tagged\" /></rule></outboundRules></rewrite>",
            "absolute",
            "<rewrite><rules><rule name=\"away\"><match url=\"^(.*)$\" />"
                    + "<action type=\"Rewrite\" url=\"http://127.0.0.1:9/{R:1}\" /></rule></rules></rewrite>",
            // IpRestrictionModule moved after RewriteModule: it runs in BEGIN_REQUEST on the rewritten
            // URL, whose configuration denies the client, although it is idle for /rw itself.
            "rw",
            "<modules><remove name=\"IpRestrictionModule\" /><add name=\"IpRestrictionModule\" /></modules>"
                    + "<rewrite><rules><rule name=\"to-ipdeny\"><match url=\"^(.*)$\" />"
                    + "<action type=\"Rewrite\" url=\"/ipdeny/{R:1}\" /></rule></rules></rewrite>",
        };
        pruned = LoopbackSite.serving(root, locations);
        String before = System.getProperty(PipelinePlan.LEAVE_OUT_IDLE);
        System.setProperty(PipelinePlan.LEAVE_OUT_IDLE, "false");
        try {
            full = LoopbackSite.serving(root, locations);
        } finally {
            if (before == null) {
                System.clearProperty(PipelinePlan.LEAVE_OUT_IDLE);
            } else {
                System.setProperty(PipelinePlan.LEAVE_OUT_IDLE, before);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (pruned != null) {
            pruned.close();
        }
        if (full != null) {
            full.close();
        }
    }

    @ParameterizedTest(name = "{0} is left out of {1} and {2} answers the same")
    @CsvSource(
            delimiter = '|',
            value = {
                "IpRestrictionModule        | /open/a.txt        | 200 | ",
                "IpRestrictionModule        | /xff/a.txt         | 200 | X-Forwarded-For: not-an-address",
                "DynamicIpRestrictionModule | /open/a.txt        | 200 | ",
                "RewriteModule              | /open/a.txt        | 200 | ",
                "RewriteModule              | /open/missing.txt  | 404 | ",
                "ApplicationRequestRouting  | /open/a.txt        | 200 | ",
                "ApplicationRequestRouting  | /absolute/a.txt    | 500 | ",
                "BasicAuthenticationModule  | /open/a.txt        | 200 | ",
                "BasicAuthenticationModule  | /private/a.txt     | 401 | ",
                "HttpRedirectionModule      | /redirectoff/a.txt | 200 | ",
            })
    void leftOutModuleGivesTheSameResponse(String module, String url, int status, String header) throws Exception {
        assertThat(leftOut(pruned, url)).containsKey(module);
        assertThat(leftOut(full, url)).isEmpty();
        String head = "GET " + url + " HTTP/1.1" + (header == null ? "" : "\r\n" + header);
        String a = normalized(pruned, head);
        String b = normalized(full, head);
        assertThat(a).startsWith("HTTP/1.1 " + status + " ");
        assertThat(a).isEqualTo(b);
    }

    @ParameterizedTest(name = "{0} runs for {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "IpRestrictionModule       | /ipdeny/a.txt   | 403",
                "BasicAuthenticationModule | /basic/a.txt    | 401",
                "RewriteModule             | /outbound/a.txt | 200",
                "RewriteModule             | /absolute/a.txt | 500",
            })
    void activeModuleStaysAndAnswersTheSame(String module, String url, int status) throws Exception {
        assertThat(leftOut(pruned, url)).doesNotContainKey(module);
        String head = "GET " + url + " HTTP/1.1";
        String a = normalized(pruned, head);
        assertThat(a).startsWith("HTTP/1.1 " + status + " ");
        assertThat(a).isEqualTo(normalized(full, head));
    }

    @Test
    void outboundRuleAndBasicChallengeStillApply() throws Exception {
        assertThat(normalized(pruned, "GET /outbound/a.txt HTTP/1.1")).containsIgnoringCase("\r\nX-Tag: tagged\r\n");
        assertThat(normalized(pruned, "GET /basic/a.txt HTTP/1.1")).containsIgnoringCase("\r\nWWW-Authenticate: Basic");
    }

    @Test
    void moduleIdleForTheOldUrlRunsAfterAnEarlierModuleRewroteIt() throws Exception {
        // Left out of /rw's plan, IpRestrictionModule must still run in BEGIN_REQUEST after the
        // rewrite to /ipdeny, as it does when every module is called.
        assertThat(leftOut(pruned, "/rw/a.txt")).containsKey("IpRestrictionModule");
        String a = normalized(pruned, "GET /rw/a.txt HTTP/1.1");
        assertThat(a).startsWith("HTTP/1.1 403 ");
        assertThat(a).isEqualTo(normalized(full, "GET /rw/a.txt HTTP/1.1"));
    }

    private static Map<String, ?> leftOut(LoopbackSite site, String url) {
        WeirEngine engine = site.server().server().engine();
        return engine.plan(engine.config().effectiveConfig("Default Web Site", url))
                .leftOut();
    }

    private static String normalized(LoopbackSite site, String head) throws Exception {
        String port = String.valueOf(site.uri("/").getPort());
        String response = site.raw(head);
        return Pattern.compile("(?im)^Date: .*\r\n")
                .matcher(response)
                .replaceAll("")
                .replace(":" + port, ":PORT");
    }
}
