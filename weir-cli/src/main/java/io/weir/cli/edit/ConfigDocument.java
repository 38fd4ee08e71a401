package io.weir.cli.edit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A configuration file's text with edits that touch only what they change: inserting an element,
 * removing one, setting an attribute. Every edit replaces one exact range of characters and leaves
 * the rest of the text (comments, attribute order, quoting, indentation, blank lines, other
 * elements) as it was. New elements are indented like their siblings (or one step deeper than their
 * parent, with the indentation step the file uses), end their lines with the file's line ending and
 * are written in the file's self-closing style ({@code " />"} or {@code "/>"}).
 *
 * <p>The element tree is scanned again after each edit, so an element obtained before an edit must
 * be looked up again after it. Not thread-safe.
 */
public final class ConfigDocument {

    private final String lineEnd;
    private String text;
    private TextElement root;
    private String indentUnit;
    private String selfClose;

    /**
     * @param text    the file's text (without BOM)
     * @param lineEnd the line ending new lines get
     * @throws IllegalArgumentException when the text cannot be scanned
     */
    public ConfigDocument(String text, String lineEnd) {
        this.text = text;
        this.lineEnd = lineEnd;
        this.root = XmlTextScanner.scan(text);
        this.indentUnit = detectIndentUnit();
        this.selfClose = detectSelfClose();
    }

    /** @return the current text */
    public String text() {
        return text;
    }

    /** @return the root element of the current text */
    public TextElement root() {
        return root;
    }

    /**
     * Returns the elements of the current text that satisfy a condition, in document order.
     *
     * @param condition the condition
     * @return the elements; empty when none
     */
    public List<TextElement> findAll(Predicate<TextElement> condition) {
        List<TextElement> found = new ArrayList<>();
        collect(root, condition, found);
        return found;
    }

