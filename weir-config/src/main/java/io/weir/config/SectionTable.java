package io.weir.config;

import io.weir.api.config.ConfigElement;
import io.weir.config.merge.MergedElement;
import java.util.Map;

/**
 * The {@link EffectiveConfig} of one set of configuration levels: each implemented section
 * merged once, at load time. Immutable and thread-safe; compared by identity.
 */
final class SectionTable implements EffectiveConfig {

    private final String levels;
    private final Map<String, ConfigElement> sections;

    /**
     * @param levels   the levels merged, for {@link #toString()}, e.g. {@code "global + Default Web Site/docs"}
     * @param sections section full name to merged section
     */
    SectionTable(String levels, Map<String, ConfigElement> sections) {
        this.levels = levels;
        this.sections = Map.copyOf(sections);
    }

    @Override
    public ConfigElement section(String sectionPath) {
        ConfigElement section = sections.get(sectionPath);
        if (section != null) {
            return section;
        }
        int slash = sectionPath.lastIndexOf('/');
        return MergedElement.empty(slash < 0 ? sectionPath : sectionPath.substring(slash + 1));
    }

    @Override
    public String toString() {
        return "EffectiveConfig[" + levels + "]";
    }
}
