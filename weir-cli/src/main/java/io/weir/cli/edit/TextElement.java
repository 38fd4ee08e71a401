package io.weir.cli.edit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One element of a configuration file as it is written: its name, the character ranges of its
 * start tag, end tag and attributes in the file's text, and its child elements. Produced by
 * {@link XmlTextScanner}; the offsets are valid for the text scanned and for no other, so a
 * {@link ConfigDocument} scans again after every edit.
 */
public final class TextElement {

    private final String name;
    private final int start;
    private final List<TextAttribute> attributes;
    private final List<TextElement> children = new ArrayList<>();
    private final TextElement parent;
    private int startTagEnd;
    private boolean selfClosing;
    private int endTagStart;
    private int end;

    TextElement(String name, int start, List<TextAttribute> attributes, TextElement parent) {
        this.name = name;
        this.start = start;
        this.attributes = List.copyOf(attributes);
        this.parent = parent;
    }

    void closeStartTag(int startTagEnd, boolean selfClosing) {
        this.startTagEnd = startTagEnd;
        this.selfClosing = selfClosing;
        if (selfClosing) {
            this.endTagStart = startTagEnd;
            this.end = startTagEnd;
        }
    }

    void close(int endTagStart, int end) {
        this.endTagStart = endTagStart;
        this.end = end;
    }

    void addChild(TextElement child) {
        children.add(child);
    }

    /** @return the element's name as written, for example {@code "add"} */
    public String name() {
        return name;
    }

    /** @return the offset of the start tag's {@code <} */
    public int start() {
        return start;
    }

    /** @return the offset just after the start tag's {@code >} */
    public int startTagEnd() {
        return startTagEnd;
    }

    /** @return whether the element is written {@code <name ... />} */
    public boolean selfClosing() {
        return selfClosing;
    }

    /** @return the offset of the end tag's {@code <}, or {@link #end()} for a self-closing element */
    public int endTagStart() {
        return endTagStart;
    }

    /** @return the offset just after the element (after the end tag's {@code >}) */
    public int end() {
        return end;
    }

    /** @return the attributes in document order */
    public List<TextAttribute> attributes() {
        return attributes;
    }

    /** @return the child elements in document order */
    public List<TextElement> children() {
        return Collections.unmodifiableList(children);
    }

    /** @return the parent element, or null for the root */
    public TextElement parent() {
        return parent;
    }

    /**
     * Finds an attribute.
     *
     * @param attributeName the name (case-sensitive, as IIS compares attribute names)
     * @return the attribute, or empty when the element does not set it
     */
    public Optional<TextAttribute> attribute(String attributeName) {
        return attributes.stream().filter(a -> a.name().equals(attributeName)).findFirst();
    }

    /**
     * Returns an attribute's decoded value.
     *
     * @param attributeName the name
     * @return the value with entity and character references decoded, or empty when absent
     */
    public Optional<String> value(String attributeName) {
        return attribute(attributeName).map(TextAttribute::value);
    }

    /**
     * Returns the child elements of one name.
     *
     * @param childName the name
     * @return the children of that name, in order; empty when none
     */
    public List<TextElement> children(String childName) {
        return children.stream().filter(c -> c.name.equals(childName)).toList();
    }

    /**
     * Returns the first child element of one name.
     *
     * @param childName the name
     * @return the child, or empty when none
     */
    public Optional<TextElement> child(String childName) {
        return children.stream().filter(c -> c.name.equals(childName)).findFirst();
    }

    @Override
    public String toString() {
        return "<" + name + "> at " + start;
    }

    /**
     * One attribute as written.
     *
     * @param name       the attribute's name
     * @param nameStart  the offset of its name
     * @param valueStart the offset just after the opening quote
     * @param valueEnd   the offset of the closing quote
     * @param quote      the quote character used, {@code "} or {@code '}
     * @param value      the value with references decoded
     */
    public record TextAttribute(String name, int nameStart, int valueStart, int valueEnd, char quote, String value) {}
}
