package io.weir.modules.fastcgi;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import java.util.List;
import java.util.Optional;

/**
 * The {@code system.webServer/fastCgi} section: the FastCGI applications (process pools) the
 * server may start, each {@code <application>} keyed by {@code fullPath} and {@code arguments} as
 * in IIS. A handler mapping names one with {@code scriptProcessor="fullPath|arguments"} (or just
 * {@code fullPath} when the arguments are empty).
 *
 * @param applications the {@code <application>} entries, in order
 */
public record FastCgiSection(List<FastCgiApplication> applications) {

    /** Binds {@code system.webServer/fastCgi}; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<FastCgiSection> SECTION =
            ConfigSectionType.of("system.webServer/fastCgi", FastCgiSection::from);

    /** Copies the list. @param applications the entries */
    public FastCgiSection {
        applications = List.copyOf(applications);
    }

    /**
     * Binds the merged section, applying IIS's defaults for absent attributes (the schema checks
     * the ranges).
     *
     * @param section the merged element
     * @return the record
     */
    public static FastCgiSection from(ConfigElement section) {
        return new FastCgiSection(
                section.collection().stream().map(FastCgiApplication::from).toList());
    }

    /**
     * Finds the application a {@code scriptProcessor} names: the part before the first {@code |}
     * is {@code fullPath}, the rest {@code arguments}; IIS compares both ignoring case, Weir
     * compares the path exactly (Linux file names are case-sensitive) and the arguments exactly.
     *
     * @param scriptProcessor the handler's value
     * @return the entry, or empty when none matches (IIS answers 500 then)
     */
    public Optional<FastCgiApplication> find(String scriptProcessor) {
        int bar = scriptProcessor.indexOf('|');
        String fullPath = (bar < 0 ? scriptProcessor : scriptProcessor.substring(0, bar)).trim();
        String arguments = bar < 0 ? "" : scriptProcessor.substring(bar + 1).trim();
        for (FastCgiApplication a : applications) {
            if (a.fullPath().equals(fullPath) && a.arguments().trim().equals(arguments)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
