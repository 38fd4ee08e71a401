package io.weir.modules.defaultdocument;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code system.webServer/defaultDocument} section, with IIS's defaults.
 *
 * @param enabled whether default documents are served, default true
 * @param files   the merged {@code <files>} collection ({@code <add value="..."/>}), in the order
 *                they are tried
 */
public record DefaultDocumentSection(boolean enabled, List<String> files) {

    /** Binds {@code system.webServer/defaultDocument}; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<DefaultDocumentSection> SECTION =
            ConfigSectionType.of("system.webServer/defaultDocument", DefaultDocumentSection::from);

    /**
     * Copies the list so the record stays immutable.
     *
     * @param enabled whether default documents are served
     * @param files   the file names, in order
     */
    public DefaultDocumentSection {
        files = List.copyOf(files);
    }

    /**
     * Binds the merged section element.
     *
     * @param section the merged {@code defaultDocument} element
     * @return the record
     * @throws ConfigException if an attribute is malformed or an item has no {@code value}
     */
    public static DefaultDocumentSection from(ConfigElement section) {
        List<String> files = new ArrayList<>();
        Optional<ConfigElement> filesElement = section.child("files");
        if (filesElement.isPresent()) {
            for (ConfigElement item : filesElement.get().collection()) {
                String value = item.attribute("value")
                        .orElseThrow(() -> new ConfigException(item.source(), "<files><add> needs a value"))
                        .trim();
                if (value.isEmpty() || value.contains("..") || value.startsWith("/") || value.indexOf('\\') >= 0) {
                    throw new ConfigException(
                            item.attributeSource("value"),
                            "default document '" + value + "' must be a relative file name without '..' or '\\'");
                }
                files.add(value);
            }
        }
        return new DefaultDocumentSection(section.booleanAttribute("enabled", true), files);
    }

    /**
     * Prints the section in its XML form.
     *
     * @return for example {@code <defaultDocument enabled="true"><files>index.html, ...</files></defaultDocument>}
     */
    @Override
    public String toString() {
        return "<defaultDocument enabled=\"" + enabled + "\"><files>" + String.join(", ", files)
                + "</files></defaultDocument>";
    }
}
