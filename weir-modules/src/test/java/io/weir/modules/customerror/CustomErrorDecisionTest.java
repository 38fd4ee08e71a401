package io.weir.modules.customerror;

import static io.weir.modules.customerror.CustomErrorModule.Action.CUSTOM;
import static io.weir.modules.customerror.CustomErrorModule.Action.DETAILED;
import static io.weir.modules.customerror.CustomErrorModule.Action.KEEP;
import static io.weir.modules.customerror.CustomErrorModule.Action.ONE_LINER;
import static io.weir.modules.customerror.HttpErrorsSection.ExistingResponse.AUTO;
import static io.weir.modules.customerror.HttpErrorsSection.ExistingResponse.PASS_THROUGH;
import static io.weir.modules.customerror.HttpErrorsSection.ExistingResponse.REPLACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.http.HttpStatus;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules of CustomErrorModule that need no socket: IIS's existingResponse table, who counts as
 * local, Accept-Language parsing and the pages' escaping. (The HTTP test covers them end to end.)
 */
class CustomErrorDecisionTest {

    @Test
    void autoFollowsIisOrderedConditions() {
        // 1. trySkipCustomErrors: passed through (a blank one gets the one-liner)
        assertThat(CustomErrorModule.decide(AUTO, true, true, true)).isEqualTo(KEEP);
        assertThat(CustomErrorModule.decide(AUTO, true, false, true)).isEqualTo(KEEP);
        assertThat(CustomErrorModule.decide(AUTO, true, false, false)).isEqualTo(ONE_LINER);
        // 2. custom mode: replaced
        assertThat(CustomErrorModule.decide(AUTO, false, false, true)).isEqualTo(CUSTOM);
        assertThat(CustomErrorModule.decide(AUTO, false, false, false)).isEqualTo(CUSTOM);
        // 3. and 4. detailed mode: an existing entity is kept, a blank one gets the detailed page
        assertThat(CustomErrorModule.decide(AUTO, false, true, true)).isEqualTo(KEEP);
        assertThat(CustomErrorModule.decide(AUTO, false, true, false)).isEqualTo(DETAILED);
    }

    @Test
    void replaceAlwaysReplacesAndPassThroughAlwaysKeeps() {
        for (boolean skip : new boolean[] {false, true}) {
            for (boolean entity : new boolean[] {false, true}) {
                assertThat(CustomErrorModule.decide(REPLACE, skip, true, entity))
                        .isEqualTo(DETAILED);
                assertThat(CustomErrorModule.decide(REPLACE, skip, false, entity))
                        .isEqualTo(CUSTOM);
                assertThat(CustomErrorModule.decide(PASS_THROUGH, skip, true, entity))
                        .isEqualTo(entity ? KEEP : ONE_LINER);
                assertThat(CustomErrorModule.decide(PASS_THROUGH, skip, false, entity))
                        .isEqualTo(entity ? KEEP : ONE_LINER);
            }
        }
    }

    @Test
    void onlyLoopbackClientsAreLocal() {
        assertThat(CustomErrorModule.isLocal(new InetSocketAddress("127.0.0.1", 1)))
                .isTrue();
        assertThat(CustomErrorModule.isLocal(new InetSocketAddress("127.8.9.10", 1)))
                .isTrue();
        assertThat(CustomErrorModule.isLocal(new InetSocketAddress("::1", 1))).isTrue();
        assertThat(CustomErrorModule.isLocal(new InetSocketAddress("192.0.2.7", 1)))
                .isFalse();
        assertThat(CustomErrorModule.isLocal(new InetSocketAddress("2001:db8::1", 1)))
                .isFalse();
        assertThat(CustomErrorModule.isLocal(InetSocketAddress.createUnresolved("localhost", 1)))
                .isFalse();
        assertThat(CustomErrorModule.isLocal(null)).isFalse();
    }

    @Test
    void acceptLanguageGivesWellFormedTagsByQuality() {
        assertThat(CustomErrorModule.languages(List.of("fr-ch, de-DE;q=0.8, en;q=0.9, *;q=0.1, it;q=0")))
                .containsExactly("fr-CH", "en", "de-DE");
        assertThat(CustomErrorModule.languages(List.of("../../etc, en-US/../x, ja-JP")))
                .containsExactly("ja-JP");
        assertThat(CustomErrorModule.languages(List.of("aa, bb, cc, dd, ee, ff, gg")))
                .hasSize(5);
        assertThat(CustomErrorModule.languages(List.of())).isEmpty();
    }

    @Test
    void pagesEscapeWhatTheyShowAndTheOneLinerTellsNoSubstatus() {
        String oneLiner = ErrorPages.oneLiner(new HttpStatus(404, 8, "<Not> Found"));
        assertThat(oneLiner)
                .contains("<h1>404 - &lt;Not&gt; Found</h1>")
                .doesNotContain("404.8")
                .doesNotContain("hidden segment");
        String detailed = ErrorPages.detailed(new ErrorPages.Detail(
                new HttpStatus(404, 8, "Not Found"),
                "",
                "M<o>dule",
                "BEGIN_REQUEST",
                "H",
                "",
                "http://x/\"'",
                "/p&q",
                "Anonymous",
                "Anonymous",
                "S",
                "http://more.example/?a=1"));
        assertThat(detailed)
                .contains("HTTP Error 404.8 - Not Found")
                .contains("hidden segment")
                .contains("<td>M&lt;o&gt;dule</td>")
                .contains("<td>http://x/&quot;&#39;</td>")
                .contains("<td>/p&amp;q</td>")
                .contains("<th>Error Code</th><td>None recorded</td>")
                .contains("href=\"http://more.example/?a=1&amp;status=404&amp;substatus=8\"");
    }
}
