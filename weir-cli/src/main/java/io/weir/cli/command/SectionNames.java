package io.weir.cli.command;

import io.weir.config.schema.ConfigSchema;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Section names as the commands accept them: the full name ({@code system.webServer/directoryBrowse})
 * or, as appcmd's {@code /section:} allows, the last part or parts when only one implemented
 * section ends that way ({@code directoryBrowse}, {@code security/requestFiltering}). Only
 * sections with a schema are accepted: weir-config's {@link ConfigSchema}, plus, where the command
 * has loaded the configuration, the sections of its modules' schema files.
 */
final class SectionNames {

    private SectionNames() {}

    /**
     * Resolves a name.
     *
     * @param spec for the usage error
     * @param name the name given
     * @return the full section name
     * @throws ParameterException when no implemented section (or more than one) has that name
     */
    static String resolve(CommandSpec spec, String name) {
        return resolve(spec, name, ConfigSchema.implementedSections());
    }

    /**
     * Resolves a name among given sections.
     *
     * @param spec     for the usage error
     * @param name     the name given
     * @param sections the sections with a schema
     * @return the full section name
     * @throws ParameterException when no section (or more than one) has that name
     */
    static String resolve(CommandSpec spec, String name, Set<String> sections) {
        String given = name.strip();
        if (sections.contains(given)) {
            return given;
        }
        String lower = given.toLowerCase(Locale.ROOT);
        List<String> matches = sections.stream()
                .filter(s -> s.toLowerCase(Locale.ROOT).equals(lower)
                        || s.toLowerCase(Locale.ROOT).endsWith("/" + lower))
                .sorted()
                .toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        throw new ParameterException(
                spec.commandLine(),
                (matches.isEmpty()
                                ? "unknown section '" + name + "'"
                                : "section '" + name + "' is ambiguous: " + String.join(", ", matches))
                        + "; the sections Weir implements: " + String.join(", ", all(sections)));
    }

    /** @return the implemented sections, sorted */
    static List<String> all() {
        return all(ConfigSchema.implementedSections());
    }

    /**
     * @param sections the sections with a schema
     * @return them, sorted
     */
    static List<String> all(Set<String> sections) {
        return sections.stream().sorted().toList();
    }
}
