package io.weir.examples.greeting;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The module's own section, {@code system.webServer/greeting}, as its schema file declares it:
 * {@code enabled}, {@code text}, {@code style} ({@code Plain} or {@code Loud}) and a collection of
 * {@code <add name value>} items, each sent as a response header {@code X-Greeting-<name>}.
 *
 * @param enabled whether the handler answers with the greeting (else 404)
 * @param text    the greeting
 * @param loud    {@code style="Loud"}: the greeting in capitals
 * @param extras  the collection's items, name to value, in effective order
 */
public record GreetingSection(boolean enabled, String text, boolean loud, Map<String, String> extras) {

    /** The section's full name. */
    public static final String NAME = "system.webServer/greeting";

    /** The section bound to this record, for {@code HttpContext.config}. */
    public static final ConfigSectionType<GreetingSection> SECTION = ConfigSectionType.of(NAME, GreetingSection::from);

    /**
     * Copies the collection.
     *
     * @param enabled whether the handler answers
     * @param text    the greeting
     * @param loud    whether it is in capitals
     * @param extras  the extra headers
     */
    public GreetingSection {
        extras = Map.copyOf(extras);
    }

    /**
     * Binds the merged section; the fallbacks equal the schema's defaults.
     *
     * @param section the merged section
     * @return the record
     */
    static GreetingSection from(ConfigElement section) {
        Map<String, String> extras = new LinkedHashMap<>();
        for (ConfigElement item : section.collection()) {
            extras.put(item.stringAttribute("name", ""), item.stringAttribute("value", ""));
        }
        return new GreetingSection(
                section.booleanAttribute("enabled", true),
                section.stringAttribute("text", "Hello"),
                section.stringAttribute("style", "Plain").equalsIgnoreCase("Loud"),
                extras);
    }
}
