package io.weir.modules.customerror;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code <mimeMap>} collection of {@code system.webServer/staticContent}, as CustomErrorModule
 * reads it to give a File-mode error page its {@code Content-Type} (the file's extension, looked up
 * as the static file handler looks it up; an extension the map lacks gets {@code text/html}, the
 * type of IIS's own error files).
 *
 * @param byExtension lower-cased extension with its dot, or IIS's {@code "."} and {@code "*"} keys, to MIME type
 */
record ContentTypes(Map<String, String> byExtension) {

    /** Binds {@code system.webServer/staticContent}; one instance (the server caches per instance). */
    static final ConfigSectionType<ContentTypes> SECTION =
            ConfigSectionType.of("system.webServer/staticContent", ContentTypes::from);

    /** The type of a File-mode page whose extension is not mapped. */
    static final String FALLBACK = "text/html";

    ContentTypes {
        byExtension = Map.copyOf(byExtension);
    }

    static ContentTypes from(ConfigElement section) {
        Map<String, String> map = new HashMap<>();
        for (ConfigElement item : section.collection()) {
            String ext = item.stringAttribute("fileExtension", "").strip().toLowerCase(Locale.ROOT);
            String type = item.stringAttribute("mimeType", "").strip();
            if (!ext.isEmpty() && !type.isEmpty()) {
                map.put(ext, type);
            }
        }
        return new ContentTypes(map);
    }

    /**
     * Returns the type of a file name.
     *
     * @param fileName the last segment of the path
     * @return the mapped type, else the {@code "*"} entry, else {@link #FALLBACK}
     */
    String forFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "." : fileName.substring(dot).toLowerCase(Locale.ROOT);
        String type = byExtension.get(ext);
        if (type == null) {
            type = byExtension.getOrDefault("*", FALLBACK);
        }
        return type;
    }
}
