package io.weir.modules.httplogging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class W3cFormatTest {

    private static String value(String v) {
        StringBuilder sb = new StringBuilder();
        W3cFormat.appendValue(sb, v);
        return sb.toString();
    }

    private static String address(String literal) throws Exception {
        StringBuilder sb = new StringBuilder();
        W3cFormat.appendAddress(sb, InetAddress.getByName(literal));
        return sb.toString();
    }

    @Test
    void emptyAndAbsentValuesAreADash() {
        assertThat(value(null)).isEqualTo("-");
        assertThat(value("")).isEqualTo("-");
    }

    @Test
    void spacesBecomePlusAsIisWritesThem() {
        assertThat(value("Mozilla/5.0 (Windows NT 10.0; Win64; x64)"))
                .isEqualTo("Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)");
    }

    @Test
    void controlCharactersCannotBreakALineOrAField() {
        assertThat(value("a\tb\r\nc\u007f")).isEqualTo("a%09b%0D%0Ac%7F");
    }

    @Test
    void otherCharactersAreKept() {
        assertThat(value("/café/ü?x=\"1\"")).isEqualTo("/café/ü?x=\"1\"");
    }

    @Test
    void addressesAreWrittenShort() throws Exception {
        assertThat(address("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(address("::1")).isEqualTo("::1");
        assertThat(address("::")).isEqualTo("::");
        assertThat(address("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(address("fe80:0:0:0:0:0:0:1")).isEqualTo("fe80::1");
        assertThat(address("2001:db8:1:2:3:4:5:0")).isEqualTo("2001:db8:1:2:3:4:5:0");
        assertThat(address("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1");
        StringBuilder none = new StringBuilder();
        W3cFormat.appendAddress(none, null);
        assertThat(none).hasToString("-");
    }

    @Test
    void datesAndTimesAreUtc() {
        long millis = Instant.parse("2024-03-05T09:08:07.654Z").toEpochMilli();
        StringBuilder sb = new StringBuilder();
        W3cFormat.appendDate(sb, millis);
        sb.append(' ');
        W3cFormat.appendTime(sb, millis);
        assertThat(sb).hasToString("2024-03-05 09:08:07");
        assertThat(W3cFormat.dateTime(Instant.parse("1999-12-31T23:59:59Z").toEpochMilli()))
                .isEqualTo("1999-12-31 23:59:59");
    }
}
