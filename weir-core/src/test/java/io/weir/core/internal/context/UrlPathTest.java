package io.weir.core.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UrlPathTest {

    @ParameterizedTest
    @CsvSource({
        "/, /",
        "/a/b.html, /a/b.html",
        "/a//b, /a/b",
        "/a/./b, /a/b",
        "/a/../b, /b",
        "/a/b/.., /a/",
        "/a%20b, /a b",
        "/caf%C3%A9, /café",
        "/a\\b, /a/b",
        "/a/, /a/",
        "/x/%2e%2e/y, /y"
    })
    void normalizesLikeHttpSys(String raw, String expected) {
        assertThat(UrlPath.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/..",
                "/../etc/passwd",
                "/a/../../b",
                "/%2e%2e/",
                "/a%00b",
                "/%zz",
                "/%",
                "/%C3%28",
                "/a%01b",
                "/a%1fb",
                "/a%7fb",
                "/..%5c..%5cwindows"
            })
    void refusesWhatWouldEscapeOrIsMalformed(String raw) {
        assertThat(UrlPath.normalize(raw)).isNull();
    }

    @Test
    void splitsOriginAndAbsoluteForm() {
        assertThat(UrlPath.split("/a?b=1&c")).containsExactly("/a", "b=1&c");
        assertThat(UrlPath.split("/a")).containsExactly("/a", "");
        assertThat(UrlPath.split("http://example.com/x/y?z")).containsExactly("/x/y", "z");
        assertThat(UrlPath.split("http://example.com")).containsExactly("/", "");
        assertThat(UrlPath.split("*")).isNull();
    }

    @Test
    void plainPathIsReturnedAsIs() {
        String raw = "/static/1k.bin";
        assertThat(UrlPath.normalize(raw)).isSameAs(raw);
    }
}
