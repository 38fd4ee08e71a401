package io.weir.cli.command;

import io.weir.cli.Verbosity;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.NewElement;
import io.weir.cli.edit.TextElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.config.schema.ConfigSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir add site --name N [--id I] --bindings http/*:8081: --physicalPath DIR}: IIS's
 * {@code appcmd add site}. Writes a {@code <site>} with its root application, the application's
 * root virtual directory and its bindings, after the last {@code <site>} of
 * {@code system.applicationHost/sites} (before {@code <siteDefaults>} when there is none yet).
 * Refused: a name another site has (site names compare without case, as in IIS), an id another
 * site has, a binding (protocol and {@code IP:port:host}) another site already has, and names with
 * {@code /} or {@code ?} (IIS's siteName validator). Without {@code --id} the site gets the
 * largest id plus one, as appcmd does. The physical path is stored as given (a relative one is
 * relative to the configuration file's folder, as the server resolves it); a folder that does not
 * exist is reported, not refused, as IIS allows.
 */
@Command(
        name = "site",
        mixinStandardHelpOptions = true,
        description =
                "Adds a site with its root application, virtual directory and bindings (as appcmd add site" + " does).",
        footer = {
            "",
            "Example:",
            "  weir add site --name Intranet --id 2 --bindings http/*:8081:,http/127.0.0.1:8082:intranet",
            "      --physicalPath /srv/intranet"
        },
        sortOptions = false)
public final class AddSiteCommand implements Callable<Integer> {

    private static final Pattern BINDING = Pattern.compile("(\\*|\\[[0-9A-Fa-f:.]+]|[^:\\[\\]/]*):(\\d{1,5}):(.*)");

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The site's name.")
    private String name;

    @Option(names = "--id", paramLabel = "ID", description = "The site's id (default: the largest id + 1).")
    private Long id;

    @Option(
            names = "--bindings",
            required = true,
            paramLabel = "PROTOCOL/IP:PORT:HOST[,...]",
            description =
                    "The bindings, comma-separated, for example http/*:8081: or http/127.0.0.1:80:www.example.com.")
    private String bindings;

    @Option(
            names = {"--physicalPath", "--physical-path"},
            required = true,
            paramLabel = "DIR",
            description =
                    "The folder of the site's root (stored as given; relative to the configuration file's folder).")
    private String physicalPath;

    @Mixin
    private EditOptions editOptions;

    /** A binding as given. */
    record Binding(String protocol, String information) {}

    @Override
    public Integer call() {
        if (name.isBlank() || name.contains("/") || name.contains("?")) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--name must not be empty nor contain '/' or '?'" + " (IIS's siteName rule), got '" + name + "'");
        }
        if (id != null && (id < 1 || id > 0xFFFF_FFFFL)) {
            throw new ParameterException(spec.commandLine(), "--id must be a number from 1 to 4294967295");
        }
        List<Binding> parsed = parseBindings(spec, bindings);
        Path file = editOptions.file();
        return ConfigEdit.run(spec, editOptions, (ApplicationHostConfig before, ApplicationHostText text) -> {
            for (SiteConfig site : before.sites()) {
                if (site.name().equalsIgnoreCase(name)) {
                    throw new ConfigEdit.Refused("a site named '" + site.name() + "' exists (" + site.source() + ")");
                }
                if (id != null && site.id() == id) {
                    throw new ConfigEdit.Refused(
                            "site '" + site.name() + "' has id " + id + " (" + site.source() + ")");
                }
            }
            for (TextElement existing : text.document()
                    .findAll(e -> e.name().equals("binding")
                            && e.parent() != null
                            && e.parent().name().equals("bindings"))) {
                for (Binding b : parsed) {
                    if (existing.value("protocol").orElse("").equalsIgnoreCase(b.protocol())
                            && existing.value("bindingInformation").orElse("").equalsIgnoreCase(b.information())) {
                        throw new ConfigEdit.Refused(
                                "the binding " + b.protocol() + "/" + b.information() + " is already used (" + file
                                        + ":" + text.document().lineOf(existing.start()) + ")");
                    }
                }
            }
            long siteId = id != null
                    ? id
                    : before.sites().stream().mapToLong(SiteConfig::id).max().orElse(0) + 1;
            List<NewElement> bindingElements = parsed.stream()
                    .map(b -> NewElement.of("binding", "protocol", b.protocol(), "bindingInformation", b.information()))
                    .toList();
            NewElement site = NewElement.of("site", "name", name, "id", Long.toString(siteId))
                    .with(
                            NewElement.of("application", "path", "/")
                                    .with(NewElement.of("virtualDirectory", "path", "/", "physicalPath", physicalPath)),
                            new NewElement("bindings", Map.of(), bindingElements));
            TextElement sites = text.ensureSection("", ConfigSchema.SITES);
            List<TextElement> existingSites = sites.children("site");
            if (!existingSites.isEmpty()) {
                text.document().insertAfter(existingSites.get(existingSites.size() - 1), site);
            } else if (!sites.children().isEmpty()) {
                text.document().insertBefore(sites.children().get(0), site);
            } else {
                text.document().appendChild(sites, site);
            }
            List<String> messages = new ArrayList<>();
            messages.add("SITE \"" + name + "\" added (id:" + siteId + ",bindings:" + bindings + ")");
            Path folder = Path.of(physicalPath.replace('\\', '/'));
            Path resolved = folder.isAbsolute()
                    ? folder
                    : file.toAbsolutePath().getParent().resolve(folder).normalize();
            if (!physicalPath.contains("%") && !Files.isDirectory(resolved)) {
                messages.add("note: the folder " + resolved + " does not exist yet; requests get 404 until it does");
            }
            return messages;
        });
    }

    /**
     * Reads {@code --bindings}.
     *
     * @param spec     the command, for its usage errors
     * @param bindings the option's value: PROTOCOL/IP:PORT:HOST, comma-separated
     * @return the bindings in order
     * @throws ParameterException when one is malformed or given twice
     */
    static List<Binding> parseBindings(CommandSpec spec, String bindings) {
        List<Binding> parsed = new ArrayList<>();
        for (String raw : bindings.split(",")) {
            String binding = raw.strip();
            int slash = binding.indexOf('/');
            if (slash <= 0 || !BINDING.matcher(binding.substring(slash + 1)).matches()) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--bindings: '" + binding
                                + "' is not PROTOCOL/IP:PORT:HOST (for example http/*:8081: or http/127.0.0.1:80:www.example.com)");
            }
            Binding b = new Binding(binding.substring(0, slash).toLowerCase(Locale.ROOT), binding.substring(slash + 1));
            if (parsed.stream()
                    .anyMatch(p ->
                            p.protocol().equals(b.protocol()) && p.information().equalsIgnoreCase(b.information()))) {
                throw new ParameterException(spec.commandLine(), "--bindings lists " + binding + " twice");
            }
            parsed.add(b);
        }
        return parsed;
    }
}
