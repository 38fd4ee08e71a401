package io.weir.config.xml;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads a configuration file (applicationHost.config, web.config) into an {@link XmlElement}
 * tree that keeps the file, line and column of every element and attribute, as IIS's 500.19
 * page names them. Uses the JDK's StAX parser with DTDs and external entities disabled, so a
 * file cannot make the server read other files or the network (XXE-safe). Names are kept as
 * written (no namespace processing), so {@code xmlns} and {@code xdt:Transform} attributes of
 * real web.config files come through as ordinary attributes.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigXmlReader {

    private ConfigXmlReader() {}

    /**
     * Reads a whole document and returns its root element.
     *
     * @param fileLabel how positions and messages name the file
     * @param in        the document; read to the end, not closed
     * @return the root element
     * @throws ConfigException when the input cannot be read or is not well-formed XML: the source
     *                         is the parser's file, line and column, the reason the parser's message
     */
    public static XmlElement read(String fileLabel, InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ConfigException(
                    new ConfigSource(fileLabel, 0, 0), "cannot read the configuration file: " + e.getMessage(), e);
        }
        return read(fileLabel, bytes);
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_COALESCING, Boolean.FALSE);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external entities are not allowed in configuration files (" + systemId + ")");
        });
        return factory;
    }

    private static XmlElement read(String fileLabel, byte[] bytes) {
        XMLStreamReader reader = null;
        Deque<Builder> open = new ArrayDeque<>();
        try {
            reader = newFactory().createXMLStreamReader(new ByteArrayInputStream(bytes));
            PositionIndex index = new PositionIndex(decode(bytes, reader));
            XmlElement root = null;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    open.push(startElement(fileLabel, reader, index));
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    XmlElement done = open.pop().build();
                    if (open.isEmpty()) {
                        root = done;
                    } else {
                        open.peek().children.add(done);
                    }
                }
            }
            if (root == null) {
                throw new ConfigException(new ConfigSource(fileLabel, 1, 1), "the file has no root element");
            }
            return root;
        } catch (XMLStreamException e) {
            throw malformed(fileLabel, e, open.peek());
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            // the JDK's parser throws unchecked exceptions on some malformed input (a bad character
            // in a DOCTYPE makes it look up a message that does not exist): still a malformed file
            int line = 0;
            int column = 0;
            if (reader != null) {
                try {
                    line = Math.max(0, reader.getLocation().getLineNumber());
                    column = Math.max(0, reader.getLocation().getColumnNumber());
                } catch (RuntimeException noLocation) {
                    // keep 0:0
                }
            }
            throw new ConfigException(
                    new ConfigSource(fileLabel, line, column),
                    "the file is not well-formed XML (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    e);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException ignored) {
                    // nothing was opened that needs closing
                }
            }
        }
    }

    private static Builder startElement(String fileLabel, XMLStreamReader reader, PositionIndex index) {
        String name = qualifiedName(reader.getPrefix(), reader.getLocalName());
        Location end = reader.getLocation();
        int tagStart = index.tagStartBefore(end.getLineNumber(), end.getColumnNumber(), name);
        ConfigSource elementSource =
                tagStart < 0 ? new ConfigSource(fileLabel, end.getLineNumber(), 0) : index.source(fileLabel, tagStart);
        Map<String, Integer> attributeOffsets = tagStart < 0 ? Map.of() : index.attributeOffsets(tagStart, name);
        Map<String, XmlAttribute> attributes = new LinkedHashMap<>();
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            String attributeName = qualifiedName(reader.getAttributePrefix(i), reader.getAttributeLocalName(i));
            Integer offset = attributeOffsets.get(attributeName);
            ConfigSource source = offset == null ? elementSource : index.source(fileLabel, offset);
            attributes.put(attributeName, new XmlAttribute(attributeName, reader.getAttributeValue(i), source));
        }
        for (int i = 0; i < reader.getNamespaceCount(); i++) {
            String prefix = reader.getNamespacePrefix(i);
            String attributeName = prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix;
            Integer offset = attributeOffsets.get(attributeName);
            ConfigSource source = offset == null ? elementSource : index.source(fileLabel, offset);
            attributes.putIfAbsent(attributeName, new XmlAttribute(attributeName, reader.getNamespaceURI(i), source));
        }
        return new Builder(name, elementSource, attributes);
    }

    private static String qualifiedName(String prefix, String localName) {
        return prefix == null || prefix.isEmpty() ? localName : prefix + ":" + localName;
    }

    /**
     * Turns the parser's error into a ConfigException. When the error is an element left open (a
     * mismatched end tag, or the end of the file reached inside an element), the parser notices it
     * only where it gives up, often far below; the error then points at the innermost element still
     * open, where the missing end tag (or {@code />}) belongs, and says where the parser stopped.
     */
    private static ConfigException malformed(String fileLabel, XMLStreamException e, Builder innermostOpen) {
        Location location = e.getLocation();
        int line = location == null ? 0 : Math.max(0, location.getLineNumber());
        int column = location == null ? 0 : Math.max(0, location.getColumnNumber());
        String message = e.getMessage() == null ? "malformed XML" : e.getMessage();
        int at = message.indexOf("Message: ");
        if (at >= 0) {
            message = message.substring(at + "Message: ".length());
        }
        message = message.strip();
        boolean leftOpen = message.contains("must be terminated by the matching end-tag")
                || message.contains("must start and end within the same entity");
        if (leftOpen && innermostOpen != null && innermostOpen.source.line() > 0) {
            return new ConfigException(
                    innermostOpen.source,
                    "malformed XML: the element <" + innermostOpen.name
                            + "> opened here is never closed (end it with </" + innermostOpen.name
                            + "> or />); the parser"
                            + " stopped at line " + line + ", column " + column + ": " + message,
                    e);
        }
        return new ConfigException(new ConfigSource(fileLabel, line, column), "malformed XML: " + message, e);
    }

    private static String decode(byte[] bytes, XMLStreamReader reader) {
        String encoding = reader.getEncoding();
        if (encoding == null) {
            encoding = reader.getCharacterEncodingScheme();
        }
        Charset charset = StandardCharsets.UTF_8;
        if (encoding != null) {
            try {
                charset = Charset.forName(encoding);
            } catch (IllegalArgumentException unknown) {
                charset = StandardCharsets.UTF_8;
            }
        }
        String text = new String(bytes, charset);
        return !text.isEmpty() && text.charAt(0) == '\uFEFF' ? text.substring(1) : text;
    }

    /** An element whose end tag has not been read yet. */
    private static final class Builder {
        private final String name;
        private final ConfigSource source;
        private final Map<String, XmlAttribute> attributes;
        private final List<XmlElement> children = new ArrayList<>();

        Builder(String name, ConfigSource source, Map<String, XmlAttribute> attributes) {
            this.name = name;
            this.source = source;
            this.attributes = attributes;
        }

        XmlElement build() {
            return new XmlElement(name, source, attributes, children);
        }
    }

    /**
     * Maps between character offsets and XML line/column (line ends are CR LF, CR or LF, as the
     * XML parser counts them), and finds start tags and attribute names in the decoded text.
     */
    private static final class PositionIndex {
        private final String text;
        private final int[] lineStarts;

        PositionIndex(String text) {
            this.text = text;
            List<Integer> starts = new ArrayList<>();
            starts.add(0);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\r') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    starts.add(i + 1);
                } else if (c == '\n') {
                    starts.add(i + 1);
                }
            }
            lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The offset of the {@code <} of the start tag that ends at (line, column); -1 if not found. */
        int tagStartBefore(int line, int column, String name) {
            if (line < 1 || line > lineStarts.length) {
                return -1;
            }
            int end = Math.min(text.length(), lineStarts[line - 1] + Math.max(column - 1, 0));
            // '<' cannot occur inside attribute values, so the last '<' before the end of a start
            // tag is the tag's own.
            for (int i = end - 1; i >= 0; i--) {
                if (text.charAt(i) == '<') {
                    return text.startsWith(name, i + 1) ? i : -1;
                }
            }
            return -1;
        }

        /** The offsets of the attribute names of the start tag at {@code tagStart}. */
        Map<String, Integer> attributeOffsets(int tagStart, String name) {
            Map<String, Integer> offsets = new HashMap<>();
            int i = tagStart + 1 + name.length();
            int n = text.length();
            while (i < n) {
                while (i < n && isXmlSpace(text.charAt(i))) {
                    i++;
                }
                if (i >= n || text.charAt(i) == '>' || text.charAt(i) == '/') {
                    break;
                }
                int nameStart = i;
                while (i < n && text.charAt(i) != '=' && !isXmlSpace(text.charAt(i))) {
                    i++;
                }
                String attributeName = text.substring(nameStart, i);
                while (i < n && (isXmlSpace(text.charAt(i)) || text.charAt(i) == '=')) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                char quote = text.charAt(i);
                int close = text.indexOf(quote, i + 1);
                if (close < 0) {
                    break;
                }
                offsets.putIfAbsent(attributeName, nameStart);
                i = close + 1;
            }
            return offsets;
        }

        ConfigSource source(String fileLabel, int offset) {
            int low = 0;
            int high = lineStarts.length - 1;
            while (low < high) {
                int mid = (low + high + 1) >>> 1;
                if (lineStarts[mid] <= offset) {
                    low = mid;
                } else {
                    high = mid - 1;
                }
            }
            return new ConfigSource(fileLabel, low + 1, offset - lineStarts[low] + 1);
        }

        private static boolean isXmlSpace(char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }
    }
}
