package io.weir.cli.inspect;

import io.weir.api.config.ConfigSource;
import io.weir.config.ApplicationHostConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The {@code <location path>} elements of a configuration file with where each is written, so that
 * {@code weir explain} can name every location that governs a URL. weir-config merges locations
 * at load time and does not expose them; this re-reads the file's top level only (a few
 * milliseconds), with the same path rules: {@code \} read as {@code /}, outer slashes dropped, the
 * first segment the site, the rest the URL; an empty path is the file's own (server-wide) level.
 *
 * @param tags the location elements, in file order
 */
public record LocationTags(List<Tag> tags) {

    /** Where the embedded default configuration lives in weir-config. */
    private static final String EMBEDDED_RESOURCE = "/io/weir/config/applicationHost.config";

    /**
     * One {@code <location>}.
     *
     * @param path     its {@code path}, normalized ("" for the whole server)
     * @param siteName the site part ("" for the whole server)
     * @param urlPath  the URL part without trailing '/' ("" for the whole site)
     * @param source   where it is written
     */
    public record Tag(String path, String siteName, String urlPath, ConfigSource source) {

        /**
         * Tells whether this location governs a URL of a site: same site (any case) and a URL
         * prefix on a segment boundary (any case), as weir-config merges them.
         *
         * @param site the site's name
         * @param url  the decoded, normalized URL path
         * @return true when covered
         */
        public boolean covers(String site, String url) {
            if (path.isEmpty()) {
                return true;
            }
            if (!siteName.equalsIgnoreCase(site)) {
                return false;
            }
            int length = urlPath.length();
            return length == 0
                    || url.length() >= length
                            && url.regionMatches(true, 0, urlPath, 0, length)
                            && (url.length() == length || url.charAt(length) == '/');
        }
    }

    /**
     * Reads the locations of a loaded configuration's file (the embedded default's resource for
     * {@link ApplicationHostConfig#EMBEDDED_LABEL}).
     *
     * @param config the configuration
     * @return its locations; empty when the file cannot be read again
     */
    public static LocationTags of(ApplicationHostConfig config) {
        String label = config.fileLabel();
        try (InputStream in = ApplicationHostConfig.EMBEDDED_LABEL.equals(label)
                ? ApplicationHostConfig.class.getResourceAsStream(EMBEDDED_RESOURCE)
                : Files.newInputStream(Path.of(label))) {
            return in == null ? new LocationTags(List.of()) : read(label, in);
        } catch (IOException | XMLStreamException | RuntimeException e) {
            return new LocationTags(List.of());
        }
    }

    private static LocationTags read(String label, InputStream in) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, Boolean.FALSE);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, Boolean.FALSE);
        XMLStreamReader reader = factory.createXMLStreamReader(in);
        List<Tag> tags = new ArrayList<>();
        int depth = 0;
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
                if (depth == 2 && reader.getLocalName().equals("location")) {
                    String path = normalize(reader.getAttributeValue(null, "path"));
                    int slash = path.indexOf('/');
                    String site = slash < 0 ? path : path.substring(0, slash);
                    String url = slash < 0 ? "" : path.substring(slash);
                    tags.add(new Tag(
                            path,
                            site,
                            url,
                            new ConfigSource(label, reader.getLocation().getLineNumber(), 0)));
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
        return new LocationTags(List.copyOf(tags));
    }

    private static String normalize(String raw) {
        String p = raw == null ? "" : raw.strip().replace('\\', '/');
        while (p.contains("//")) {
            p = p.replace("//", "/");
        }
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /**
     * The locations that govern a URL, in file order.
     *
     * @param site the site's name
     * @param url  the decoded, normalized URL path
     * @return the covering locations
     */
    public List<Tag> covering(String site, String url) {
        return tags.stream().filter(t -> t.covers(site, url)).toList();
    }
}
