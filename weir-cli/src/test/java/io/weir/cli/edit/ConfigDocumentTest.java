package io.weir.cli.edit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each edit replaces only its range and indents what it adds like the file does. */
class ConfigDocumentTest {

    private static ConfigDocument document(String text) {
        return new ConfigDocument(text, "\n");
    }

    @Test
    void appendingAfterTheLastChildKeepsTrailingCommentsAndFollowingCommentedEntries() {
        ConfigDocument doc = document("""
                <c>
                    <list>
                        <add name="a" />  <!-- first -->
                <!--        <add name="old" /> -->
                    </list>
                </c>
                """);
        doc.appendChild(doc.root().child("list").orElseThrow(), NewElement.of("add", "name", "b"));

        assertThat(doc.text()).isEqualTo("""
                <c>
                    <list>
                        <add name="a" />  <!-- first -->
                        <add name="b" />
                <!--        <add name="old" /> -->
                    </list>
                </c>
                """);
    }

    @Test
    void aSelfClosingParentIsOpenedAndAnEmptyOneGetsALineBeforeItsEndTag() {
        ConfigDocument doc = document("<c>\n\t<a x='1'/>\n\t<b>\n\t\t<!-- none -->\n\t</b>\n\t<d></d>\n</c>\n");
        doc.appendChild(doc.root().child("a").orElseThrow(), NewElement.of("add", "v", "1"));
        doc.appendChild(doc.root().child("b").orElseThrow(), NewElement.of("add", "v", "2"));
        doc.appendChild(doc.root().child("d").orElseThrow(), NewElement.of("add", "v", "3"));

        assertThat(doc.text())
                .isEqualTo("<c>\n\t<a x='1'>\n\t\t<add v=\"1\"/>\n\t</a>\n"
                        + "\t<b>\n\t\t<!-- none -->\n\t\t<add v=\"2\"/>\n\t</b>\n"
                        + "\t<d>\n\t\t<add v=\"3\"/>\n\t</d>\n</c>\n");
    }

    @Test
    void nestedNewElementsUseTheFilesIndentationStep() {
        ConfigDocument doc = document("<c>\n   <s>\n      <x />\n   </s>\n</c>\n");
        doc.appendChild(
                doc.root(),
                NewElement.of("location", "path", "S")
                        .with(NewElement.of("system.webServer")
                                .with(NewElement.of("modules").with(NewElement.of("add", "name", "M")))));

        assertThat(doc.text())
                .isEqualTo("<c>\n   <s>\n      <x />\n   </s>\n   <location path=\"S\">\n"
                        + "      <system.webServer>\n         <modules>\n            <add name=\"M\" />\n         </modules>\n"
                        + "      </system.webServer>\n   </location>\n</c>\n");
    }

    @Test
    void removingAnElementAloneOnItsLinesRemovesTheLinesOtherwiseOnlyTheElement() {
        ConfigDocument doc = document("<c>\n  <a>\n    <x/>\n  </a>\n  <b/><keep/>\n</c>\n");
        doc.remove(doc.root().child("a").orElseThrow());
        doc.remove(doc.root().child("b").orElseThrow());

        assertThat(doc.text()).isEqualTo("<c>\n  <keep/>\n</c>\n");
    }

    @Test
    void settingAnAttributeKeepsItsPlaceAndQuotesAndEscapesTheValue() {
        ConfigDocument doc = document("<c>\n  <a first='1'   second=\"2\" third='3'/>\n</c>\n");
        TextElement a = doc.root().child("a").orElseThrow();
        doc.setAttribute(a, "first", "it's <1> & \"2\"");
        doc.setAttribute(doc.root().child("a").orElseThrow(), "fourth", "a\"b");

        assertThat(doc.text())
                .isEqualTo("<c>\n  <a first='it&apos;s &lt;1> &amp; \"2\"'   second=\"2\" third='3'"
                        + " fourth=\"a&quot;b\"/>\n</c>\n");
        assertThat(doc.root().child("a").orElseThrow().value("first")).hasValue("it's <1> & \"2\"");
    }

    @Test
    void attributesWrittenOnePerLineGetTheNewOneOnItsOwnLine() {
        ConfigDocument doc = document("<c>\n  <a\n     x=\"1\"\n     y=\"2\" />\n</c>\n");
        doc.setAttribute(doc.root().child("a").orElseThrow(), "z", "3");

        assertThat(doc.text()).isEqualTo("<c>\n  <a\n     x=\"1\"\n     y=\"2\"\n     z=\"3\" />\n</c>\n");
    }

    @Test
    void aNewElementAfterSiblingsSeparatedByBlankLinesIsSeparatedToo() {
        ConfigDocument doc = document("<c>\n\n  <a />\n\n  <b />\n\n</c>\n");
        doc.appendChild(doc.root(), NewElement.of("d"));

        assertThat(doc.text()).isEqualTo("<c>\n\n  <a />\n\n  <b />\n\n  <d />\n\n</c>\n");
    }

    @Test
    void commentsCdataAndProcessingInstructionsAreNotElements() {
        ConfigDocument doc = document("<?xml version=\"1.0\"?>\n<!-- <fake/> -->\n<c><![CDATA[<no/>]]><?pi <x/>?>"
                + "<real a=\"&lt;&#65;\"/></c>");

        assertThat(doc.root().children()).extracting(TextElement::name).containsExactly("real");
        assertThat(doc.root().child("real").orElseThrow().value("a")).hasValue("<A");
    }
}
