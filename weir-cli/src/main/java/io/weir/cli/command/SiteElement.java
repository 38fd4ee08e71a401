package io.weir.cli.command;

import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.TextElement;
import io.weir.config.schema.ConfigSchema;

/** Finds a {@code <site>} of applicationHost.config's text by name, as the site commands edit it. */
final class SiteElement {

    private SiteElement() {}

    /**
     * Finds the site's element.
     *
     * @param text the file's text
     * @param name the site's name (compared without case, as IIS compares site names)
     * @param file the file, for the message
     * @return the {@code <site>} element
     * @throws ConfigEdit.Refused when the file has no such site
     */
    static TextElement find(ApplicationHostText text, String name, Object file) throws ConfigEdit.Refused {
        return text.section("", ConfigSchema.SITES).stream()
                .flatMap(sites -> sites.children("site").stream())
                .filter(site -> site.value("name").orElse("").equalsIgnoreCase(name))
                .findFirst()
                .orElseThrow(() -> new ConfigEdit.Refused("no site named '" + name + "' in " + file));
    }
}
