package io.weir.cli.command;

import io.weir.cli.Verbosity;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.ConfigDocument;
import io.weir.cli.edit.TextElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.schema.ConfigSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir uninstall module --name N}: IIS's {@code appcmd uninstall module}. Removes the
 * module's {@code <add>} from {@code <globalModules>} and from {@code <modules>} at every level
 * of the file (the server level and every {@code <location>}). {@code <remove name="N"/>}
 * directives are left: they keep meaning "not here" should the module be installed again. A
 * handler whose {@code modules} list still names the module is reported (requests it maps then get
 * 500.21), not changed.
 */
@Command(
        name = "module",
        mixinStandardHelpOptions = true,
        description = "Uninstalls a module: removes it from <globalModules> and from <modules> at every level of"
                + " the file (as appcmd uninstall module does).",
        footer = {"", "Example:", "  weir uninstall module --name HelloWorldModule --config applicationHost.config"},
        sortOptions = false)
public final class UninstallModuleCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The module's name.")
    private String name;

    @Mixin
    private EditOptions editOptions;

    @Override
    public Integer call() {
        String label = editOptions.file().toString();
        return ConfigEdit.run(spec, editOptions, (ApplicationHostConfig before, ApplicationHostText text) -> {
            if (before.globalModules().stream().noneMatch(e -> e.name().equals(name))) {
                throw new ConfigEdit.Refused(
                        "no module named '" + name + "' is installed in <globalModules> of " + label);
            }
            List<String> messages = new ArrayList<>();
            ConfigDocument document = text.document();
            List<Integer> globalLines = matches(text, ConfigSchema.GLOBAL_MODULES).stream()
                    .map(e -> document.lineOf(e.start()))
                    .toList();
            List<Integer> moduleLines = matches(text, ConfigSchema.MODULES).stream()
                    .map(e -> document.lineOf(e.start()))
                    .toList();
            if (globalLines.isEmpty()) {
                throw new ConfigEdit.Refused("'" + name + "' is not written in any <globalModules> of " + label);
            }
            for (int line : globalLines) {
                document.remove(matches(text, ConfigSchema.GLOBAL_MODULES).get(0));
                messages.add("GLOBAL MODULE \"" + name + "\" uninstalled: removed from <globalModules> (was " + label
                        + ":" + line + ")");
            }
            for (int line : moduleLines) {
                document.remove(matches(text, ConfigSchema.MODULES).get(0));
                messages.add("MODULE \"" + name + "\" removed from <modules> (was " + label + ":" + line + ")");
            }
            for (TextElement handler : document.findAll(e -> e.name().equals("add")
                    && e.parent() != null
                    && e.parent().name().equals("handlers"))) {
                String modules = handler.value("modules").orElse("");
                if (Arrays.stream(modules.split(",")).map(String::strip).anyMatch(name::equals)) {
                    messages.add("note: handler '" + handler.value("name").orElse("") + "' (" + label + ":"
                            + document.lineOf(handler.start()) + ") still names '" + name
                            + "' in modules=; requests it maps will get 500.21");
                }
            }
            return messages;
        });
    }

    /** The {@code <add name=N>} items of every element of a section in the file, in document order. */
    private List<TextElement> matches(ApplicationHostText text, String section) {
        return text.sectionsAtEveryLevel(section).stream()
                .flatMap(s -> s.children("add").stream())
                .filter(a -> a.value("name").filter(name::equals).isPresent())
                .toList();
    }
}
