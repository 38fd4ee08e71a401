package io.weir.config;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.config.merge.MergedElement;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link EffectiveConfig} of one list of configuration levels: each implemented section
 * merged once, when the table is built. Immutable and thread-safe; compared by identity.
 */
final class SectionTable implements EffectiveConfig {

    private final String levels;
    private final Map<String, ConfigElement> sections;
    private final Map<String, ConfigElement> defaults;
    private final Optional<ConfigException> error;
    private final EffectiveConfig fallback;

    /**
     * @param levels   the levels merged, for {@link #toString()}, e.g. {@code "global + Default Web Site/docs"}
     * @param sections section full name to merged section
     * @param defaults section full name to the element answered when no level sets the section
     */
    SectionTable(String levels, Map<String, ConfigElement> sections, Map<String, ConfigElement> defaults) {
        this(levels, sections, defaults, null, null);
    }

    /**
     * @param levels   what the table merges, for {@link #toString()}
     * @param sections section full name to merged section
     * @param defaults section full name to the element answered when no level sets the section
     * @param error    the configuration error of the URL, or null
     * @param fallback answers {@link #section} when {@code error} is not null
     */
    SectionTable(
            String levels,
            Map<String, ConfigElement> sections,
            Map<String, ConfigElement> defaults,
            ConfigException error,
            EffectiveConfig fallback) {
        this.levels = levels;
        this.sections = Map.copyOf(sections);
        this.defaults = defaults;
        this.error = Optional.ofNullable(error);
        this.fallback = fallback;
    }

    @Override
    public ConfigElement section(String sectionPath) {
        if (fallback != null) {
            return fallback.section(sectionPath);
        }
        ConfigElement section = sections.get(sectionPath);
        if (section != null) {
            return section;
        }
        section = defaults.get(sectionPath);
        if (section != null) {
            return section;
        }
        int slash = sectionPath.lastIndexOf('/');
        return MergedElement.empty(slash < 0 ? sectionPath : sectionPath.substring(slash + 1));
    }

    @Override
    public Optional<ConfigException> error() {
        return error;
    }

    @Override
    public String toString() {
        return "EffectiveConfig[" + levels
                + (error.isPresent() ? ", error " + error.get().getMessage() : "") + "]";
    }
}
