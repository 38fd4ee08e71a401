package io.weir.modules.authentication;

import static io.weir.modules.authentication.AuthTestSite.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.LoopbackSite;
import io.weir.testkit.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AnonymousAuthenticationModule and BasicAuthenticationModule over real loopback HTTP, one
 * {@code <location>} per configuration, with IIS's statuses, substatuses (shown on the local error
 * page) and challenges. The hashes are real {@code htpasswd -B} output (Apache's htpasswd 2.4, cost 5).
 */
class AuthenticationModulesHttpTest {

    /** {@code htpasswd -nbB alice 'correct horse'}. */
    static final String ALICE = "alice:$2y$05$FW48jPAe1J1TXJEyqaMvqeh.HKqCmAkQDxovKbegIsovLEk3CDqsu";
    /** {@code htpasswd -nbB bob 'b0b-secret'}. */
    static final String BOB = "bob:$2y$05$/VfAA3m/jBdoQY6dDlG8KO9C/0xQt6lzLdPBEcVCxv0eLmZoilLEu";
    /** {@code htpasswd -nbB 'CORP\carol' 'carol-pw'}. */
    static final String CAROL = "CORP\\carol:$2y$05$VMT75IVtUoTjU0BWqCl5X.xv2w7.KJd2yF3K2nQJvOg520iW03LU2";
    /** {@code htpasswd -nbB 'zoë' 'pässwörd'} in a UTF-8 terminal. */
    static final String ZOE = "zo\u00eb:$2y$05$8JmVTtBxVDAjf0lxvzK30.P7MKRewEiSaA1erILqgDcqRWnWbYq3i";

    static final String USERS = "# Weir test users: name:hash[:roles]\n"
            + ALICE + ":admins, editors\n"
            + BOB + "\n"
            + CAROL + ":staff\n"
            + ZOE + "\n"
            + "mallory:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n";

    private static final String TEXT = "protected text";

    @TempDir
    static Path temp;

    private static AuthTestSite site;

    @BeforeAll
    static void start() throws Exception {
        Path root = temp.resolve("www");
        Path config = temp.resolve("conf");
        Path usersDir = temp.resolve("users-dir");
        Files.createDirectories(config);
        Files.createDirectories(usersDir);
        Files.writeString(config.resolve("users.htpasswd"), USERS, StandardCharsets.UTF_8);
        Files.writeString(usersDir.resolve("users.htpasswd"), USERS, StandardCharsets.UTF_8);
        LoopbackSite.write(root, "a.txt", TEXT);
        for (String folder : new String[] {"basic", "mixed", "closed", "tlsonly", "domain", "nofile"}) {
            LoopbackSite.write(root, folder + "/a.txt", TEXT);
        }
        site = AuthTestSite.start(
                config,
                root,
                Map.of("USERS_DIR", usersDir.toString()),
                "basic",
                authentication("<anonymousAuthentication enabled=\"false\" />"
                        + "<basicAuthentication enabled=\"true\" realm=\"Weir Test\" weirUserFile=\"users.htpasswd\" "
                        + "weirAllowPlainHttp=\"true\" />"),
                "mixed",
                authentication("<basicAuthentication enabled=\"true\" "
                        + "weirUserFile=\"%USERS_DIR%/users.htpasswd\" weirAllowPlainHttp=\"true\" />"),
                "closed",
                authentication("<anonymousAuthentication enabled=\"false\" />"),
                "tlsonly",
                authentication("<anonymousAuthentication enabled=\"false\" />"
                        + "<basicAuthentication enabled=\"true\" realm=\"TLS\" weirUserFile=\"users.htpasswd\" />"),
                "domain",
                authentication("<anonymousAuthentication enabled=\"false\" />"
                                + "<basicAuthentication enabled=\"true\" defaultLogonDomain=\"CORP\" "
                                + "weirUserFile=\"users.htpasswd\" weirAllowPlainHttp=\"true\" />")
                        .replace(
                                "</security>",
                                "<authorization><clear /><add accessType=\"Allow\" "
                                        + "users=\"corp\\CAROL\" /></authorization></security>"),
                "nofile",
                authentication("<anonymousAuthentication enabled=\"false\" />"
                        + "<basicAuthentication enabled=\"true\" weirAllowPlainHttp=\"true\" />"));
    }

    static String authentication(String inner) {
        return "<security><authentication>" + inner + "</authentication></security>";
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    static void assertServed(RawHttp.Response response) {
        assertThat(response.status())
                .as(response.statusLine() + "\n" + response.bodyText())
                .isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo(TEXT);
    }

    static void assertError(RawHttp.Response response, int code, int subStatus, String module, String notification) {
        assertThat(response.status())
                .as(response.statusLine() + "\n" + response.bodyText())
                .isEqualTo(code);
        String shown = subStatus == 0 ? Integer.toString(code) : code + "." + subStatus;
        assertThat(response.bodyText())
                .contains("HTTP Error " + shown + " - ")
                .contains("<th>Module</th><td>" + module + "</td>")
                .contains("<th>Notification</th><td>" + notification + "</td>")
                .doesNotContain(TEXT);
    }

    @Test
    void theDefaultConfigurationServesAnonymousRequestsWithoutAChallenge() {
        RawHttp.Response response = site.get("/a.txt");
        assertServed(response);
        assertThat(response.headers("WWW-Authenticate")).isEmpty();
        // Basic is disabled here: credentials are ignored, even wrong ones.
        assertServed(site.get("/a.txt", basic("alice", "wrong")));
    }

    @Test
    void anonymousDisabledAndNoOtherSchemeIs401_2WithoutChallenge() {
        RawHttp.Response response = site.get("/closed/a.txt");
        assertError(response, 401, 2, "AnonymousAuthenticationModule", "AUTHENTICATE_REQUEST");
        assertThat(response.headers("WWW-Authenticate")).isEmpty();
    }

    @Test
    void noCredentialsWhereOnlyBasicIsEnabledIs401_2WithTheBasicChallenge() {
        RawHttp.Response response = site.get("/basic/a.txt");
        assertError(response, 401, 2, "AnonymousAuthenticationModule", "AUTHENTICATE_REQUEST");
        assertThat(response.headers("WWW-Authenticate"))
                .containsExactly("Basic realm=\"Weir Test\", charset=\"UTF-8\"");
    }

    @Test
    void aRealHtpasswdBcryptHashLogsOn() {
        assertServed(site.get("/basic/a.txt", basic("alice", "correct horse")));
        assertServed(site.get("/basic/a.txt", basic("bob", "b0b-secret")));
        // again: now from the cache of recent successes
        assertServed(site.get("/basic/a.txt", basic("alice", "correct horse")));
    }

    @Test
    void userNamesMatchWithoutCaseAndTheSchemeNameWithoutCase() {
        assertServed(site.get("/basic/a.txt", basic("ALICE", "correct horse")));
        String token = Base64.getEncoder().encodeToString("bob:b0b-secret".getBytes(StandardCharsets.UTF_8));
        assertServed(site.get("/basic/a.txt", "Authorization: bAsIc   " + token));
    }

    @Test
    void utf8NamesAndPasswordsLogOn() {
        assertServed(site.get("/basic/a.txt", basic("zo\u00eb", "p\u00e4ssw\u00f6rd")));
        assertError(
                site.get("/basic/a.txt", basic("zo\u00eb", "passwort")),
                401,
                1,
                "BasicAuthenticationModule",
                "AUTHENTICATE_REQUEST");
    }

    @Test
    void aWrongPasswordIs401_1WithTheChallenge() {
        RawHttp.Response response = site.get("/basic/a.txt", basic("alice", "correct horse!"));
        assertError(response, 401, 1, "BasicAuthenticationModule", "AUTHENTICATE_REQUEST");
        assertThat(response.headers("WWW-Authenticate"))
                .containsExactly("Basic realm=\"Weir Test\", charset=\"UTF-8\"");
        assertThat(response.bodyText()).contains("user name or password is not valid");
    }

    @Test
    void anUnknownUserIs401_1LikeAWrongPassword() {
        RawHttp.Response unknown = site.get("/basic/a.txt", basic("nobody", "correct horse"));
        RawHttp.Response wrong = site.get("/basic/a.txt", basic("alice", "nope"));
        assertError(unknown, 401, 1, "BasicAuthenticationModule", "AUTHENTICATE_REQUEST");
        assertThat(unknown.headers("WWW-Authenticate")).isEqualTo(wrong.headers("WWW-Authenticate"));
        assertThat(unknown.bodyText().replace("nobody", ""))
                .isEqualTo(wrong.bodyText().replace("alice", ""));
    }

    @Test
    void aLineWithoutABcryptHashIsIgnored() {
        // mallory's {SHA} line is refused at load: no password logs on as mallory
        assertError(
                site.get("/basic/a.txt", basic("mallory", "password")),
                401,
                1,
                "BasicAuthenticationModule",
                "AUTHENTICATE_REQUEST");
    }

    @Test
    void malformedBasicCredentialsAre400() {
        String noColon = Base64.getEncoder().encodeToString("alice".getBytes(StandardCharsets.UTF_8));
        byte[] latin1Name = "j\u00f6rg:pw".getBytes(StandardCharsets.ISO_8859_1);
        String[] values = {
            "Basic",
            "Basic !!!not-base64!!!",
            "Basic " + noColon,
            "Basic " + Base64.getEncoder().encodeToString(latin1Name),
            "Basic " + Base64.getEncoder().encodeToString("a\u0001b:pw".getBytes(StandardCharsets.UTF_8)),
            "Basic " + "A".repeat(BasicCredentials.MAX_TOKEN_LENGTH + 4)
        };
        for (String value : values) {
            RawHttp.Response response = site.get("/basic/a.txt", "Authorization: " + value);
            assertThat(response.status()).as(value).isEqualTo(400);
            assertThat(response.bodyText())
                    .as(value)
                    .contains("HTTP Error 400 - ")
                    .contains("<th>Module</th><td>BasicAuthenticationModule</td>")
                    .doesNotContain(TEXT);
        }
    }

    @Test
    void twoAuthorizationHeadersAre400() {
        RawHttp.Response response =
                site.get("/basic/a.txt", basic("alice", "correct horse"), basic("bob", "b0b-secret"));
        assertError(response, 400, 0, "BasicAuthenticationModule", "AUTHENTICATE_REQUEST");
        assertThat(response.bodyText()).contains("more than one Authorization header");
    }

    @Test
    void anotherSchemeIsLeftToOtherModules() {
        RawHttp.Response response = site.get("/basic/a.txt", "Authorization: Bearer abc.def.ghi");
        assertError(response, 401, 2, "AnonymousAuthenticationModule", "AUTHENTICATE_REQUEST");
        assertThat(response.headers("WWW-Authenticate")).hasSize(1);
    }

    @Test
    void withAnonymousAlsoEnabledNoCredentialsAreServedAndWrongOnesAre401_1() {
        assertServed(site.get("/mixed/a.txt"));
        assertServed(site.get("/mixed/a.txt", basic("alice", "correct horse")));
        RawHttp.Response wrong = site.get("/mixed/a.txt", basic("alice", "wrong"));
        assertError(wrong, 401, 1, "BasicAuthenticationModule", "AUTHENTICATE_REQUEST");
        // no realm configured: the request's host name, without the port
        assertThat(wrong.headers("WWW-Authenticate")).containsExactly("Basic realm=\"127.0.0.1\", charset=\"UTF-8\"");
    }

    @Test
    void basicOverPlainHttpIsRefusedUnlessAllowed() {
        RawHttp.Response none = site.get("/tlsonly/a.txt");
        assertError(none, 401, 2, "AnonymousAuthenticationModule", "AUTHENTICATE_REQUEST");
        assertThat(none.headers("WWW-Authenticate"))
                .as("Basic is not offered without TLS")
                .isEmpty();
        RawHttp.Response sent = site.get("/tlsonly/a.txt", basic("alice", "correct horse"));
        assertError(sent, 403, 4, "BasicAuthenticationModule", "AUTHENTICATE_REQUEST");
        assertThat(sent.bodyText()).contains("weirAllowPlainHttp");
        assertThat(sent.headers("WWW-Authenticate")).isEmpty();
        // the password is refused unchecked: a wrong one gets the same answer
        assertThat(site.get("/tlsonly/a.txt", basic("alice", "wrong")).status()).isEqualTo(403);
    }

    @Test
    void defaultLogonDomainQualifiesNamesSentWithoutADomain() {
        assertServed(site.get("/domain/a.txt", basic("carol", "carol-pw")));
        assertServed(site.get("/domain/a.txt", basic("CORP\\carol", "carol-pw")));
        // alice is looked up as CORP\alice, who is not in the file
        assertError(
                site.get("/domain/a.txt", basic("alice", "correct horse")),
                401,
                1,
                "BasicAuthenticationModule",
                "AUTHENTICATE_REQUEST");
    }

    @Test
    void withoutAUserFileEveryLogonFails() {
        RawHttp.Response response = site.get("/nofile/a.txt", basic("alice", "correct horse"));
        assertError(response, 401, 1, "BasicAuthenticationModule", "AUTHENTICATE_REQUEST");
        assertThat(response.bodyText()).contains("no weirUserFile");
    }
}
