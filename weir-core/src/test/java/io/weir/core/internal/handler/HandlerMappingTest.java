package io.weir.core.internal.handler;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.http.RequireAccess;
import io.weir.api.http.ResourceType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Path-pattern and verb matching of handler mappings (docs/reference/configuration-system.md, "Module and handler sections"). */
class HandlerMappingTest {

    private static HandlerMapping mapping(String path, String... verbs) {
        return new HandlerMapping(
                "m",
                path,
                List.of(verbs),
                List.of("X"),
                ResourceType.UNSPECIFIED,
                RequireAccess.NONE,
                "",
                false,
                0,
                "");
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
