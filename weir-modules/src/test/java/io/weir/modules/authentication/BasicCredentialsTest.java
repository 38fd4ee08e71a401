package io.weir.modules.authentication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Parsing of {@code Authorization: Basic} values (RFC 7617). */
class BasicCredentialsTest {

    private static String encode(String userPass) {
        return Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void splitsAtTheFirstColonAndKeepsThePasswordBytes() {
        BasicCredentials.Parsed parsed = BasicCredentials.parse("Basic " + encode("alice:pa:ss w\u00f6rd"));
        assertThat(parsed.outcome()).isEqualTo(BasicCredentials.Outcome.CREDENTIALS);
        BasicCredentials credentials = parsed.credentials().orElseThrow();
        assertThat(credentials.userName()).isEqualTo("alice");
        assertThat(new String(credentials.password(), StandardCharsets.UTF_8)).isEqualTo("pa:ss w\u00f6rd");
        assertThat(credentials.toString()).doesNotContain("pa:ss");
        credentials.wipe();
        assertThat(credentials.password()).containsOnly(0);
    }

    @Test
    void emptyPasswordAndEmptyNameAreCredentials() {
        assertThat(BasicCredentials.parse("Basic " + encode("alice:")).outcome())
                .isEqualTo(BasicCredentials.Outcome.CREDENTIALS);
        assertThat(BasicCredentials.parse("basic " + encode(":pw"))
                        .credentials()
                        .orElseThrow()
                        .userName())
                .isEmpty();
    }

    @Test
    void otherSchemesAreNotBasic() {
        assertThat(BasicCredentials.parse("Bearer abc").outcome()).isEqualTo(BasicCredentials.Outcome.OTHER_SCHEME);
        assertThat(BasicCredentials.parse("Basicx abc").outcome()).isEqualTo(BasicCredentials.Outcome.OTHER_SCHEME);
        assertThat(BasicCredentials.parse("Digest username=\"a\"").outcome())
                .isEqualTo(BasicCredentials.Outcome.OTHER_SCHEME);
    }

    @Test
    void malformedValues() {
        for (String value : new String[] {
            "Basic",
            "Basic ",
            "Basic %%%",
            "Basic " + encode("nocolon"),
            "Basic " + Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, ':', 'x'}),
            "Basic " + "QUFB".repeat(2000)
        }) {
            assertThat(BasicCredentials.parse(value).outcome()).as(value).isEqualTo(BasicCredentials.Outcome.MALFORMED);
        }
    }

    @Test
    void qualifiesNamesWithoutADomain() {
        BasicCredentials plain = new BasicCredentials("carol", new byte[0]);
        assertThat(plain.qualified("CORP").userName()).isEqualTo("CORP\\carol");
        assertThat(plain.qualified("").userName()).isEqualTo("carol");
        assertThat(new BasicCredentials("OTHER\\carol", new byte[0])
                        .qualified("CORP")
                        .userName())
                .isEqualTo("OTHER\\carol");
    }
}
