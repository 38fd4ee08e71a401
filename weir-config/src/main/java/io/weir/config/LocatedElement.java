package io.weir.config;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A merged section set by a {@code <location>} below the site root: the merged element plus the
 * URL path of the deepest level that wrote it ({@link ConfigElement#locationPath()}). Every other
 * call goes to the merged element. Immutable and thread-safe.
 */
final class LocatedElement implements ConfigElement {

    private final ConfigElement merged;
    private final String locationPath;

    /**
     * @param merged       the merged section
     * @param locationPath the URL path below the site of the deepest level that wrote it, e.g. {@code "/old"}
     */
    LocatedElement(ConfigElement merged, String locationPath) {
        this.merged = merged;
        this.locationPath = locationPath;
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
        return merged.collection();
    }

    @Override
    public String toString() {
        return merged + " @" + locationPath;
    }
}
