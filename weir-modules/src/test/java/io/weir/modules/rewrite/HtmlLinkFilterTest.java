package io.weir.modules.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.http.DataChunk;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The body filter across sends: a tag cut by the end of a send is completed with the next one. */
class HtmlLinkFilterTest {

    private static HtmlLinkFilter upperCasingHrefs() {
        return new HtmlLinkFilter((tagAttribute, value) -> tagAttribute.equals("a href") ? value.toUpperCase() : null);
    }

    private static String send(HtmlLinkFilter filter, String text, boolean last) {
        return new String(filter.filter(List.of(DataChunk.ofUtf8(text)), last), StandardCharsets.UTF_8);
    }

    @Test
    void aTagSplitAcrossSendsIsHeldBackAndRewrittenWhole() {
        HtmlLinkFilter filter = upperCasingHrefs();
        String first = send(filter, "<p>one</p><a hr", false);
        String second = send(filter, "ef=\"/x/é\">x</a><a href='/y'", false);
        String third = send(filter, ">y</a>", true);
        assertThat(first).isEqualTo("<p>one</p>");
        assertThat(second).isEqualTo("<a href=\"/X/É\">x</a>");
        assertThat(third).isEqualTo("<a href='/Y'>y</a>");
    }

    @Test
    void theFinalSendFlushesAnUnfinishedTagUnchanged() {
        HtmlLinkFilter filter = upperCasingHrefs();
        assertThat(send(filter, "text <a href=\"/z", false)).isEqualTo("text ");
        assertThat(send(filter, "", true)).isEqualTo("<a href=\"/z");
    }

    @Test
    void commentsAndOtherTagsPassUntouched() {
        HtmlLinkFilter filter = upperCasingHrefs();
        assertThat(send(filter, "<!-- <a href=\"/c\"> --><img src=\"/i\"><a title=\"a>b\" href=/u>", true))
                .isEqualTo("<!-- <a href=\"/c\"> --><img src=\"/i\"><a title=\"a>b\" href=/U>");
    }
}