    /**
     * Returns the 1-based line of an offset, for messages.
     *
     * @param offset a character offset
     * @return the line number
     */
    public int lineOf(int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
            }
        }
        return line;
    }

    /**
     * Inserts an element as the last child element of {@code parent} (after any comments that
     * follow the last child on its line). A self-closing parent is opened; an empty one gets the
     * element on a line of its own before its end tag. When the parent's last two children are
     * separated by a blank line, the new element is too.
     *
     * @param parent  the parent
     * @param element the element to insert
     */
    public void appendChild(TextElement parent, NewElement element) {
        String indent = childIndent(parent);
        String serialized = serialize(element, indent);
        List<TextElement> children = parent.children();
        if (!children.isEmpty()) {
            TextElement last = children.get(children.size() - 1);
            String separator = lineEnd;
            if (children.size() > 1
                    && blankLineBetween(children.get(children.size() - 2).end(), last.start())) {
                separator += lineEnd;
            }
            int at = endOfLineContent(last.end());
            splice(at, at, separator + indent + serialized);
        } else if (!parent.selfClosing()) {
            int endTag = parent.endTagStart();
            if (lineIndent(endTag) != null) {
                int at = lineStart(endTag);
                splice(at, at, indent + serialized + lineEnd);
            } else {
                splice(endTag, endTag, lineEnd + indent + serialized + lineEnd + lineIndentOrPrefix(parent.start()));
            }
        } else {
            int slash = parent.startTagEnd() - 2;
            int from = slash;
            while (from > parent.start() && XmlTextScanner.isSpace(text.charAt(from - 1))) {
                from--;
            }
            splice(
                    from,
                    parent.end(),
                    ">" + lineEnd + indent + serialized + lineEnd + lineIndentOrPrefix(parent.start()) + "</"
                            + parent.name() + ">");
        }
    }

    /**
     * Inserts an element just after a sibling, on a line of its own indented like the sibling
     * (after any comments that follow the sibling on its line).
     *
     * @param sibling the element the new one goes after
     * @param element the element to insert
     */
    public void insertAfter(TextElement sibling, NewElement element) {
        String indent = lineIndentOrPrefix(sibling.start());
        int at = endOfLineContent(sibling.end());
        splice(at, at, lineEnd + indent + serialize(element, indent));
    }

    /**
     * Inserts an element just before a sibling, on its own line with the sibling's indentation
     * when the sibling starts its line.
     *
     * @param sibling the element the new one goes before
     * @param element the element to insert
     */
    public void insertBefore(TextElement sibling, NewElement element) {
        String indent = lineIndent(sibling.start());
        if (indent != null) {
            int at = lineStart(sibling.start());
            splice(at, at, indent + serialize(element, indent) + lineEnd);
        } else {
            String prefix = lineIndentOrPrefix(sibling.start());
            splice(sibling.start(), sibling.start(), serialize(element, prefix) + " ");
        }
    }

    /**
     * Removes an element. When it is alone on its line(s) the whole lines go, line ending included;
     * otherwise only the element's characters.
     *
     * @param element the element
     */
    public void remove(TextElement element) {
        int from = element.start();
        int to = element.end();
        if (lineIndent(from) != null) {
            int lineEndAt = to;
            while (lineEndAt < text.length() && (text.charAt(lineEndAt) == ' ' || text.charAt(lineEndAt) == '\t')) {
                lineEndAt++;
            }
            if (lineEndAt == text.length() || text.charAt(lineEndAt) == '\r' || text.charAt(lineEndAt) == '\n') {
                from = lineStart(from);
                to = lineEndAt;
                if (to < text.length() && text.charAt(to) == '\r') {
                    to++;
                }
                if (to < text.length() && text.charAt(to) == '\n') {
                    to++;
                }
            }
        }
        splice(from, to, "");
    }

    /**
     * Sets an attribute. An attribute that is written keeps its place and quote character and gets
     * the new value; a new one is added after the last attribute (on a line of its own, indented
     * like the last one, when the element writes its attributes one per line).
     *
     * @param element the element
     * @param name    the attribute's name
     * @param value   the value (escaped when written)
     */
    public void setAttribute(TextElement element, String name, String value) {
        Optional<TextElement.TextAttribute> existing = element.attribute(name);
        if (existing.isPresent()) {
            TextElement.TextAttribute attribute = existing.get();
            splice(attribute.valueStart(), attribute.valueEnd(), XmlText.escape(value, attribute.quote()));
            return;
        }
        String written = name + "=\"" + XmlText.escape(value, '"') + "\"";
        List<TextElement.TextAttribute> attributes = element.attributes();
        if (attributes.isEmpty()) {
            int at = element.start() + 1 + element.name().length();
            splice(at, at, " " + written);
            return;
        }
        TextElement.TextAttribute last = attributes.get(attributes.size() - 1);
        int at = last.valueEnd() + 1;
        String lastIndent = lineIndent(last.nameStart());
        boolean onePerLine = lastIndent != null && lineStart(last.nameStart()) != lineStart(element.start());
        splice(at, at, onePerLine ? lineEnd + lastIndent + written : " " + written);
    }

    /**
     * Removes an attribute with the white space before it.
     *
     * @param element the element
     * @param name    the attribute's name; nothing happens when the element does not set it
     */
    public void removeAttribute(TextElement element, String name) {
        Optional<TextElement.TextAttribute> existing = element.attribute(name);
        if (existing.isEmpty()) {
            return;
        }
        TextElement.TextAttribute attribute = existing.get();
        int from = attribute.nameStart();
        while (from > 0 && XmlTextScanner.isSpace(text.charAt(from - 1))) {
            from--;
        }
        splice(from, attribute.valueEnd() + 1, "");
    }

    /**
     * Writes an element as it would be inserted at an indentation: on one line when it has no
     * children, else one child per line, each one indentation step deeper.
     *
     * @param element the element
     * @param indent  the indentation of the element's own line (not written before the first line)
     * @return the text
     */
    public String serialize(NewElement element, String indent) {
        StringBuilder out = new StringBuilder("<").append(element.name());
        element.attributes().forEach((name, value) -> out.append(' ')
                .append(name)
                .append("=\"")
                .append(XmlText.escape(value, '"'))
                .append('"'));
        if (element.children().isEmpty()) {
            return out.append(selfClose).toString();
        }
        out.append('>');
        String inner = indent + indentUnit;
        for (NewElement child : element.children()) {
            out.append(lineEnd).append(inner).append(serialize(child, inner));
        }
        return out.append(lineEnd)
                .append(indent)
                .append("</")
                .append(element.name())
                .append('>')
                .toString();
    }

    private void splice(int from, int to, String replacement) {
        text = text.substring(0, from) + replacement + text.substring(to);
        root = XmlTextScanner.scan(text);
    }

    private static void collect(TextElement element, Predicate<TextElement> condition, List<TextElement> found) {
        if (condition.test(element)) {
            found.add(element);
        }
        for (TextElement child : element.children()) {
            collect(child, condition, found);
        }
    }

    /** The indentation a new child of {@code parent} gets. */
    private String childIndent(TextElement parent) {
        List<TextElement> children = parent.children();
        for (int i = children.size() - 1; i >= 0; i--) {
            String indent = lineIndent(children.get(i).start());
            if (indent != null) {
                return indent;
            }
        }
        return lineIndentOrPrefix(parent.start()) + indentUnit;
    }

    /** The white space between the start of the line and {@code offset}, or null when anything else is there. */
    private String lineIndent(int offset) {
        int start = lineStart(offset);
        for (int i = start; i < offset; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t') {
                return null;
            }
        }
        return text.substring(start, offset);
    }

    /** The white space at the start of the line holding {@code offset}. */
    private String lineIndentOrPrefix(int offset) {
        int start = lineStart(offset);
        int i = start;
        while (i < offset && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return text.substring(start, i);
    }

    private int lineStart(int offset) {
        int i = offset;
        while (i > 0 && text.charAt(i - 1) != '\n' && text.charAt(i - 1) != '\r') {
            i--;
        }
        return i;
    }

    /**
     * Where to insert after an element: the end of its line when only white space and complete
     * comments follow it there, else right after it.
     */
    private int endOfLineContent(int offset) {
        int i = offset;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
            if (c == ' ' || c == '\t') {
                i++;
            } else if (text.startsWith("<!--", i)) {
                int close = text.indexOf("-->", i + 4);
                if (close < 0 || containsLineBreak(i, close)) {
                    return offset;
                }
                i = close + 3;
            } else {
                return offset;
            }
        }
        return i;
    }

    private boolean containsLineBreak(int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n' || text.charAt(i) == '\r') {
                return true;
            }
        }
        return false;
    }

    private boolean blankLineBetween(int from, int to) {
        int breaks = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= to || text.charAt(i + 1) != '\n'))) {
                breaks++;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                breaks = 0;
            }
            if (breaks >= 2) {
                return true;
            }
        }
        return false;
    }

    /**
     * The indentation step of the file: the most frequent difference between the indentation of an
     * element and of its parent, each alone at the start of its line; two spaces when none is found.
     */
    private String detectIndentUnit() {
        Map<String, Integer> counts = new HashMap<>();
        for (TextElement element : findAll(e -> e.parent() != null)) {
            String own = lineIndent(element.start());
            String parent = lineIndent(element.parent().start());
            if (own != null && parent != null && own.length() > parent.length() && own.startsWith(parent)) {
                counts.merge(own.substring(parent.length()), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue()
                        .thenComparing(e -> -e.getKey().length()))
                .map(Map.Entry::getKey)
                .orElse("  ");
    }

    /** {@code " />"} unless most self-closing tags of the file are written {@code "/>"}. */
    private String detectSelfClose() {
        int spaced = 0;
        int tight = 0;
        for (TextElement element : findAll(TextElement::selfClosing)) {
            int slash = element.startTagEnd() - 2;
            if (slash > 0 && XmlTextScanner.isSpace(text.charAt(slash - 1))) {
                spaced++;
            } else {
                tight++;
            }
        }
        return tight > spaced ? "/>" : " />";
    }
}
