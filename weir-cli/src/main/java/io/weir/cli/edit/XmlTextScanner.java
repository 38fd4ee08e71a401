package io.weir.cli.edit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A minimal XML scanner that records where every element and attribute is written, as character
 * offsets in the text, so that an edit can replace exact ranges and leave every other character as
 * it was. It reads elements, attributes, comments, processing instructions, CDATA sections and a
 * DOCTYPE (skipped, internal subset included); text is skipped. It does not validate: the file has
 * been read by the configuration's real XML parser first, which refuses malformed files with file,
 * line and reason.
 *
 * <p>Stateless and thread-safe.
 */
public final class XmlTextScanner {

    private XmlTextScanner() {}

    /**
     * Scans a document.
     *
     * @param text the document's text, without a byte order mark
     * @return the root element
     * @throws IllegalArgumentException when the text is not a document this scanner can follow
     *                                  (an unclosed tag, comment or element, or no root)
     */
    public static TextElement scan(String text) {
        Deque<TextElement> open = new ArrayDeque<>();
        TextElement root = null;
        int n = text.length();
        int i = 0;
        while (true) {
            int lt = text.indexOf('<', i);
            if (lt < 0) {
                break;
            }
            if (text.startsWith("<!--", lt)) {
                i = after(text, "-->", lt + 4, "comment");
            } else if (text.startsWith("<![CDATA[", lt)) {
                i = after(text, "]]>", lt + 9, "CDATA section");
            } else if (text.startsWith("<?", lt)) {
                i = after(text, "?>", lt + 2, "processing instruction");
            } else if (text.startsWith("<!", lt)) {
                i = skipDeclaration(text, lt);
            } else if (text.startsWith("</", lt)) {
                int gt = text.indexOf('>', lt);
                if (gt < 0) {
                    throw new IllegalArgumentException("unclosed end tag at offset " + lt);
                }
                String name = text.substring(lt + 2, gt).strip();
                TextElement element = open.poll();
                if (element == null || !element.name().equals(name)) {
                    throw new IllegalArgumentException("end tag </" + name + "> at offset " + lt + " does not close "
                            + (element == null ? "any element" : "<" + element.name() + ">"));
                }
                element.close(lt, gt + 1);
                if (open.isEmpty()) {
                    root = element;
                }
                i = gt + 1;
            } else {
                i = startTag(text, lt, open);
                TextElement element = open.peek();
                if (element != null && element.selfClosing() && element.start() == lt) {
                    open.pop();
                    if (open.isEmpty()) {
                        root = element;
                    }
                }
            }
            if (i > n) {
                break;
            }
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException("<" + open.peek().name() + "> is never closed");
        }
        if (root == null) {
            throw new IllegalArgumentException("the document has no root element");
        }
        return root;
    }

    /** Reads a start tag at {@code lt}, pushes its element, and returns the offset after it. */
    private static int startTag(String text, int lt, Deque<TextElement> open) {
        int n = text.length();
        int i = lt + 1;
        int nameStart = i;
        while (i < n && !isSpace(text.charAt(i)) && text.charAt(i) != '>' && text.charAt(i) != '/') {
            i++;
        }
        String name = text.substring(nameStart, i);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a '<' without an element name at offset " + lt);
        }
        List<TextElement.TextAttribute> attributes = new ArrayList<>();
        while (true) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                throw new IllegalArgumentException("unclosed start tag <" + name + " at offset " + lt);
            }
            char c = text.charAt(i);
            if (c == '>' || (c == '/' && i + 1 < n && text.charAt(i + 1) == '>')) {
                boolean selfClosing = c == '/';
                int tagEnd = selfClosing ? i + 2 : i + 1;
                TextElement parent = open.peek();
                TextElement element = new TextElement(name, lt, attributes, parent);
                element.closeStartTag(tagEnd, selfClosing);
                if (parent != null) {
                    parent.addChild(element);
                }
                open.push(element);
                return tagEnd;
            }
            int attributeStart = i;
            while (i < n && text.charAt(i) != '=' && !isSpace(text.charAt(i)) && text.charAt(i) != '>') {
                i++;
            }
            String attributeName = text.substring(attributeStart, i);
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            if (i >= n || text.charAt(i) != '=') {
                throw new IllegalArgumentException("attribute " + attributeName + " of <" + name + "> at offset "
                        + attributeStart + " has no value");
            }
            i++;
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            char quote = i < n ? text.charAt(i) : 0;
            if (quote != '"' && quote != '\'') {
                throw new IllegalArgumentException("attribute " + attributeName + " of <" + name + "> at offset "
                        + attributeStart + " is not quoted");
            }
            int close = text.indexOf(quote, i + 1);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed value of attribute " + attributeName);
            }
            attributes.add(new TextElement.TextAttribute(
                    attributeName, attributeStart, i + 1, close, quote, XmlText.decode(text.substring(i + 1, close))));
            i = close + 1;
        }
    }

    private static int after(String text, String terminator, int from, String what) {
        int at = text.indexOf(terminator, from);
        if (at < 0) {
            throw new IllegalArgumentException("unclosed " + what + " at offset " + from);
        }
        return at + terminator.length();
    }

    /** Skips {@code <!DOCTYPE ...>}, including an internal subset in brackets. */
    private static int skipDeclaration(String text, int lt) {
        int depth = 0;
        char quote = 0;
        for (int i = lt + 2; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '>' && depth <= 0) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unclosed declaration at offset " + lt);
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
