package io.weir.config;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSource;
import io.weir.config.xml.XmlElement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A merged section set by a level below the site root: the merged element plus the URL path of
 * the deepest level that wrote it ({@link ConfigElement#locationPath()}), and, for each item of the
 * section's collection added by a level below the site root, that level's URL path (URL Rewrite
 * matches a distributed rule against the URL relative to the level that defines it). Every other
 * call goes to the merged element. Immutable and thread-safe.
 */
final class LocatedElement implements ConfigElement {

    private final ConfigElement merged;
    private final String locationPath;
    private final List<ConfigElement> items;

    /**
     * @param merged       the merged section
     * @param locationPath the URL path below the site of the deepest level that wrote it, e.g. {@code "/old"}
     */
    LocatedElement(ConfigElement merged, String locationPath) {
        this(merged, locationPath, Map.of());
    }

    /**
     * @param merged       the merged section
     * @param locationPath the URL path below the site of the deepest level that wrote it ("" for the site)
     * @param itemPaths    the URL path of the level that wrote each collection item, by the item's
     *                     position; items not listed are at "" (the site or the server)
     */
    LocatedElement(ConfigElement merged, String locationPath, Map<ConfigSource, String> itemPaths) {
        this.merged = merged;
        this.locationPath = locationPath;
        this.items = itemPaths.isEmpty()
                ? null
                : merged.collection().stream()
                        .map(item -> itemPaths.containsKey(item.source())
                                ? (ConfigElement) new LocatedElement(item, itemPaths.get(item.source()))
                                : item)
                        .toList();
    }

    /**
     * Finds, for each direct collection item written by a level below the site root, that level's
     * URL path.
     *
     * @param section the section's name
     * @param writers the levels that wrote it, outermost first
     * @return the paths by the item's start-tag position; empty when every writer is at the site or server
     */
    static Map<ConfigSource, String> itemPaths(String section, List<ConfigLevel> writers) {
        Map<ConfigSource, String> paths = null;
        for (ConfigLevel level : writers) {
            if (level.serverWide() || level.urlPath().isEmpty()) {
                continue;
            }
            for (XmlElement child : level.sections().get(section).children()) {
                if (paths == null) {
                    paths = new HashMap<>();
                }
                paths.put(child.source(), level.urlPath());
            }
        }
        return paths == null ? Map.of() : paths;
    }

    @Override
    public String locationPath() {
        return locationPath;
    }

    @Override
    public String elementName() {
        return merged.elementName();
    }

    @Override
    public ConfigSource source() {
        return merged.source();
    }

    @Override
    public Map<String, String> attributes() {
        return merged.attributes();
    }

    @Override
    public Optional<String> attribute(String name) {
        return merged.attribute(name);
    }

    @Override
    public ConfigSource attributeSource(String name) {
        return merged.attributeSource(name);
    }

    @Override
    public String stringAttribute(String name, String defaultValue) {
        return merged.stringAttribute(name, defaultValue);
    }

    @Override
    public boolean booleanAttribute(String name, boolean defaultValue) {
        return merged.booleanAttribute(name, defaultValue);
    }

    @Override
    public long longAttribute(String name, long defaultValue) {
        return merged.longAttribute(name, defaultValue);
    }

    @Override
    public <E extends Enum<E>> E enumAttribute(String name, Class<E> type, E defaultValue) {
        return merged.enumAttribute(name, type, defaultValue);
    }

    @Override
    public Duration timeSpanAttribute(String name, Duration defaultValue) {
        return merged.timeSpanAttribute(name, defaultValue);
    }

    @Override
    public Optional<ConfigElement> child(String name) {
        return merged.child(name);
    }

    @Override
    public List<ConfigElement> collection() {
        return items == null ? merged.collection() : items;
    }

    @Override
    public String toString() {
        return merged + " @" + locationPath;
    }
}
