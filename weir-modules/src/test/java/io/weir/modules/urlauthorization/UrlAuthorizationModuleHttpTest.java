package io.weir.modules.urlauthorization;

import static io.weir.modules.authentication.AuthTestSite.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.LoopbackSite;
import io.weir.modules.authentication.AuthTestSite;
import io.weir.testkit.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UrlAuthorizationModule over real loopback HTTP: IIS's evaluation order (Deny rules before Allow
 * rules, parent levels first), users, roles, verbs, {@code *} and {@code ?}, inheritance,
 * {@code <clear/>} and {@code <remove>} across {@code <location>} levels, bypassLoginPages, and the
 * 401.2 / 401.3 denials with the Basic challenge. Basic (with a real htpasswd file) and anonymous are
 * both enabled for the whole site.
 */
class UrlAuthorizationModuleHttpTest {

    private static final String USERS = """
            alice:$2y$05$FW48jPAe1J1TXJEyqaMvqeh.HKqCmAkQDxovKbegIsovLEk3CDqsu:admins,editors
            bob:$2y$05$/VfAA3m/jBdoQY6dDlG8KO9C/0xQt6lzLdPBEcVCxv0eLmZoilLEu:staff
            zo\u00eb:$2y$05$8JmVTtBxVDAjf0lxvzK30.P7MKRewEiSaA1erILqgDcqRWnWbYq3i
            """;
    private static final String ALICE = basic("alice", "correct horse");
    private static final String BOB = basic("bob", "b0b-secret");
    private static final String ZOE = basic("zo\u00eb", "p\u00e4ssw\u00f6rd");
    private static final String CHALLENGE = "Basic realm=\"Authz\", charset=\"UTF-8\"";
    private static final String TEXT = "content";

    @TempDir
    static Path temp;

    private static AuthTestSite site;

    @BeforeAll
    static void start() throws Exception {
        Path root = temp.resolve("www");
        Path config = temp.resolve("conf");
        Files.createDirectories(config);
        Files.writeString(config.resolve("users.htpasswd"), USERS, StandardCharsets.UTF_8);
        LoopbackSite.write(root, "a.txt", TEXT);
        for (String folder : new String[] {
            "members",
            "admins",
            "shop",
            "shop/inner",
            "order",
            "verbs",
            "nomatch",
            "anononly",
            "remove",
            "login",
            "loginstrict",
            "badrule"
        }) {
            LoopbackSite.write(root, folder + "/a.txt", TEXT);
            LoopbackSite.write(root, folder + "/login.txt", TEXT);
        }
        site = AuthTestSite.startWithGlobalModules(
                config,
                root,
                Map.of(),
                "<add name=\"LoginPageMarker\" type=\"" + LoginPageMarkerRegistration.class.getName() + "\" />",
                "",
                "<security><authentication><basicAuthentication enabled=\"true\" realm=\"Authz\" "
                        + "weirUserFile=\"users.htpasswd\" weirAllowPlainHttp=\"true\" /></authentication></security>",
                "members",
                rules("", "<add accessType=\"Deny\" users=\"?\" />"),
                "admins",
                rules("", "<clear /><add accessType=\"Allow\" roles=\"Admins\" />"),
                "shop",
                rules("", "<add accessType=\"Deny\" users=\"bob\" />"),
                "shop/inner",
                rules(
                        "",
                        "<add accessType=\"Allow\" roles=\"staff\" /><add accessType=\"Allow\" users=\"bob,zo\u00eb\" />"),
                "order",
                rules(
                        "",
                        "<clear /><add accessType=\"Allow\" users=\"bob, alice\" />"
                                + "<add accessType=\"Deny\" users=\"bob\" />"),
                "verbs",
                rules("", "<add accessType=\"Deny\" users=\"*\" verbs=\"POST,DELETE\" />"),
                "nomatch",
                rules("", "<clear /><add accessType=\"Allow\" users=\"ALICE\" />"),
                "anononly",
                rules("", "<clear /><add accessType=\"Allow\" users=\"?\" />"),
                "remove",
                rules("", "<remove users=\"*\" /><add accessType=\"Allow\" users=\"bob,zo\u00eb\" />"),
                "login",
                rules("", "<add accessType=\"Deny\" users=\"?\" />")
                        + "<modules><add name=\"LoginPageMarker\" /></modules>",
                "loginstrict",
                rules("bypassLoginPages=\"false\"", "<add accessType=\"Deny\" users=\"?\" />")
                        + "<modules><add name=\"LoginPageMarker\" /></modules>");
        // A rule without accessType in a web.config: the typed schema refuses it, and IIS answers
        // 500.19 for the URLs under that folder only (in applicationHost.config it would refuse the
        // whole file at start).
        LoopbackSite.write(
                root,
                "badrule/web.config",
                "<configuration><system.webServer>" + rules("", "<add users=\"bob\" />")
                        + "</system.webServer></configuration>");
    }

