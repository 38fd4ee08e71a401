package io.weir.cli.command;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.cli.Verbosity;
import io.weir.cli.inspect.TextTable;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.config.SiteConfig;
import io.weir.config.merge.MergedElement;
import io.weir.config.schema.ElementSchema;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir list config [URL] [--section NAME] [--site S]}: IIS's {@code appcmd list config}.
 * Prints the effective configuration of a URL, as {@link ApplicationHostConfig#effectiveConfig}
 * merges it (so every level the loader knows is included): each section that some level sets, each
 * attribute with the file, line and column its winning value comes from, plain child elements, and
 * collection items in effective order (after {@code <remove>}, {@code <clear/>} and
 * append/prepend), each with where it was added. {@code system.applicationHost} sections are only
 * shown when named with {@code --section}.
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the effective configuration of a URL (default /): each attribute with the file and line it comes"
                    + " from, collections in effective order (as appcmd list config does).",
            "",
            "URL is a path (/docs/), or appcmd's SITE/PATH (\"Default Web Site/docs\"); the site is --site, else the"
                    + " one named in URL, else the first site."
        },
        footer = {
            "",
            "Examples:",
            "  weir list config",
            "  weir list config /docs/ --section directoryBrowse",
            "  weir list config \"Default Web Site/app\" --config applicationHost.config"
        },
        sortOptions = false)
public final class ListConfigCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "URL",
            defaultValue = "/",
            description = "A path, or SITE/PATH (default: ${DEFAULT-VALUE}).")
    private String target;

    @Option(names = "--section", paramLabel = "NAME", description = "Only this section (full name or last part).")
    private String sectionName;

    @Option(names = "--site", paramLabel = "NAME", description = "The site (default: the first).")
    private String siteName;

    @Mixin
    private ConfigOptions configOptions;

    @Override
    public Integer call() {
        ApplicationHostConfig config;
        try {
            configOptions.announce();
            config = configOptions.load(null);
        } catch (ConfigException e) {
            return configOptions.report(e);
        }
        Set<String> known = config.schemas().implementedSections();
        String section = sectionName == null ? null : SectionNames.resolve(spec, sectionName, known);
        String url = target;
        String site = siteName;
        if (!url.startsWith("/")) {
            int slash = url.indexOf('/');
            String named = slash < 0 ? url : url.substring(0, slash);
            url = slash < 0 ? "/" : url.substring(slash);
            if (site == null) {
                site = named;
            }
        }
        SiteConfig chosen = null;
        if (site != null) {
            String wanted = site;
            chosen = config.site(site)
                    .orElseThrow(() -> new ParameterException(
                            spec.commandLine(), "no site named '" + wanted + "' in " + config.fileLabel()));
        } else if (!config.sites().isEmpty()) {
            chosen = config.sites().get(0);
        }
        EffectiveConfig effective = config.effectiveConfig(chosen == null ? "" : chosen.name(), url);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Effective configuration of " + (chosen == null ? "the server level" : "\"" + chosen.name() + "\"")
                + " " + url + " in " + config.fileLabel()
                + (section == null ? " (sections some level sets; system.applicationHost sections with --section)" : "")
                + ":");
        TextTable table = new TextTable("SETTING", "FROM");
        List<String> sections = section != null
                ? List.of(section)
                : SectionNames.all(known).stream()
                        .filter(s -> !s.startsWith("system.applicationHost/"))
                        .toList();
        for (String name : sections) {
            ConfigElement element = effective.section(name);
            boolean set = !element.source().equals(ConfigSource.DEFAULTS)
                    || !element.attributes().isEmpty()
                    || !element.collection().isEmpty();
            if (!set && section == null) {
                continue;
            }
            table.row(name, set ? element.source().toString() : "not set at any level: the defaults apply");
            render(table, element, config.schemas().section(name).orElse(ElementSchema.PLAIN), "  ");
        }
        table.print(out);
        out.flush();
        return 0;
    }

    private static void render(TextTable table, ConfigElement element, ElementSchema schema, String indent) {
        element.attributes()
                .forEach((name, value) -> table.row(
                        indent + name + "=\"" + value + "\"",
                        element.attributeSource(name).toString()));
        renderChildrenAndItems(table, element, schema, indent);
    }

    private static void renderChildrenAndItems(
            TextTable table, ConfigElement element, ElementSchema schema, String indent) {
        for (Map.Entry<String, ConfigElement> child : children(element, schema).entrySet()) {
            table.row(indent + child.getKey(), child.getValue().source().toString());
            render(table, child.getValue(), schema.child(child.getKey()), indent + "  ");
        }
        ElementSchema itemSchema = schema.collection().map(c -> c.item()).orElse(ElementSchema.PLAIN);
        for (ConfigElement item : element.collection()) {
            StringBuilder line = new StringBuilder(indent).append('<').append(item.elementName());
            item.attributes().forEach((name, value) -> line.append(' ')
                    .append(name)
                    .append("=\"")
                    .append(value)
                    .append('"'));
            line.append(" />");
            table.row(line.toString(), item.source().toString());
            renderChildrenAndItems(table, item, itemSchema, indent + "  ");
        }
    }

    /** The merged plain children of an element: all of them when the loader exposes them, else the schema's. */
    private static Map<String, ConfigElement> children(ConfigElement element, ElementSchema schema) {
        if (element instanceof MergedElement merged) {
            return merged.children();
        }
        Map<String, ConfigElement> known = new LinkedHashMap<>();
        schema.children().keySet().stream().sorted().forEach(name -> element.child(name)
                .ifPresent(child -> known.put(name, child)));
        return known;
    }
}
