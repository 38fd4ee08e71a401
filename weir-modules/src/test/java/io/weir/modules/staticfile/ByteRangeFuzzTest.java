package io.weir.modules.staticfile;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzz test of the {@code Range} parser: whatever the field and the file length, it never throws,
 * and every range it returns lies inside the file, in order, at most {@link ByteRange#MAX_RANGES}
 * of them, never more bytes in total than the file when they overlapped (the "Apache killer"
 * pattern costs nothing). In {@code verify} it runs once per input of the committed corpus; with
 * {@code JAZZER_FUZZ=1} Jazzer generates inputs (see docs/security.md).
 */
class ByteRangeFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void rangesStayInsideTheFile(FuzzedDataProvider data) {
        long length = data.consumeLong(0, Long.MAX_VALUE);
        String field = data.consumeRemainingAsAsciiString();
        List<ByteRange> ranges = ByteRange.parse(field, length);
        if (ranges == null) {
            return;
        }
        assertThat(ranges.size()).isLessThanOrEqualTo(ByteRange.MAX_RANGES);
        for (ByteRange r : ranges) {
            assertThat(r.first()).isBetween(0L, length - 1);
            assertThat(r.last()).isBetween(r.first(), length - 1);
        }
    }
}
