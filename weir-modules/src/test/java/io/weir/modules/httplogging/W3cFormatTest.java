package io.weir.modules.httplogging;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class W3cFormatTest {

    private static String value(String v) {
        W3cLine line = new W3cLine();
        line.reset(true);
        return line.value(v).toString();
    }

    private static String address(String literal) throws Exception {
        W3cLine line = new W3cLine();
        line.reset(true);
        return line.address(InetAddress.getByName(literal)).toString();
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
        assertThat(value("\u20ac \ud83d\ude00")).isEqualTo("\u20ac+\ud83d\ude00");
    }

    @Test
    void charactersAreEncodedAsStringGetBytesWould() {
        String text = "é\u20ac\ud83d\ude00x\ud83d"; // 2-, 3- and 4-byte UTF-8, then a lone surrogate
        W3cLine utf8 = new W3cLine();
        utf8.reset(true);
        utf8.value(text);
        assertThat(Arrays.copyOf(utf8.bytes(), utf8.length())).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        W3cLine ascii = new W3cLine();
        ascii.reset(false);
        ascii.value(text);
        assertThat(Arrays.copyOf(ascii.bytes(), ascii.length())).isEqualTo(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void longValuesGrowTheLine() {
        String big = "x".repeat(10_000) + " y";
        assertThat(value(big)).isEqualTo("x".repeat(10_000) + "+y");
    }

    @Test
    void numbersAreDecimal() {
        W3cLine line = new W3cLine();
        line.reset(true);
        line.number(0)
                .ascii(' ')
                .number(7)
                .ascii(' ')
                .number(1234567890123L)
                .ascii(' ')
                .number(-42);
        assertThat(line).hasToString("0 7 1234567890123 -42");
    }

    @Test
    void truncationCountsCharactersAndNeverSplitsOne() {
        W3cLine line = new W3cLine();
        line.reset(true);
        line.value("abcé\ud83d\ude00z");
        line.truncate(4);
        assertThat(line).hasToString("abcé");
        line.reset(true);
        line.value("abcé\ud83d\ude00z");
        line.truncate(5); // the pair would be cut in two: dropped whole
        assertThat(line).hasToString("abcé");
        line.reset(true);
        line.value("abcé\ud83d\ude00z");
        line.truncate(6);
        assertThat(line).hasToString("abcé\ud83d\ude00");
        line.truncate(100);
        assertThat(line).hasToString("abcé\ud83d\ude00");
    }

    @Test
    void addressesAreWrittenShort() throws Exception {
        assertThat(address("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(address("10.200.0.255")).isEqualTo("10.200.0.255");
        assertThat(address("::1")).isEqualTo("::1");
        assertThat(address("::")).isEqualTo("::");
        assertThat(address("2001:db8:0:0:1:0:0:1")).isEqualTo("2001:db8::1:0:0:1");
        assertThat(address("fe80:0:0:0:0:0:0:1")).isEqualTo("fe80::1");
        assertThat(address("2001:db8:1:2:3:4:5:0")).isEqualTo("2001:db8:1:2:3:4:5:0");
        assertThat(address("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1");
        assertThat(address("2001:abcd:f0:0:0:0:0:0")).isEqualTo("2001:abcd:f0::");
        W3cLine none = new W3cLine();
        none.reset(true);
        assertThat(none.address(null)).hasToString("-");
    }

    @Test
    void equalAddressesOfDistinctConnectionsShareTheTextButScopesDoNot() throws Exception {
        byte[] loopback = {127, 0, 0, 1};
        byte[] linkLocal = InetAddress.getByName("fe80::1").getAddress();
        W3cLine line = new W3cLine();
        line.reset(true);
        line.address(InetAddress.getByAddress(loopback))
                .ascii(' ')
                .address(InetAddress.getByAddress(loopback))
                .ascii(' ')
                .address(InetAddress.getByAddress(new byte[] {10, 0, 0, 2}));
        assertThat(line).hasToString("127.0.0.1 127.0.0.1 10.0.0.2");
        line.reset(true);
        line.address(Inet6Address.getByAddress(null, linkLocal, 1))
                .ascii(' ')
                .address(Inet6Address.getByAddress(null, linkLocal, 2));
        assertThat(line).hasToString("fe80::1%1 fe80::1%2");
    }

    @Test
    void aReusedLineWritesEachAddressItsOwnWay() throws Exception {
        InetAddress[] addresses = {
            InetAddress.getByName("127.0.0.1"),
            InetAddress.getByName("::1"),
            InetAddress.getByName("10.0.0.2"),
            InetAddress.getByName("127.0.0.1")
        };
        String[] texts = {"127.0.0.1", "::1", "10.0.0.2", "127.0.0.1"};
        W3cLine line = new W3cLine();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < addresses.length; i++) {
                line.reset(true);
                line.address(addresses[i]).ascii(' ').address(addresses[(i + 1) % addresses.length]);
                assertThat(line).hasToString(texts[i] + " " + texts[(i + 1) % texts.length]);
            }
        }
    }

    @Test
    void datesAndTimesAreUtc() {
        long millis = Instant.parse("2024-03-05T09:08:07.654Z").toEpochMilli();
        W3cLine line = new W3cLine();
        line.reset(true);
        line.ascii(W3cFormat.date(millis)).ascii(' ').ascii(W3cFormat.time(millis));
        assertThat(line).hasToString("2024-03-05 09:08:07");
        assertThat(W3cFormat.dateTime(Instant.parse("1999-12-31T23:59:59Z").toEpochMilli()))
                .isEqualTo("1999-12-31 23:59:59");
    }
}
