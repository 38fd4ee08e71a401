package io.weir.modules.rewrite;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * {@code system.webServer/rewrite/allowedServerVariables}: the server variables (and {@code HTTP_*}
 * request headers) that distributed rules may set with {@code serverVariables/set}; URL Rewrite
 * answers 500.50 when a distributed rule sets another. Global rules may set any. Immutable.
 *
 * @param names the allowed names, upper-case
 */
record AllowedServerVariables(Set<String> names) {

    /** Binds the section. */
    static final ConfigSectionType<AllowedServerVariables> SECTION =
            ConfigSectionType.of("system.webServer/rewrite/allowedServerVariables", AllowedServerVariables::from);

    AllowedServerVariables {
        names = Set.copyOf(names);
    }

    static AllowedServerVariables from(ConfigElement section) {
        Set<String> names = new HashSet<>();
        for (ConfigElement item : section.collection()) {
            names.add(item.attribute("name").orElse("").trim().toUpperCase(Locale.ROOT));
        }
        return new AllowedServerVariables(names);
    }

    /**
     * @param upperName an upper-case variable name
     * @return whether distributed rules may set it
     */
    boolean allows(String upperName) {
        return names.contains(upperName);
    }
}
