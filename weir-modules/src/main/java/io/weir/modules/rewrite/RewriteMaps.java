package io.weir.modules.rewrite;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code system.webServer/rewrite/rewriteMaps}: named maps used as {@code {MapName:key}} in
 * expressions. Keys are compared without case when the map's {@code ignoreCase} is true (the
 * default); a missing key gives the map's {@code defaultValue} ("" when absent). Immutable.
 *
 * @param maps the maps by lower-case name
 */
record RewriteMaps(Map<String, RewriteMap> maps) {

    /** Binds the section. */
    static final ConfigSectionType<RewriteMaps> SECTION =
            ConfigSectionType.of("system.webServer/rewrite/rewriteMaps", RewriteMaps::from);

    /** An empty set of maps. */
    static final RewriteMaps NONE = new RewriteMaps(Map.of());

    RewriteMaps {
        maps = Map.copyOf(maps);
    }

    /**
     * One map.
     *
     * @param name         its name
     * @param defaultValue the value of a missing key
     * @param ignoreCase   whether keys are compared without case
     * @param entries      the entries, keys lower-cased when ignoreCase
     */
    record RewriteMap(String name, String defaultValue, boolean ignoreCase, Map<String, String> entries) {

        /**
         * @param key the key
         * @return its value, or the default value
         */
        String lookup(String key) {
            String v = entries.get(ignoreCase ? key.toLowerCase(Locale.ROOT) : key);
            return v == null ? defaultValue : v;
        }
    }

    static RewriteMaps from(ConfigElement section) {
        Map<String, RewriteMap> maps = new HashMap<>();
        for (ConfigElement m : section.collection()) {
            boolean ignoreCase = m.booleanAttribute("ignoreCase", true);
            Map<String, String> entries = new HashMap<>();
            for (ConfigElement e : m.collection()) {
                String key = e.attribute("key").orElse("");
                entries.put(
                        ignoreCase ? key.toLowerCase(Locale.ROOT) : key,
                        e.attribute("value").orElse(""));
            }
            String name = m.attribute("name").orElse("").trim();
            maps.put(
                    name.toLowerCase(Locale.ROOT),
                    new RewriteMap(name, m.attribute("defaultValue").orElse(""), ignoreCase, Map.copyOf(entries)));
        }
        return new RewriteMaps(maps);
    }

    /**
     * Finds a map.
     *
     * @param name the name, any case
     * @return the map, or null
     */
    RewriteMap get(String name) {
        return maps.get(name.toLowerCase(Locale.ROOT));
    }
}
