package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.weir.api.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Fuzz test of the configuration reader: whatever the text of applicationHost.config, reading it
 * either succeeds or fails with a {@link ConfigException} naming the file and a line, never with
 * another exception. In {@code verify} it runs once per input of the committed corpus; with
 * {@code JAZZER_FUZZ=1} Jazzer generates inputs (see docs/security.md).
 */
class ConfigReaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void onlyConfigurationErrorsWithFileAndLine(FuzzedDataProvider data) {
        byte[] text = data.consumeRemainingAsBytes();
        try {
            ApplicationHostConfig.parse(
                    "fuzz.config", new ByteArrayInputStream(text), Path.of("").toAbsolutePath(), Map.of());
        } catch (ConfigException e) {
            assertThat(e.source().file()).isEqualTo("fuzz.config");
            assertThat(e.source().line()).as(e.getMessage()).isGreaterThanOrEqualTo(0);
        }
    }
}
