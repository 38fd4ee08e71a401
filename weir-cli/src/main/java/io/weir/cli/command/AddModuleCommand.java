package io.weir.cli.command;

import io.weir.api.config.ConfigElement;
import io.weir.cli.Verbosity;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.NewElement;
import io.weir.cli.edit.TextElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.schema.ConfigSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir add module --name N [--site S [--path /app]]}: IIS's {@code appcmd add module}.
 * Enables an installed module at the server level or for a site or application by appending
 * {@code <add name="N"/>} to that level's {@code <modules>}; for a site or path the section goes
 * in {@code <location path="S/app">}, created (at the end of the file, as IIS adds locations) when
 * the file has none. The module must be in {@code <globalModules>}: Weir runs only modules it
 * loaded from there ({@code type=} on a {@code <modules>} entry, IIS's managed-module form, is
 * written when given but Weir does not load it). A module already enabled there (written at that
 * level or inherited) is refused, as IIS refuses a duplicate collection entry.
 */
@Command(
        name = "module",
        mixinStandardHelpOptions = true,
        description = "Enables an installed module at the server level, or for a site or application path (in a"
                + " <location>), as appcmd add module does.",
        footer = {
            "",
            "Examples:",
            "  weir add module --name HelloWorldModule --site \"Default Web Site\" --path /hello",
            "  weir add module --name RequestFilteringModule"
        },
        sortOptions = false)
public final class AddModuleCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The module's name.")
    private String name;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            description = "The type attribute (IIS's managed-module form;" + " kept, not used by Weir).")
    private String type;

    @Option(
            names = {"--precondition", "--preCondition"},
            paramLabel = "LIST",
            description = "The preCondition attribute (managedHandler: the module does not run in Weir).")
    private String preCondition;

    @Option(names = "--site", paramLabel = "NAME", description = "The site (default: the server level).")
    private String site;

    @Option(names = "--path", paramLabel = "/PATH", description = "A URL path in the site (default: its root).")
    private String path;

    @Mixin
    private EditOptions editOptions;

    @Override
    public Integer call() {
        return ConfigEdit.run(spec, editOptions, new ConfigEdit.Edit() {
            private ModuleLevel level;
            private final List<String> messages = new ArrayList<>();

            @Override
            public List<String> apply(ApplicationHostConfig before, ApplicationHostText text)
                    throws ConfigEdit.Refused {
                level = ModuleLevel.of(spec, before, site, path);
                if (before.globalModules().stream().noneMatch(e -> e.name().equals(name))) {
                    throw new ConfigEdit.Refused("no module named '" + name + "' is installed in <globalModules>;"
                            + " install it first (weir install module --name " + name + " --image PATH.jar)");
                }
                Optional<ConfigElement> enabled = level.enabled(before, name);
                if (enabled.isPresent()) {
                    throw new ConfigEdit.Refused("'" + name + "' is already enabled at " + level.describe() + " ("
                            + enabled.get().source() + ")");
                }
                Map<String, String> attributes = new LinkedHashMap<>();
                attributes.put("name", name);
                if (type != null) {
                    attributes.put("type", type);
                }
                if (preCondition != null) {
                    attributes.put("preCondition", preCondition);
                }
                TextElement modules = text.ensureSection(level.locationPath(), ConfigSchema.MODULES);
                text.document().appendChild(modules, new NewElement("add", attributes, List.of()));
                return messages;
            }

            @Override
            public void verify(ApplicationHostConfig after) throws ConfigEdit.Refused {
                ConfigElement added = level.enabled(after, name)
                        .orElseThrow(() -> new ConfigEdit.Refused(
                                "after the edit '" + name + "' is still not enabled at " + level.describe()));
                messages.add("MODULE \"" + name + "\" enabled at " + level.describe() + " (" + added.source() + ")");
            }
        });
    }
}
