package io.weir.cli.command;

import io.weir.api.config.ConfigElement;
import io.weir.cli.Verbosity;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.NewElement;
import io.weir.cli.edit.TextElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.config.schema.CollectionSchema;
import io.weir.config.schema.ElementSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir set config SECTION [--location SITE/PATH] --attr NAME=VALUE …}: IIS's
 * {@code appcmd set config /section:SECTION /NAME:VALUE}, writing to applicationHost.config (as
 * appcmd's {@code /commit:apphost}). Attributes are given as {@code --attr NAME=VALUE} or in
 * appcmd's form {@code /NAME:VALUE}; {@code NAME} may name an attribute of a child element with
 * dots, as appcmd does ({@code clientCache.cacheControlMode}). The section element (and its
 * section groups, and the {@code <location>}) is created when the level does not write it; a
 * written attribute keeps its place and quotes. The sections with a schema are accepted: Weir's,
 * and those of the schema files the file loads with (the {@code schema} folder beside it, module
 * JARs), including attributes such a file adds to one of Weir's sections, as appcmd knows every
 * section of {@code inetsrv\config\schema}; the edited file is loaded again before it is written, so whatever the loader refuses
 * (an undeclared section, an AppHostOnly section in a location, a bad or unknown attribute once
 * the schema types attributes) refuses the edit with the line and reason. A collection item is
 * added with appcmd's {@code /+[name='value',…]} ({@code /+files.[value='home.html']} for the
 * collection of a child element; see {@link CollectionItem}); an item whose key the collection
 * already holds at that level is refused, as IIS refuses a duplicate collection entry.
 *
 * <p>{@code --commit site|app|url} with {@code --location SITE/PATH} writes the section in a
 * web.config instead, as appcmd's {@code /commit} does: the one at the site's root, at the root of
 * the application holding the path, or in the path's own folder (created when the folder has none).
 * The edited web.config is loaded with everything above it before it is written, so a section
 * locked by {@code overrideModeDefault="Deny"} or {@code <location overrideMode="Deny">}, a locked
 * attribute or item, or a section beyond its {@code allowDefinition} refuses the edit with the
 * file, line and reason, where IIS would answer 500.19 (see {@link WebConfigEdit}).
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Sets attributes of a configuration section at the server level or in a <location> (as appcmd"
                + " set config does with /commit:apphost), or in a site's web.config (--commit site|app|url).",
        footer = {
            "",
            "Examples:",
            "  weir set config system.webServer/directoryBrowse --attr enabled=true",
            "  weir set config directoryBrowse --location \"Default Web Site/files\" /enabled:true",
            "  weir set config staticContent --attr clientCache.cacheControlMode=UseMaxAge",
            "      --attr clientCache.cacheControlMaxAge=1.00:00:00",
            "  weir set config staticContent \"/+[fileExtension='.webmanifest',mimeType='application/manifest+json']\"",
            "  weir set config defaultDocument --location \"Default Web Site\" \"/+files.[value='home.html']\"",
            "  weir set config directoryBrowse --location \"Default Web Site/files\" --commit url /enabled:true"
        },
        sortOptions = false)
public final class SetConfigCommand implements Callable<Integer> {

    private static final Pattern APPCMD_ATTRIBUTE = Pattern.compile("/([A-Za-z_][\\w.:-]*?):(.*)", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][\\w-]*(\\.[A-Za-z_][\\w-]*)*");

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Parameters(
            index = "0",
            paramLabel = "SECTION",
            description = "The section: its full name (system.webServer/directoryBrowse) or its last part.")
    private String sectionName;

    @Parameters(index = "1..*", paramLabel = "/NAME:VALUE", description = "Attributes in appcmd's form.")
    private List<String> appcmdAttributes = new ArrayList<>();

    @Option(names = "--attr", paramLabel = "NAME=VALUE", description = "An attribute to set (repeatable).")
    private Map<String, String> attributes = new LinkedHashMap<>();

    @Option(
            names = "--location",
            paramLabel = "SITE/PATH",
            description = "Write in <location path=\"SITE/PATH\"> (default: the server level).")
    private String location;

    @Option(
            names = "--commit",
            paramLabel = "LEVEL",
            description = "Where the setting is written, as appcmd's /commit: apphost (default: applicationHost.config,"
                    + " in a <location> when --location is given), or, with --location, site (the web.config at the"
                    + " site's root), app (at the root of the application holding the path) or url (in the path's own"
                    + " folder).")
    private String commit = "apphost";

    @Mixin
    private EditOptions editOptions;

