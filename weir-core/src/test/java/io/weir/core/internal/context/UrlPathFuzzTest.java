package io.weir.core.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Fuzz test of the URL normaliser and path mapping: whatever the request-target, the normalised
 * path is refused (null) or is an absolute path without dot segments, backslashes or control
 * characters, and resolving it under a site folder never leaves the folder. In {@code verify} it
 * runs once per input of the committed corpus; with {@code JAZZER_FUZZ=1} Jazzer generates inputs
 * (see docs/security.md).
 */
class UrlPathFuzzTest {

    private static final Path ROOT = Path.of("/srv/site").toAbsolutePath();

    @FuzzTest(maxDuration = "10s")
    void normalisedPathsNeverLeaveTheSiteRoot(FuzzedDataProvider data) {
        String target = data.consumeRemainingAsString();
        String[] parts = UrlPath.split(target);
        if (parts == null) {
            return;
        }
        String path = UrlPath.normalize(parts[0]);
        if (path == null) {
            return;
        }
        assertThat(path)
                .startsWith("/")
                .doesNotContain("\\")
                .doesNotContain("/../")
                .doesNotContain("/./")
                .doesNotEndWith("/..")
                .doesNotEndWith("/.");
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            assertThat(c < 0x20 || c == 0x7F)
                    .as("control character in %s", path)
                    .isFalse();
        }
        Path mapped;
        try {
            mapped = ROOT.resolve(path.substring(1)).normalize();
        } catch (InvalidPathException notAFileName) {
            return;
        }
        assertThat(mapped.startsWith(ROOT)).as("%s maps to %s", target, mapped).isTrue();
    }
}
