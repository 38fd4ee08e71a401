package io.weir.modules.compression;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.http.DataChunk;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pure parts of compression: Accept-Encoding weights, type rules, coded entity tags, output segments. */
class NegotiationTest {

    private static final List<Scheme> SCHEMES =
            List.of(new Scheme(ContentCoding.BR, true, true, 7, 4), new Scheme(ContentCoding.GZIP, true, true, 7, 0));

    private static String chosen(String header) {
        Scheme s = AcceptEncoding.choose(header, SCHEMES);
        return s == null ? null : s.coding().token();
    }

    @Test
    void weightsTiesAndRefusals() {
        assertThat(chosen("gzip, br")).isEqualTo("br");
        assertThat(chosen("gzip;q=1.0, br;q=0.999")).isEqualTo("gzip");
        assertThat(chosen("GZIP; Q=0.5")).isEqualTo("gzip");
        assertThat(chosen("*")).isEqualTo("br");
        assertThat(chosen("*;q=0.1, br;q=0")).isEqualTo("gzip");
        assertThat(chosen("br;q=0, gzip;q=0")).isNull();
        assertThat(chosen("identity")).isNull();
        assertThat(chosen("gzip;q=0.5, identity;q=0.8")).isNull();
        assertThat(chosen("gzip;q=abc")).isNull();
        assertThat(chosen("gzip;q=2")).isNull();
        assertThat(chosen(" , ;;, gzip")).isEqualTo("gzip");
        assertThat(chosen("compress, x-gzip;q=0.3")).isEqualTo("gzip");
    }

    @Test
    void theMostSpecificTypeEntryDecides() {
        MimeTypeRules rules = new TestRules()
                .with("*/*", false)
                .with("text/*", true)
                .with("text/csv", false)
                .with("application/wasm", true)
                .with("text/html;charset=utf-8", false)
                .build();
        assertThat(rules.matches("text/plain")).isTrue();
        assertThat(rules.matches("TEXT/Plain; charset=utf-8")).isTrue();
        assertThat(rules.matches("text/csv")).isFalse();
        assertThat(rules.matches("text/html; charset=utf-8")).isFalse();
        assertThat(rules.matches("text/html")).isTrue();
        assertThat(rules.matches("application/wasm")).isTrue();
        assertThat(rules.matches("image/png")).isFalse();
        assertThat(rules.matches("")).isFalse();
    }

    @Test
    void codedEntityTagsAreMadeAndStripped() {
        assertThat(ResponseHeaders.codedEtag("\"abc:1\"", ContentCoding.GZIP)).isEqualTo("\"abc:1-gzip\"");
        assertThat(ResponseHeaders.codedEtag("W/\"x\"", ContentCoding.ZSTD)).isEqualTo("W/\"x-zstd\"");
        assertThat(ResponseHeaders.codedEtag("unquoted", ContentCoding.BR)).isEqualTo("unquoted");
        ResponseHeaders.Stripped s = ResponseHeaders.stripCodedTags("\"a\", W/\"b-br\", \"c-gzip\"");
        assertThat(s.value()).isEqualTo("\"a\", W/\"b\", \"c\"");
        assertThat(s.coding()).isEqualTo(ContentCoding.BR);
        assertThat(ResponseHeaders.stripCodedTags("\"a\", \"b\"")).isNull();
        assertThat(ResponseHeaders.stripCodedTags("*")).isNull();
        assertThat(ResponseHeaders.stripCodedTags("\"-gzip\"")).isNull();
    }

    @Test
    void dynamicCompressionBufferLimitBoundsEachPieceOfOutput() throws Exception {
        byte[] noise = new byte[300_000];
        new Random(3).nextBytes(noise);
        StreamingEncoder encoder = new StreamingEncoder(ContentCoding.GZIP, 0, 4096);
        List<DataChunk> out =
                new ArrayList<>(encoder.encode(List.of(new DataChunk.Memory(ByteBuffer.wrap(noise))), false));
        out.addAll(encoder.encode(List.of(), true));
        assertThat(out).hasSizeGreaterThan(60).allSatisfy(c -> assertThat(c.length())
                .isLessThanOrEqualTo(4096));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (DataChunk c : out) {
            ByteBuffer b = ((DataChunk.Memory) c).buffer().duplicate();
            byte[] a = new byte[b.remaining()];
            b.get(a);
            joined.write(a);
        }
        assertThat(CompressionSite.decode("gzip", joined.toByteArray())).isEqualTo(noise);
    }

    @Test
    void singleRangesOverTheCodedLength() {
        assertThat(StaticCompressionModule.singleRange("bytes=0-9", 100)).containsExactly(0, 9);
        assertThat(StaticCompressionModule.singleRange("bytes=90-", 100)).containsExactly(90, 99);
        assertThat(StaticCompressionModule.singleRange("bytes=-10", 100)).containsExactly(90, 99);
        assertThat(StaticCompressionModule.singleRange("bytes=50-500", 100)).containsExactly(50, 99);
        assertThat(StaticCompressionModule.singleRange("bytes=100-", 100)).isEmpty();
        assertThat(StaticCompressionModule.singleRange("bytes=0-1,5-6", 100)).isNull();
        assertThat(StaticCompressionModule.singleRange("items=0-1", 100)).isNull();
        assertThat(StaticCompressionModule.singleRange("bytes=x-1", 100)).isNull();
    }

    /** Builds rules as the binder does from {@code <add>} entries. */
    private static final class TestRules {
        private final Map<String, Boolean> entries = new LinkedHashMap<>();

        TestRules with(String type, boolean enabled) {
            entries.put(type, enabled);
            return this;
        }

        MimeTypeRules build() {
            return MimeTypeRules.of(entries);
        }
    }
}
