package io.weir.modules.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user file format, and verification against real {@code htpasswd -B} hashes. */
class UserFileTest {

    @TempDir
    Path temp;

    @Test
    void readsNamesHashesAndRolesAndReportsBadLines() {
        UserFile file = UserFile.parse("""
                # comment
                %s:Admins , editors,,
                %s

                nohash
                plain:secret
                md5:$apr1$abc$defghijklmnopqrstuvw
                broken:$2y$05$tooShort
                %s:dup
                """.formatted(
                        AuthenticationModulesHttpTest.ALICE,
                        AuthenticationModulesHttpTest.BOB,
                        AuthenticationModulesHttpTest.ALICE.replace("alice", "ALICE")));
        assertThat(file.users()).containsOnlyKeys("alice", "bob");
        assertThat(file.users().get("alice").name()).isEqualTo("alice");
        assertThat(file.users().get("alice").roles()).containsExactlyInAnyOrder("admins", "editors");
        assertThat(file.users().get("bob").roles()).isEmpty();
        assertThat(file.users().get("alice").hash().cost).isEqualTo(5);
        assertThat(file.problems()).hasSize(5);
        assertThat(file.problems().get(0)).startsWith("line 5: ");
        assertThat(file.problems())
                .anySatisfy(p -> assertThat(p).contains("'md5'").contains("no bcrypt hash"));
        assertThat(file.problems())
                .anySatisfy(p -> assertThat(p).contains("'broken'").contains("malformed"));
        assertThat(file.problems()).anySatisfy(p -> assertThat(p).contains("listed twice"));
        AuthenticatedUser user = file.users().get("alice").asHttpUser();
        assertThat(user.isInRole("ADMINS")).isTrue();
        assertThat(user.isInRole("ops")).isFalse();
        assertThat(user.authenticationType()).isEqualTo("Basic");
    }

    @Test
    void verifiesRealHtpasswdHashesIncludingTruncationAt72Bytes() throws Exception {
        // htpasswd -nbB long "$(printf 'p%.0s' {1..100})": bcrypt reads 72 bytes, as Apache does
        String longUser = "long:$2y$05$fuFipG9Bfa571qgM8sMFdexlYqcJ2RqhZ34PLEOKbvjl0oA4cuVuO";
        Path path = Files.writeString(
                temp.resolve("users"),
                AuthenticationModulesHttpTest.ALICE + "\n" + longUser + "\n",
                StandardCharsets.UTF_8);
        // an older file: not "racily" recent, so successes are cached
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minusSeconds(3600)));
        UserStore store = new UserStore(path);
        assertThat(store.verify(credentials("alice", "correct horse"))).isPresent();
        assertThat(store.verify(credentials("Alice", "correct horse"))).isPresent();
        assertThat(store.verify(credentials("alice", "correct horsf"))).isEmpty();
        assertThat(store.verify(credentials("nobody", "correct horse"))).isEmpty();
        assertThat(store.verify(credentials("long", "p".repeat(100)))).isPresent();
        assertThat(store.verify(credentials("long", "p".repeat(72) + "anything")))
                .isPresent();
        assertThat(store.verify(credentials("long", "p".repeat(71)))).isEmpty();
        assertThat(store.cachedUser(credentials("alice", "correct horse"))).isPresent();
        assertThat(store.cachedUser(credentials("alice", "wrong"))).isEmpty();
        assertThat(store.cachedUser(credentials("long", "p".repeat(100)))).isPresent();
        // a change to the file empties the cache
        Files.writeString(path, AuthenticationModulesHttpTest.BOB + "\n", StandardCharsets.UTF_8);
        assertThat(store.cachedUser(credentials("alice", "correct horse"))).isEmpty();
        assertThat(store.verify(credentials("alice", "correct horse"))).isEmpty();
    }

    private static BasicCredentials credentials(String user, String password) {
        return new BasicCredentials(user, password.getBytes(StandardCharsets.UTF_8));
    }
}
