package io.weir.modules.staticfile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Range parser, RFC 9110 section 14.1–14.2. */
class ByteRangeTest {

    @Test
    void parsesClosedOpenAndSuffixRanges() {
        assertThat(ByteRange.parse("bytes=0-9", 100)).containsExactly(new ByteRange(0, 9));
        assertThat(ByteRange.parse("bytes=90-", 100)).containsExactly(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-10", 100)).containsExactly(new ByteRange(90, 99));
        assertThat(ByteRange.parse("bytes=-500", 100)).containsExactly(new ByteRange(0, 99));
        assertThat(ByteRange.parse("BYTES = 0-1", 100)).isNull();
        assertThat(ByteRange.parse("Bytes=0-1", 100)).containsExactly(new ByteRange(0, 1));
    }

    @Test
    void keepsRequestOrderOfDisjointRangesAndToleratesEmptyElements() {
        assertThat(ByteRange.parse("bytes=50-59, ,0-9 ,", 100))
                .containsExactly(new ByteRange(50, 59), new ByteRange(0, 9));
    }

    @Test
    void coalescesOverlappingOrAdjacentRanges() {
        assertThat(ByteRange.parse("bytes=10-19,0-10,30-39", 100))
                .containsExactly(new ByteRange(0, 19), new ByteRange(30, 39));
        assertThat(ByteRange.parse("bytes=0-4,5-9", 100)).containsExactly(new ByteRange(0, 9));
    }

    @Test
    void clampsTheLastPositionAndSaturatesHugeNumbers() {
        assertThat(ByteRange.parse("bytes=95-99999999999999999999999", 100)).containsExactly(new ByteRange(95, 99));
        assertThat(ByteRange.parse("bytes=99999999999999999999999-", 100)).isEmpty();
    }

    @Test
    void unsatisfiableRangesGiveAnEmptyList() {
        assertThat(ByteRange.parse("bytes=100-200", 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=-0", 100)).isEmpty();
        assertThat(ByteRange.parse("bytes=0-1", 0)).isEmpty();
        assertThat(ByteRange.parse("bytes=-5", 0)).isEmpty();
        assertThat(ByteRange.parse("bytes=200-300,0-1", 100)).containsExactly(new ByteRange(0, 1));
    }

    @Test
    void invalidSyntaxGivesNull() {
        assertThat(ByteRange.parse("bytes=5-2", 100)).isNull();
        assertThat(ByteRange.parse("bytes=a-", 100)).isNull();
        assertThat(ByteRange.parse("bytes=-", 100)).isNull();
        assertThat(ByteRange.parse("bytes=", 100)).isNull();
        assertThat(ByteRange.parse("bytes=1", 100)).isNull();
        assertThat(ByteRange.parse("items=0-1", 100)).isNull();
        assertThat(ByteRange.parse("bytes=0-1,x", 100)).isNull();
    }

    @Test
    void tooManyRangesAreIgnored() {
        StringBuilder field = new StringBuilder("bytes=");
        for (int k = 0; k < ByteRange.MAX_RANGES + 1; k++) {
            field.append(k == 0 ? "" : ",").append(k * 10).append('-').append(k * 10 + 1);
        }
        assertThat(ByteRange.parse(field.toString(), 100_000)).isNull();
    }
}
