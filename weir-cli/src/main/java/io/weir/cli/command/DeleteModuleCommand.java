package io.weir.cli.command;

import io.weir.api.config.ConfigElement;
import io.weir.cli.Verbosity;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.NewElement;
import io.weir.cli.edit.TextElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.schema.ConfigSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir delete module --name N [--site S [--path /app]]}: IIS's {@code appcmd delete module}.
 * Disables a module at a level: an {@code <add name="N"/>} written at that level is removed; a
 * module the level inherits gets {@code <remove name="N"/>} in that level's {@code <modules>}
 * (created, with its {@code <location>}, when needed). An inherited entry marked
 * {@code lockItem="true"} is refused, as IIS refuses to remove a locked item below the level that
 * locked it. The module stays installed in {@code <globalModules>}.
 */
@Command(
        name = "module",
        mixinStandardHelpOptions = true,
        description = "Disables a module at the server level, or for a site or application path (as appcmd delete"
                + " module does); it stays installed.",
        footer = {
            "",
            "Example:",
            "  weir delete module --name DirectoryListingModule --site \"Default Web Site\"" + " --path /private"
        },
        sortOptions = false)
public final class DeleteModuleCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The module's name.")
    private String name;

    @Option(names = "--site", paramLabel = "NAME", description = "The site (default: the server level).")
    private String site;

    @Option(names = "--path", paramLabel = "/PATH", description = "A URL path in the site (default: its root).")
    private String path;

    @Mixin
    private EditOptions editOptions;

    @Override
    public Integer call() {
        String label = editOptions.file().toString();
        return ConfigEdit.run(spec, editOptions, new ConfigEdit.Edit() {
            private ModuleLevel level;
            private final List<String> messages = new ArrayList<>();

            @Override
            public List<String> apply(ApplicationHostConfig before, ApplicationHostText text)
                    throws ConfigEdit.Refused {
                level = ModuleLevel.of(spec, before, site, path);
                Optional<TextElement> written = text.section(level.locationPath(), ConfigSchema.MODULES)
                        .flatMap(modules -> modules.children("add").stream()
                                .filter(a ->
                                        a.value("name").filter(name::equals).isPresent())
                                .findFirst());
                if (written.isPresent()) {
                    messages.add("MODULE \"" + name + "\" removed from <modules> at " + level.describe() + " (was "
                            + label + ":" + text.document().lineOf(written.get().start()) + ")");
                    text.document().remove(written.get());
                    return messages;
                }
                Optional<ConfigElement> inherited = level.enabled(before, name);
                if (inherited.isEmpty()) {
                    throw new ConfigEdit.Refused("'" + name + "' is not enabled at " + level.describe());
                }
                if (level.site() == null) {
                    throw new ConfigEdit.Refused("'" + name + "' is enabled at "
                            + inherited.get().source() + ", not written at the server level of " + label);
                }
                // lockItem is a lock directive, not kept on the merged item: look at the element the
                // inherited entry was written as (appcmd refuses this with "Lock violation").
                int line = inherited.get().source().line();
                Optional<TextElement> locked = text
                        .document()
                        .findAll(e -> e.name().equals("add")
                                && e.value("name").filter(name::equals).isPresent()
                                && e.value("lockItem")
                                        .filter(v -> v.strip().equalsIgnoreCase("true"))
                                        .isPresent()
                                && text.document().lineOf(e.start()) == line)
                        .stream()
                        .findFirst();
                if (locked.isPresent() || inherited.get().booleanAttribute("lockItem", false)) {
                    throw new ConfigEdit.Refused("'" + name + "' is locked with lockItem=\"true\" ("
                            + inherited.get().source() + "); it cannot be removed below that level");
                }
                TextElement modules = text.ensureSection(level.locationPath(), ConfigSchema.MODULES);
                text.document().appendChild(modules, NewElement.of("remove", "name", name));
                messages.add("MODULE \"" + name + "\" disabled at " + level.describe()
                        + " with <remove> (it was inherited from "
                        + inherited.get().source() + ")");
                return messages;
            }

            @Override
            public void verify(ApplicationHostConfig after) throws ConfigEdit.Refused {
                Optional<ConfigElement> still = level.enabled(after, name);
                if (still.isPresent()) {
                    throw new ConfigEdit.Refused("after the edit '" + name + "' is still enabled at " + level.describe()
                            + " (" + still.get().source() + ")");
                }
            }
        });
    }
}
