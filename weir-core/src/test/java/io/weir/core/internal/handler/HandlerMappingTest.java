package io.weir.core.internal.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.api.http.RequireAccess;
import io.weir.api.http.ResourceType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Path-pattern and verb matching of handler mappings (docs/reference/configuration-system.md, "Module and handler sections"). */
class HandlerMappingTest {

    private static HandlerMapping mapping(String path, String... verbs) {
        return mapping(path, ResourceType.UNSPECIFIED, false, verbs);
    }

    private static HandlerMapping mapping(String path, ResourceType type, boolean allowPathInfo, String... verbs) {
        return new HandlerMapping(
                "m", path, List.of(verbs), List.of("X"), type, RequireAccess.NONE, "", allowPathInfo, 0, "");
    }

    @ParameterizedTest
    @CsvSource({
        // allowPathInfo="true": a file-name pattern matches the leftmost segment it fits, the rest is path information
        "*.php, true, /index.php/extra/path, /index.php",
        "*.php, true, /app/index.php/, /app/index.php",
        "*.php, true, /index.php, /index.php",
        "*.php, true, /a.php/b.php, /a.php",
        "*.PHP, true, /x/Doku.php/wiki:start, /x/Doku.php",
        "test.dll, true, /bin/test.dll/more, /bin/test.dll",
        "*.php, true, /index.phpx/extra, -",
        "*.php, true, /dir/file.txt, -",
        // without it only the whole path (its last segment) is matched
        "*.php, false, /index.php/extra/path, -",
        "*.php, false, /index.php, /index.php",
        // '*', '*.' and patterns with '/' never split: they match whole paths
        "*, true, /a/b/c, /a/b/c",
        "*., true, /dir/sub/x.txt, -",
        "*., true, /dir/sub/name, /dir/sub/name",
        "/api/*, true, /api/x/y, /api/x/y"
    })
    void allowPathInfoSplitsAtTheFirstSegmentThePatternMatches(
            String pattern, boolean allowPathInfo, String url, String script) {
        int end = mapping(pattern, ResourceType.UNSPECIFIED, allowPathInfo, "*").scriptEnd(url);
        assertThat(end < 0 ? "-" : url.substring(0, end)).isEqualTo(script);
    }

    @Test
    void theTableChecksResourceTypeOnTheScriptPartAndFallsThroughToLaterMappings() {
        HandlerTable table = new HandlerTable(List.of(
                mapping("*.php", ResourceType.FILE, true, "GET"), mapping("*", ResourceType.EITHER, false, "*")));
        List<String> asked = new ArrayList<>();
        HandlerFile file = new HandlerFile(false);
        var found = (HandlerTable.Match.Found) table.match("/index.php/a/b", "GET", url -> {
            asked.add(url);
            return Optional.of(file);
        });
        assertThat(found.mapping().path()).isEqualTo("*.php");
        assertThat(found.scriptEnd()).isEqualTo("/index.php".length());
        assertThat(found.resourceMissing()).isFalse();
        assertThat(asked).containsExactly("/index.php");

        var missing = (HandlerTable.Match.Found) table.match("/gone.php/a", "GET", url -> Optional.empty());
        assertThat(missing.resourceMissing()).isTrue();

        // a static file followed by more path: the catch-all mapping checks the whole path, which is not on disk
        var staticFile = (HandlerTable.Match.Found) table.match("/file.txt/extra", "GET", url -> Optional.empty());
        assertThat(staticFile.mapping().path()).isEqualTo("*");
        assertThat(staticFile.scriptEnd()).isEqualTo("/file.txt/extra".length());
        assertThat(staticFile.resourceMissing()).isTrue();

        // the verb is checked on the mapping whose path matched
        assertThat(table.match("/index.php/a", "POST", url -> Optional.of(file)))
                .isInstanceOf(HandlerTable.Match.Found.class)
                .extracting(m -> ((HandlerTable.Match.Found) m).mapping().path())
                .isEqualTo("*");
    }

    /** A file (or folder) as the handler table sees it. */
    private record HandlerFile(boolean isDirectory) implements HttpFileInfo {
        @Override
        public Path path() {
            return Path.of("/site/index.php");
        }

        @Override
        public long size() {
            return 0;
        }

        @Override
        public Instant lastModified() {
            return Instant.EPOCH;
        }

        @Override
        public String lastModifiedString() {
            return "";
        }

        @Override
        public String etag() {
            return "";
        }

        @Override
        public HttpModuleContextContainer moduleContextContainer() {
            throw new UnsupportedOperationException("the handler table never stores a context");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "*, /anything/at/all, true",
        "*, /, true",
        "*.html, /a/b.HTML, true",
        "*.html, /a/b.htm, false",
        "*.html, /a.html/b, false",
        "trace.axd, /x/Trace.axd, true",
        "trace.axd, /x/trace.axd.bak, false",
        "*ScriptResource.axd, /ScriptResource.axd, true",
        "*ScriptResource.axd, /MyScriptResource.axd, true",
        "*., /a/extensionless, true",
        "*., /a/has.ext, false",
        "*., /a/, false",
        "/api/*, /api/x, true",
        "/api/*, /other/x, false"
    })
    void matchesFileNameOrWholePath(String pattern, String url, boolean expected) {
        assertThat(mapping(pattern, "*").matchesPath(url)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"GET;GET, true", "GET;get, false", "GET|HEAD;HEAD, true", "*;PROPFIND, true", "GET|POST;PUT, false"})
    void matchesVerbsCaseSensitively(String spec, boolean expected) {
        String[] parts = spec.split(";");
        assertThat(mapping("*", parts[0].split("\\|")).matchesVerb(parts[1])).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "'', true",
        "integratedMode, true",
        "'integratedMode,bitness64', true",
        "classicMode, false",
        "'integratedMode,runtimeVersionv4.0', false",
        "bitness32, false",
        "managedHandler, false"
    })
    void preconditionsAsIntegrated64BitWithoutDotNet(String preCondition, boolean holds) {
        assertThat(HandlerTable.preConditionHolds(preCondition)).isEqualTo(holds);
    }
}