    @Override
    public Integer call() {
        Map<String, String> wanted = new LinkedHashMap<>();
        List<CollectionItem> items = new ArrayList<>();
        for (String raw : appcmdAttributes) {
            Optional<CollectionItem> item;
            try {
                item = CollectionItem.parse(raw);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            if (item.isPresent()) {
                items.add(item.get());
                continue;
            }
            Matcher m = APPCMD_ATTRIBUTE.matcher(raw);
            if (!m.matches()) {
                throw new ParameterException(spec.commandLine(), "'" + raw + "' is not /NAME:VALUE");
            }
            wanted.put(m.group(1), m.group(2));
        }
        wanted.putAll(attributes);
        if (wanted.isEmpty() && items.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "give at least one attribute: --attr NAME=VALUE or" + " /NAME:VALUE, or an item: /+[NAME='VALUE']");
        }
        String locationPath = location == null ? "" : ApplicationHostText.normalizeLocationPath(location);
        WebConfigEdit.Commit webConfig =
                switch (commit.toLowerCase(Locale.ROOT)) {
                    case "apphost" -> null;
                    case "site" -> WebConfigEdit.Commit.SITE;
                    case "app" -> WebConfigEdit.Commit.APP;
                    case "url" -> WebConfigEdit.Commit.URL;
                    default ->
                        throw new ParameterException(
                                spec.commandLine(), "--commit " + commit + ": give apphost, site, app or url");
                };
        if (webConfig != null && locationPath.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--commit " + commit + " writes a site's web.config: give --location SITE/PATH");
        }
        String[] target = new String[] {editOptions.file().toString()};
        String label = target[0];
        ConfigEdit.Edit edit = new ConfigEdit.Edit() {
            private final List<String> messages = new ArrayList<>();
            private String section;
            private List<CollectionSchema> collections;

            @Override
            public List<String> apply(ApplicationHostConfig before, ApplicationHostText text) {
                // the sections of the file's schemas: Weir's, plus those of schema files (the schema
                // folder beside the file, module JARs), which may also extend Weir's own sections
                section =
                        SectionNames.resolve(spec, sectionName, before.schemas().implementedSections());
                collections = checked(before.schemas().section(section).orElseThrow(), section, items, wanted);
                if (webConfig == null && !locationPath.isEmpty()) {
                    String site = ApplicationHostText.siteAndUrl(locationPath)[0];
                    if (before.site(site).isEmpty()) {
                        throw new ParameterException(
                                spec.commandLine(),
                                "--location " + location + ": no site named '" + site + "' in " + label);
                    }
                }
                String level = webConfig == null ? locationPath : "";
                for (Map.Entry<String, String> attribute : wanted.entrySet()) {
                    List<String> path = Arrays.asList(attribute.getKey().split("\\."));
                    String sectionPath = section;
                    TextElement element = text.ensureSection(level, sectionPath);
                    for (String child : path.subList(0, path.size() - 1)) {
                        Optional<TextElement> existing = element.child(child);
                        if (existing.isEmpty()) {
                            text.document().appendChild(element, NewElement.of(child));
                        }
                        sectionPath = sectionPath + "/" + child;
                        element = text.section(level, sectionPath).orElseThrow();
                    }
                    text.document().setAttribute(element, path.get(path.size() - 1), attribute.getValue());
                }
                for (int i = 0; i < items.size(); i++) {
                    CollectionItem item = items.get(i);
                    TextElement element = text.ensureSection(level, section);
                    String sectionPath = section;
                    for (String child : item.path()) {
                        if (element.child(child).isEmpty()) {
                            text.document().appendChild(element, NewElement.of(child));
                        }
                        sectionPath = sectionPath + "/" + child;
                        element = text.section(level, sectionPath).orElseThrow();
                    }
                    text.document()
                            .appendChild(
                                    element,
                                    new NewElement(collections.get(i).addElement(), item.attributes(), List.of()));
                }
                return messages;
            }

            @Override
            public void verify(ApplicationHostConfig after) throws ConfigEdit.Refused {
                String[] siteAndUrl =
                        locationPath.isEmpty() ? new String[] {"", "/"} : ApplicationHostText.siteAndUrl(locationPath);
                ConfigElement effective =
                        after.effectiveConfig(siteAndUrl[0], siteAndUrl[1]).section(section);
                for (int i = 0; i < items.size(); i++) {
                    CollectionItem item = items.get(i);
                    CollectionSchema collection = collections.get(i);
                    Optional<ConfigElement> element = Optional.of(effective);
                    for (String child : item.path()) {
                        element = element.flatMap(e -> e.child(child));
                    }
                    List<ConfigElement> same = element.map(ConfigElement::collection).orElse(List.of()).stream()
                            .filter(e -> collection.keyAttributes().stream()
                                    .allMatch(k -> sameKey(
                                            e.attribute(k).orElse(""),
                                            item.attributes().getOrDefault(k, ""),
                                            collection.caseSensitiveKeys())))
                            .toList();
                    if (same.size() > 1) {
                        throw new ConfigEdit.Refused("the collection already holds " + item.describe() + " ("
                                + same.get(0).source() + "); IIS refuses a duplicate collection entry");
                    }
                    messages.add("CONFIG \"" + section + "\" at " + where() + ": added " + item.describe());
                }
                for (String name : wanted.keySet()) {
                    List<String> path = Arrays.asList(name.split("\\."));
                    Optional<ConfigElement> element = Optional.of(effective);
                    for (String child : path.subList(0, path.size() - 1)) {
                        element = element.flatMap(e -> e.child(child));
                    }
                    String attribute = path.get(path.size() - 1);
                    String value = element.flatMap(e -> e.attribute(attribute)).orElse("");
                    String source = element.map(
                                    e -> e.attributeSource(attribute).toString())
                            .orElse("?");
                    String where = where();
                    messages.add("CONFIG \"" + section + "\" at " + where + ": " + name + "=\"" + value + "\" ("
                            + source + ")");
                    String sourceFile = element.map(
                                    e -> e.attributeSource(attribute).file())
                            .orElse(target[0]);
                    if (!Path.of(sourceFile).equals(Path.of(target[0]))) {
                        messages.add("NOTE: " + name + "=\"" + wanted.get(name) + "\" is written in " + target[0]
                                + ", but at " + where + " the value that applies is \"" + value + "\", from " + source
                                + ": a deeper level (a web.config or a more specific <location>) overrides it, as in"
                                + " IIS; change it there");
                    }
                }
            }

            private String where() {
                String at = locationPath.isEmpty() ? "the server level" : "\"" + locationPath + "\"";
                return webConfig == null ? at : at + " (" + target[0] + ")";
            }
        };
        if (webConfig == null) {
            return ConfigEdit.run(spec, editOptions, edit);
        }
        String[] siteAndUrl = ApplicationHostText.siteAndUrl(locationPath);
        return WebConfigEdit.run(
                spec,
                editOptions,
                config -> {
                    SiteConfig site = config.site(siteAndUrl[0])
                            .orElseThrow(() -> new ConfigEdit.Refused(
                                    "--location " + location + ": no site named '" + siteAndUrl[0] + "' in " + label));
                    WebConfigEdit.Target found = WebConfigEdit.target(site, siteAndUrl[1], webConfig)
                            .orElseThrow(() -> new ConfigEdit.Refused(
                                    "--location " + location + ": no virtual directory of the site holds that path"));
                    target[0] = found.file().toString();
                    return found;
                },
                edit);
    }