    private static String rules(String attributes, String inner) {
        return "<security><authorization " + attributes + ">" + inner + "</authorization></security>";
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    private static void assertAllowed(RawHttp.Response response) {
        assertThat(response.status())
                .as(response.statusLine() + "\n" + response.bodyText())
                .isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo(TEXT);
    }

    private static void assertDenied(RawHttp.Response response, int subStatus) {
        assertThat(response.status())
                .as(response.statusLine() + "\n" + response.bodyText())
                .isEqualTo(401);
        assertThat(response.bodyText())
                .contains("HTTP Error 401." + subStatus + " - Unauthorized")
                .contains("<th>Module</th><td>UrlAuthorizationModule</td>")
                .contains("<th>Notification</th><td>AUTHORIZE_REQUEST</td>")
                .contains("URL authorization rules")
                .doesNotContain(TEXT);
        assertThat(response.headers("WWW-Authenticate")).containsExactly(CHALLENGE);
    }

    @Test
    void theStockRuleAllowsEveryone() {
        assertAllowed(site.get("/a.txt"));
        assertAllowed(site.get("/a.txt", ALICE));
    }

    @Test
    void denyAnonymousAsks401_2WithTheChallengeAndLetsUsersIn() {
        assertDenied(site.get("/members/a.txt"), 2);
        assertAllowed(site.get("/members/a.txt", BOB));
    }

    @Test
    void rolesMatchWithoutCaseAndAnAuthenticatedUserDeniedGets401_3() {
        assertAllowed(site.get("/admins/a.txt", ALICE));
        RawHttp.Response bob = site.get("/admins/a.txt", BOB);
        assertDenied(bob, 3);
        assertThat(bob.bodyText()).contains("user &#39;bob&#39;");
        assertDenied(site.get("/admins/a.txt"), 2);
    }

    @Test
    void aParentDenyCannotBeUndoneByAChildAllow() {
        assertDenied(site.get("/shop/a.txt", BOB), 3);
        assertDenied(site.get("/shop/inner/a.txt", BOB), 3);
        assertAllowed(site.get("/shop/inner/a.txt", ALICE));
        assertAllowed(site.get("/shop/inner/a.txt"));
    }

    @Test
    void denyRulesComeBeforeAllowRulesWhateverTheirOrder() {
        assertDenied(site.get("/order/a.txt", BOB), 3);
        assertAllowed(site.get("/order/a.txt", ALICE));
    }

    @Test
    void verbsLimitARule() {
        assertAllowed(site.get("/verbs/a.txt"));
        assertThat(site.send("HEAD", "/verbs/a.txt").status()).isEqualTo(200);
        assertDenied(site.send("POST", "/verbs/a.txt"), 2);
        assertDenied(site.send("DELETE", "/verbs/a.txt", ALICE), 3);
    }

    @Test
    void noApplicableRuleDenies() {
        assertAllowed(site.get("/nomatch/a.txt", ALICE));
        assertDenied(site.get("/nomatch/a.txt", BOB), 3);
        assertDenied(site.get("/nomatch/a.txt"), 2);
    }

    @Test
    void questionMarkNamesOnlyTheAnonymousUser() {
        assertAllowed(site.get("/anononly/a.txt"));
        assertDenied(site.get("/anononly/a.txt", ALICE), 3);
    }

    @Test
    void removeTakesTheInheritedRuleOutByItsKey() {
        assertAllowed(site.get("/remove/a.txt", BOB));
        assertAllowed(site.get("/remove/a.txt", ZOE));
        assertDenied(site.get("/remove/a.txt", ALICE), 3);
        assertDenied(site.get("/remove/a.txt"), 2);
    }

    @Test
    void bypassLoginPagesSkipsTheCheckForALoginPage() {
        assertAllowed(site.get("/login/login.txt"));
        assertDenied(site.get("/login/a.txt"), 2);
        assertDenied(site.get("/loginstrict/login.txt"), 2);
    }

    @Test
    void aRuleWithoutAccessTypeIsAConfigurationError() {
        RawHttp.Response response = site.get("/badrule/a.txt");
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.bodyText())
                .contains("HTTP Error 500.19")
                .contains("accessType")
                .doesNotContain(TEXT);
    }
}
