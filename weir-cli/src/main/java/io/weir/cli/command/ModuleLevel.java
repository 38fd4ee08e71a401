package io.weir.cli.command;

import io.weir.api.config.ConfigElement;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.config.schema.ConfigSchema;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A configuration level named by {@code --site NAME [--path /app]}: the server level when no site
 * is given, else {@code <location path="SITE/app">} (appcmd's {@code /app.name:"SITE/app"}).
 *
 * @param site         the site as written in the file, or null for the server level
 * @param urlPath      the URL path, {@code "/"} for the site root
 * @param locationPath the normalized location path, "" for the server level
 */
record ModuleLevel(String site, String urlPath, String locationPath) {

    /**
     * Resolves the options against a configuration.
     *
     * @param spec   for usage errors
     * @param config the configuration as loaded
     * @param site   {@code --site}, may be null
     * @param path   {@code --path}, may be null
     * @return the level
     * @throws ParameterException for {@code --path} without {@code --site}, an unknown site, or a path
     *                            not starting with {@code /}
     */
    static ModuleLevel of(CommandSpec spec, ApplicationHostConfig config, String site, String path) {
        if (site == null) {
            if (path != null) {
                throw new ParameterException(spec.commandLine(), "--path needs --site");
            }
            return new ModuleLevel(null, "/", "");
        }
        SiteConfig found = config.site(site)
                .orElseThrow(() -> new ParameterException(
                        spec.commandLine(), "no site named '" + site + "' in " + config.fileLabel()));
        String url = path == null ? "/" : path;
        if (!url.startsWith("/")) {
            throw new ParameterException(spec.commandLine(), "--path must start with '/', got '" + path + "'");
        }
        String location = ApplicationHostText.normalizeLocationPath(found.name() + url);
        String normalizedUrl = location.length() == found.name().length()
                ? "/"
                : location.substring(found.name().length());
        return new ModuleLevel(found.name(), normalizedUrl, location);
    }

    /** @return how messages name the level */
    String describe() {
        return site == null ? "the server level" : "\"" + locationPath + "\"";
    }

    /**
     * Finds a module in the effective {@code <modules>} list of this level.
     *
     * @param config the configuration
     * @param name   the module's name
     * @return its {@code <add>} entry, or empty when the list does not enable it
     */
    Optional<ConfigElement> enabled(ApplicationHostConfig config, String name) {
        return config
                .effectiveConfig(site == null ? "" : site, urlPath)
                .section(ConfigSchema.MODULES)
                .collection()
                .stream()
                .filter(e -> e.stringAttribute("name", "").equals(name))
                .findFirst();
    }
}