    /**
     * Checks the attribute names and collection items against the section's schema.
     *
     * @return the collection each item is added to, in the items' order
     * @throws ParameterException for a name that is not an attribute or a path with no collection
     */
    private List<CollectionSchema> checked(
            ElementSchema schema, String section, List<CollectionItem> items, Map<String, String> wanted) {
        List<CollectionSchema> collections = new ArrayList<>();
        for (CollectionItem item : items) {
            ElementSchema at = schema;
            for (String child : item.path()) {
                at = at.child(child);
            }
            collections.add(at.collection()
                    .orElseThrow(() -> new ParameterException(
                            spec.commandLine(),
                            "'/+" + item.describe() + "': " + section
                                    + (item.path().isEmpty() ? "" : "/" + String.join("/", item.path()))
                                    + " holds no collection")));
        }
        for (String name : wanted.keySet()) {
            if (!NAME.matcher(name).matches()) {
                throw new ParameterException(spec.commandLine(), "'" + name + "' is not an attribute name");
            }
            List<String> path = Arrays.asList(name.split("\\."));
            ElementSchema at = schema;
            for (String child : path.subList(0, path.size() - 1)) {
                if (at.collection().filter(c -> c.isDirective(child)).isPresent()) {
                    throw new ParameterException(
                            spec.commandLine(),
                            "'" + name + "': collection items (<" + child + ">) are not edited by set config");
                }
                at = at.child(child);
            }
        }
        return collections;
    }

    private static boolean sameKey(String a, String b, boolean caseSensitive) {
        return caseSensitive ? a.equals(b) : a.equalsIgnoreCase(b);
    }
}
