package io.weir.modules.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.config.ConfigSource;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The literal-prefix check RulePattern makes before running a regular expression: the prefixes it
 * takes from {@code ^literal} and wildcard patterns, and, for every pattern and input below, the
 * same answer as the regular expression alone (so the check only ever skips certain failures).
 */
class RulePatternTest {

    private static final ConfigSource SOURCE = new ConfigSource("web.config", 1, 1);

    @Test
    void prefixesStopAtTheFirstMetacharacterOrQuantifiedCharacter() {
        assertThat(RulePattern.anchoredPrefix("^nomatch1/(.*)$")).isEqualTo("nomatch1/");
        assertThat(RulePattern.anchoredPrefix("^api\\.v2/x")).isEqualTo("api.v2/x");
        assertThat(RulePattern.anchoredPrefix("^abc?d")).isEqualTo("ab");
        assertThat(RulePattern.anchoredPrefix("^ab{2}")).isEqualTo("a");
        assertThat(RulePattern.anchoredPrefix("^a\\d")).isEqualTo("a");
        assertThat(RulePattern.anchoredPrefix("^a|b")).isEmpty();
        assertThat(RulePattern.anchoredPrefix("abc")).isEmpty();
        assertThat(RulePattern.anchoredPrefix("^(?i)abc")).isEmpty();
        assertThat(RulePattern.anchoredPrefix("^é")).isEmpty();
        assertThat(RulePattern.wildcardPrefix("blog/*/post?")).isEqualTo("blog/");
    }

    @Test
    void theCheckNeverChangesTheAnswer() {
        List<String> patterns = List.of(
                "^nomatch1/(.*)$",
                "^r/(.*)$",
                "^API\\.v2/(x+)",
                "^abc?d",
                "^ab{2}c",
                "^a\\d",
                "^a|b",
                "^(?i)Abc",
                "^k",
                "^s/",
                "^Files/",
                "^index\\.php$",
                "^-_~!@%&=:;,'\\\"<> x");
        List<String> inputs = List.of(
                "",
                "nomatch1/a",
                "NOMATCH1/a",
                "nomatch2/a",
                "r/",
                "r",
                "R/x",
                "api.v2/xx",
                "API.V2/x",
                "apiXv2/x",
                "abd",
                "abcd",
                "acd",
                "abbc",
                "abc",
                "a1",
                "ab",
                "b",
                "ABC",
                "\u212A",
                "K",
                "\u017F/",
                "S/",
                "files/a",
                "Files/a",
                "index.php",
                "INDEX.PHP",
                "-_~!@%&=:;,'\"<> x");
        for (boolean ignoreCase : new boolean[] {true, false}) {
            for (String p : patterns) {
                RulePattern rule = RulePattern.compile(p, RulePattern.Syntax.ECMASCRIPT, ignoreCase, SOURCE);
                Pattern plain = DotNetRegex.compile(p, ignoreCase, SOURCE);
                for (String in : inputs) {
                    Matcher m = plain.matcher(in);
                    assertThat(rule.match(in) != null)
                            .as("%s ~ %s (ignoreCase %s)", p, in, ignoreCase)
                            .isEqualTo(m.find());
                }
            }
            List<List<String>> wildcards = List.of(
                    List.of("files/*", "\\Qfiles/\\E(.*)"),
                    List.of("Files/*.png", "\\QFiles/\\E(.*)\\Q.png\\E"),
                    List.of("r/?x", "\\Qr/\\E.\\Qx\\E"),
                    List.of("*.php", "(.*)\\Q.php\\E"));
            for (List<String> w : wildcards) {
                RulePattern rule = RulePattern.compile(w.get(0), RulePattern.Syntax.WILDCARD, ignoreCase, SOURCE);
                Pattern plain = Pattern.compile(
                        w.get(1), Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
                for (String in : List.of("files/a", "FILES/a.png", "Files/b.png", "r/ax", "R/ax", "x.php", "f", "")) {
                    assertThat(rule.match(in) != null)
                            .as("%s ~ %s (ignoreCase %s)", w.get(0), in, ignoreCase)
                            .isEqualTo(plain.matcher(in).matches());
                }
            }
        }
    }
}
