package io.weir.core.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The request id: never 0, 16 hexadecimal digits, leading zeros kept. */
class RequestIdTest {

    @Test
    void idsAreSixteenHexDigitsAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            long id = RequestId.draw();
            assertThat(id).isNotZero();
            String text = RequestId.format(id);
            assertThat(text).matches("[0-9a-f]{16}");
            seen.add(text);
        }
        assertThat(seen).hasSize(10_000);
        assertThat(RequestId.format(0xABL)).isEqualTo("00000000000000ab");
        assertThat(RequestId.format(-1L)).isEqualTo("ffffffffffffffff");
    }
}
