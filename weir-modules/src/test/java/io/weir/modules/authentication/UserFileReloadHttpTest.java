package io.weir.modules.authentication;

import static io.weir.modules.authentication.AuthTestSite.basic;
import static io.weir.modules.authentication.AuthenticationModulesHttpTest.assertError;
import static io.weir.modules.authentication.AuthenticationModulesHttpTest.authentication;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.modules.LoopbackSite;
import io.weir.testkit.RawHttp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user file is re-read when it changes, and the cache of recent successes goes with the old
 * file: a password changed in the file stops working at once, even one that was just verified.
 */
class UserFileReloadHttpTest {

    /** {@code htpasswd -nbB dave old-password}. */
    private static final String DAVE_OLD = "dave:$2y$05$DzM1F3OzTGEwsHVABOWfHeDfhitSMeh5Q4QZS6u.FFZ3IHwWeHpGi";
    /** {@code htpasswd -nbB dave new-password}: the same length, so the file keeps its size. */
    private static final String DAVE_NEW = "dave:$2y$05$19d9ox6pdCJgafg7AB0JVuIspyg01FM6zz8omjwlqLJXXtpMOwcLm";

    @TempDir
    static Path temp;

    private static AuthTestSite site;
    private static Path users;

    @BeforeAll
    static void start() throws Exception {
        Path root = temp.resolve("www");
        LoopbackSite.write(root, "private/a.txt", "private");
        users = temp.resolve("conf/users.htpasswd");
        Files.createDirectories(users.getParent());
        Files.writeString(users, DAVE_OLD + "\n", StandardCharsets.UTF_8);
        site = AuthTestSite.start(
                temp.resolve("conf"),
                root,
                Map.of(),
                "private",
                authentication(
                        "<anonymousAuthentication enabled=\"false\" />"
                                + "<basicAuthentication enabled=\"true\" weirUserFile=\"users.htpasswd\" weirAllowPlainHttp=\"true\" />"));
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    private static int status(String user, String password) {
        RawHttp.Response response = site.get("/private/a.txt", basic(user, password));
        return response.status();
    }

    @Test
    void changesToTheUserFileArePickedUp() throws Exception {
        assertThat(status("dave", "old-password")).isEqualTo(200);
        assertThat(status("dave", "old-password")).as("again, cached").isEqualTo(200);

        // an in-place edit that keeps the size: only the modification time tells
        Files.writeString(users, DAVE_NEW + "\n", StandardCharsets.UTF_8);
        assertError(
                site.get("/private/a.txt", basic("dave", "old-password")),
                401,
                1,
                "BasicAuthenticationModule",
                "AUTHENTICATE_REQUEST");
        assertThat(status("dave", "new-password")).isEqualTo(200);

        // a replacement by rename (what htpasswd does), adding a user with a role
        Path next = users.resolveSibling("users.tmp");
        Files.writeString(next, DAVE_NEW + "\n" + AuthenticationModulesHttpTest.BOB + ":ops\n", StandardCharsets.UTF_8);
        Files.move(next, users, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertThat(status("bob", "b0b-secret")).isEqualTo(200);
        assertThat(status("dave", "new-password")).isEqualTo(200);

        // the file removed: nobody logs on any more, cached or not
        Files.delete(users);
        assertThat(status("bob", "b0b-secret")).isEqualTo(401);
        assertThat(status("dave", "new-password")).isEqualTo(401);

        // and back
        Files.writeString(users, DAVE_OLD + "\n", StandardCharsets.UTF_8);
        assertThat(status("dave", "old-password")).isEqualTo(200);
        assertThat(status("dave", "new-password")).isEqualTo(401);
    }
}
