package io.weir.cli.command;

import io.weir.config.schema.ConfigSchema;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Section names as the commands accept them: the full name ({@code system.webServer/directoryBrowse})
 * or, as appcmd's {@code /section:} allows, the last part or parts when only one implemented
 * section ends that way ({@code directoryBrowse}, {@code security/requestFiltering}). Only
 * sections in weir-config's {@link ConfigSchema} are accepted.
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
        String given = name.strip();
        if (ConfigSchema.section(given).isPresent()) {
            return given;
        }
        String lower = given.toLowerCase(Locale.ROOT);
        List<String> matches = ConfigSchema.implementedSections().stream()
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
                        + "; the sections Weir implements: " + String.join(", ", all()));
    }

    /** @return the implemented sections, sorted */
    static List<String> all() {
        return ConfigSchema.implementedSections().stream().sorted().toList();
    }
}
