package io.weir.modules.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The FastCGI 1.0 records as the specification lays them out: headers, padding, streams, name-value pairs. */
class FastCgiProtocolTest {

    /** A connection over a fixed byte array, returning at most {@code step} bytes per read. */
    private static FastCgiConnection bytes(byte[] data, int step) {
        return new FastCgiConnection() {
            private int at;

            @Override
            public int read(ByteBuffer target) {
                if (at == data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(step, target.remaining()), data.length - at);
                target.put(data, at, n);
                at += n;
                return n;
            }

            @Override
            public void write(ByteBuffer source) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void close() {}
        };
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    @Test
    void beginRequestIsAnEightByteBodyWithTheResponderRoleAndFlags() {
        byte[] out = toArray(new RecordEncoder().beginRequest(true).buffer());
        assertThat(out).containsExactly(1, 1, 0, 1, 0, 8, 0, 0, /* body */ 0, 1, 1, 0, 0, 0, 0, 0);
        byte[] noKeep = toArray(new RecordEncoder().beginRequest(false).buffer());
        assertThat(noKeep[10]).isZero();
    }

    @Test
    void streamsArePaddedToEightBytesAndEndWithAnEmptyRecord() {
        RecordEncoder e = new RecordEncoder();
        e.stream(FastCgiRecord.STDIN, ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)))
                .endStream(FastCgiRecord.STDIN);
        byte[] out = toArray(e.buffer());
        // header: version 1, STDIN, id 1, length 5, padding 3
        assertThat(out).startsWith(1, 5, 0, 1, 0, 5, 3, 0, 'h', 'e', 'l', 'l', 'o', 0, 0, 0);
        assertThat(out).hasSize(8 + 5 + 3 + 8);
        assertThat(out).endsWith(1, 5, 0, 1, 0, 0, 0, 0);
        assertThat(FastCgiRecord.paddingFor(8)).isZero();
        assertThat(FastCgiRecord.paddingFor(1)).isEqualTo(7);
    }

    @Test
    void contentOverSixtyFourKibibytesIsSplitIntoSeveralRecords() throws IOException {
        byte[] data = new byte[150_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        RecordEncoder e = new RecordEncoder()
                .stream(FastCgiRecord.STDOUT, ByteBuffer.wrap(data)).endStream(FastCgiRecord.STDOUT);
        RecordReader reader = new RecordReader().reset(bytes(toArray(e.buffer()), 1000));
        List<Integer> lengths = new ArrayList<>();
        ByteBuffer joined = ByteBuffer.allocate(data.length);
        while (true) {
            FastCgiRecord r = reader.next();
            assertThat(r.type()).isEqualTo(FastCgiRecord.STDOUT);
            assertThat(r.requestId()).isEqualTo(1);
            lengths.add(r.content().remaining());
            if (!r.content().hasRemaining()) {
                break;
            }
            joined.put(r.content());
        }
        assertThat(lengths).containsExactly(65535, 65535, 150_000 - 2 * 65535, 0);
        assertThat(joined.array()).isEqualTo(data);
    }

    @Test
    void nameValuePairsUseOneByteLengthsUnder128AndFourBytesAbove() {
        String longValue = "v".repeat(300);
        RecordEncoder e =
                new RecordEncoder().param("A", "b").param("LONG", longValue).endParams();
        byte[] out = toArray(e.buffer());
        // first record: PARAMS header, then 1,1,'A','b' then 4,0x80 00 01 2C,...
        assertThat(out[1]).isEqualTo((byte) FastCgiRecord.PARAMS);
        assertThat(out).containsSequence(1, 1, 'A', 'b', 4, 0x80 - 256, 0, 1, 0x2C);
        int contentLength = ((out[4] & 0xFF) << 8) | (out[5] & 0xFF);
        assertThat(contentLength).isEqualTo(4 + 1 + 4 + 4 + 300);
        List<Map.Entry<String, String>> pairs = NameValuePairs.decode(ByteBuffer.wrap(out, 8, contentLength));
        assertThat(pairs).containsExactly(Map.entry("A", "b"), Map.entry("LONG", longValue));
        assertThat(out).endsWith(1, FastCgiRecord.PARAMS, 0, 1, 0, 0, 0, 0);
    }

    @Test
    void aTruncatedPairIsRefused() {
        assertThatThrownBy(() -> NameValuePairs.decode(ByteBuffer.wrap(new byte[] {5, 1, 'a'})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void endRequestCarriesTheAppStatusAndProtocolStatus() throws IOException {
        byte[] rec = {1, 3, 0, 1, 0, 8, 0, 0, 0, 0, 1, 2, FastCgiRecord.OVERLOADED, 0, 0, 0};
        FastCgiRecord r = new RecordReader().reset(bytes(rec, 3)).next();
        assertThat(r.type()).isEqualTo(FastCgiRecord.END_REQUEST);
        assertThat(r.appStatus()).isEqualTo(258);
        assertThat(r.protocolStatus()).isEqualTo(FastCgiRecord.OVERLOADED);
    }

    @Test
    void aConnectionClosedInsideARecordIsAnEofAndAWrongVersionIsRefused() {
        byte[] cut = {1, 6, 0, 1, 0, 10, 0, 0, 'x'};
        assertThatThrownBy(() -> new RecordReader().reset(bytes(cut, 100)).next())
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("inside a record");
        byte[] wrong = {2, 6, 0, 1, 0, 0, 0, 0};
        assertThatThrownBy(() -> new RecordReader().reset(bytes(wrong, 100)).next())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version");
    }

    @Test
    void cgiHeadersEndAtTheEmptyLineAndGiveTheStatus() {
        CgiResponseHead head = new CgiResponseHead();
        ByteBuffer part1 = ByteBuffer.wrap(
                "Status: 404 Not Here\r\nX-A: 1\r\nSet-Cookie: a=1".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(head.feed(part1)).isFalse();
        ByteBuffer part2 = ByteBuffer.wrap("\r\nSet-Cookie: b=2\n\nBODY".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(head.feed(part2)).isTrue();
        assertThat(new String(toArray(part2), StandardCharsets.ISO_8859_1)).isEqualTo("BODY");
        assertThat(head.headers())
                .containsExactly(
                        Map.entry("Status", "404 Not Here"),
                        Map.entry("X-A", "1"),
                        Map.entry("Set-Cookie", "a=1"),
                        Map.entry("Set-Cookie", "b=2"));
        assertThat(head.status()).isEqualTo(Map.entry(404, "Not Here"));

        CgiResponseHead redirect = new CgiResponseHead();
        redirect.feed(ByteBuffer.wrap("Location: /elsewhere\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(redirect.status()).isEqualTo(Map.entry(302, "Found"));

        CgiResponseHead bad = new CgiResponseHead();
        assertThatThrownBy(() -> bad.feed(ByteBuffer.wrap("no colon here\n\n".getBytes(StandardCharsets.ISO_8859_1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void scriptProcessorFormsForExternalServers() {
        assertThat(FastCgiEndpoint.parseExternal("unix:/run/php/php8.2-fpm.sock")
                        .toString())
                .isEqualTo("unix:/run/php/php8.2-fpm.sock");
        assertThat(FastCgiEndpoint.parseExternal("tcp://127.0.0.1:9000").toString())
                .isEqualTo("tcp://127.0.0.1:9000");
        assertThat(FastCgiEndpoint.parseExternal("/usr/bin/php-cgi")).isNull();
        assertThatThrownBy(() -> FastCgiEndpoint.parseExternal("tcp://127.0.0.1:x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void argumentsSplitOnWhiteSpaceWithQuotesGrouping() {
        FastCgiApplication a = new FastCgiApplication(
                "/usr/bin/php-cgi",
                "-d a=1  -c \"/etc/my php.ini\"",
                0,
                200,
                Duration.ofSeconds(300),
                Duration.ofSeconds(70),
                Duration.ofSeconds(90),
                1000,
                10,
                Duration.ZERO,
                "",
                FastCgiApplication.StderrMode.ReturnStdErrIn500,
                Map.of());
        assertThat(a.argumentList()).containsExactly("-d", "a=1", "-c", "/etc/my php.ini");
        assertThat(a.key()).isEqualTo("/usr/bin/php-cgi|-d a=1  -c \"/etc/my php.ini\"");
    }

    @Test
    void maxInstancesZeroMeansTheNumberOfProcessorsAndAtLeastTwo() {
        FastCgiApplication automatic = new FastCgiApplication(
                "/usr/bin/php-cgi",
                "",
                0,
                200,
                Duration.ofSeconds(300),
                Duration.ofSeconds(70),
                Duration.ofSeconds(90),
                1000,
                10,
                Duration.ZERO,
                "",
                FastCgiApplication.StderrMode.ReturnStdErrIn500,
                Map.of());
        assertThat(automatic.effectiveMaxInstances())
                .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
        assertThat(new FastCgiApplication(
                                "/usr/bin/php-cgi",
                                "",
                                3,
                                200,
                                Duration.ofSeconds(300),
                                Duration.ofSeconds(70),
                                Duration.ofSeconds(90),
                                1000,
                                10,
                                Duration.ZERO,
                                "",
                                FastCgiApplication.StderrMode.ReturnStdErrIn500,
                                Map.of())
                        .effectiveMaxInstances())
                .isEqualTo(3);
    }
}
