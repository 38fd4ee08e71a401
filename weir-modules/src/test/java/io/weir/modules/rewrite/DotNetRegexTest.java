package io.weir.modules.rewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import org.junit.jupiter.api.Test;

/** The .NET pattern checks: what is translated, and what is refused with the construct named. */
class DotNetRegexTest {

    private static final ConfigSource AT = new ConfigSource("site/web.config", 12, 5);

    @Test
    void translatesConstructsJavaWritesAnotherWay() {
        assertThat(DotNetRegex.translate("(?'year'\\d{4})/\\k'year'", AT)).isEqualTo("(?<year>\\d{4})/\\k<year>");
        assertThat(DotNetRegex.translate("a\\vb", AT)).isEqualTo("a\\x0Bb");
        assertThat(DotNetRegex.translate("[a&&b]", AT)).isEqualTo("[a\\&\\&b]");
        assertThat(DotNetRegex.compile("[a&&b]+", false, AT).matcher("&&a").matches())
                .isTrue();
        assertThat(DotNetRegex.translate("^(\\w+)/(?<id>\\d+)$", AT)).isEqualTo("^(\\w+)/(?<id>\\d+)$");
    }

    @Test
    void refusesWhatWouldMatchDifferentlyNamingFileLineAndConstruct() {
        assertRefused("(?<open-close>x)", "balancing group");
        assertRefused("(?(a)b|c)", "conditional");
        assertRefused("(?n)(a)", "explicit capture");
        assertRefused("[a-z-[aeiou]]", "subtraction");
        assertRefused("a*+", "possessive");
        assertRefused("\\h", "\\h");
        assertRefused("(?<my_name>x)", "group name");
        assertRefused("(?<name>x)(y)", "unnamed group after a named group");
    }

    @Test
    void aMalformedPatternIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> DotNetRegex.compile("(abc", false, AT))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("site/web.config:12:5")
                .hasMessageContaining("not a valid regular expression");
    }

    private static void assertRefused(String pattern, String construct) {
        assertThatThrownBy(() -> DotNetRegex.translate(pattern, AT))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("site/web.config:12:5")
                .hasMessageContaining(construct);
    }
}
