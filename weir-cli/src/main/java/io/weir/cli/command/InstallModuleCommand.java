package io.weir.cli.command;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.cli.Verbosity;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.NewElement;
import io.weir.cli.edit.TextElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.GlobalModuleEntry;
import io.weir.config.merge.VariableExpansion;
import io.weir.config.schema.ConfigSchema;
import io.weir.config.schema.SchemaFile;
import io.weir.core.GlobalModuleStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir install module --name N --image PATH.jar}: IIS's {@code appcmd install module}.
 * Adds {@code <add name image/>} to {@code <globalModules>} and, unless {@code --add false},
 * {@code <add name/>} to the server-level {@code <modules>} (in {@code <location path="">} when
 * the file keeps it there, as the stock files do). Before anything is written the module is loaded
 * by itself exactly as the server will load it ({@link ModuleCheck}); a JAR that is not a module
 * JAR, lists no {@code io.weir.api.ModuleRegistration}, or whose registration throws is refused
 * with the reason. A name already in {@code <globalModules>} (names are case-sensitive there, as
 * in IIS) or already enabled in {@code <modules>} is refused.
 *
 * <p>A JAR that ships schema files ({@code META-INF/weir/schema/*.xml}, IIS's schema format, see
 * docs/configuration.md) gets its sections declared: each section the files declare that
 * {@code <configSections>} does not declare yet gets a {@code <section>} (in its section groups,
 * created as needed) with {@code --override-mode-default} and {@code --allow-definition}, as a
 * module's installer does on IIS. A schema file the server would refuse refuses the install.
 *
 * <p>The image is stored as given, as appcmd stores it (relative paths and {@code %VAR%} kept, so
 * the file stays portable), and is checked as the server resolves it: a relative path against the
 * configuration file's folder. A relative path that exists only relative to the working directory
 * is refused with the paths that would work.
 */
@Command(
        name = "module",
        mixinStandardHelpOptions = true,
        description = {
            "Installs a module: adds it to <globalModules> and enables it in the server-level <modules>"
                    + " (as appcmd install module does). The module is loaded first, as the server will load it;"
                    + " if that fails nothing is written."
        },
        footer = {
            "",
            "Examples:",
            "  weir install module --name HelloWorldModule --image target/helloworld.jar",
            "  weir install module --name Audit --image %%MODULES%%/audit.jar --add false",
            "      --config site.config"
        },
        sortOptions = false)
public final class InstallModuleCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The module's name.")
    private String name;

    @Option(
            names = "--image",
            paramLabel = "PATH.jar",
            description = "The module JAR (stored as given; a relative"
                    + " path is relative to the configuration file's folder, as the server resolves it).")
    private String image;

    @Option(
            names = "--type",
            paramLabel = "CLASS",
            description = "The ModuleRegistration class: with --image, the"
                    + " one to use from a JAR that lists several; alone, a class on the server's class path.")
    private String type;

    @Option(
            names = "--add",
            arity = "1",
            defaultValue = "true",
            paramLabel = "true|false",
            description = "Also enable it in the server-level <modules> (default: ${DEFAULT-VALUE}).")
    private boolean add;

    @Option(
            names = {"--precondition", "--preCondition"},
            paramLabel = "LIST",
            description = "The preCondition attribute of the <globalModules> entry.")
    private String preCondition;

    @Option(
            names = "--override-mode-default",
            defaultValue = "Allow",
            paramLabel = "Allow|Deny",
            description =
                    "overrideModeDefault of the sections the JAR's schema declares: whether web.config"
                            + " files may set them unless a <location overrideMode> says otherwise (default: ${DEFAULT-VALUE}).")
    private String overrideModeDefault;

    @Option(
            names = "--allow-definition",
            defaultValue = "Everywhere",
            paramLabel = "WHERE",
            description = "allowDefinition of the sections the JAR's schema declares: Everywhere,"
                    + " MachineToApplication or AppHostOnly (default: ${DEFAULT-VALUE}).")
    private String allowDefinition;

    @Mixin
    private EditOptions editOptions;

    @Override
    public Integer call() {
        if (name.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--name must not be empty");
        }
        if (image == null && type == null) {
            throw new ParameterException(
                    spec.commandLine(),
                    "give --image PATH.jar (or --type CLASS for a module" + " on the server's class path)");
        }
        overrideModeDefault = oneOf("--override-mode-default", overrideModeDefault, List.of("Allow", "Deny"));
        allowDefinition = oneOf(
                "--allow-definition", allowDefinition, List.of("Everywhere", "MachineToApplication", "AppHostOnly"));
        List<String> messages = new ArrayList<>();
        Path file = editOptions.file();
        return ConfigEdit.run(spec, editOptions, new ConfigEdit.Edit() {
            @Override
            public List<String> apply(ApplicationHostConfig before, ApplicationHostText text)
                    throws ConfigEdit.Refused {
                for (GlobalModuleEntry entry : before.globalModules()) {
                    if (entry.name().equals(name)) {
                        throw new ConfigEdit.Refused("a module named '" + name + "' is already installed ("
                                + entry.source() + "); uninstall it first, or choose another name");
                    }
                }
                if (add) {
                    for (ConfigElement enabled : before.effectiveConfig("", "/")
                            .section(ConfigSchema.MODULES)
                            .collection()) {
                        if (enabled.stringAttribute("name", "").equals(name)) {
                            throw new ConfigEdit.Refused("'" + name + "' is already enabled in <modules> ("
                                    + enabled.source() + "); install it with --add false");
                        }
                    }
                }
                Map<String, String> attributes = new LinkedHashMap<>();
                attributes.put("name", name);
                if (image != null) {
                    attributes.put("image", image);
                }
                if (type != null) {
                    attributes.put("type", type);
                }
                if (preCondition != null) {
                    attributes.put("preCondition", preCondition);
                }
                TextElement globalModules = text.ensureSection("", ConfigSchema.GLOBAL_MODULES);
                text.document().appendChild(globalModules, new NewElement("add", attributes, List.of()));
                if (add) {
                    TextElement modules = text.ensureSection("", ConfigSchema.MODULES);
                    text.document().appendChild(modules, NewElement.of("add", "name", name));
                }
                if (image != null) {
                    declareSections(text, file, messages);
                }
                return messages;
            }

            @Override
            public void verify(ApplicationHostConfig after) throws ConfigEdit.Refused {
                GlobalModuleEntry entry = after.globalModules().stream()
                        .filter(e -> e.name().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new ConfigEdit.Refused(
                                "the new <globalModules> entry '" + name + "' is not read back from the edited file"));
                checkRelativeImage(file, entry);
                GlobalModuleStatus loaded = ModuleCheck.load(file, entry);
                if (!loaded.isLoaded()) {
                    throw new ConfigEdit.Refused("module '" + name + "' cannot be loaded: "
                            + loaded.failure().orElseThrow());
                }
                messages.add("GLOBAL MODULE \"" + name + "\" installed in <globalModules> (" + entry.source() + "): "
                        + loaded.origin());
                messages.add("  registered: " + ServeCommand.notifications(loaded));
                if (add) {
                    after.effectiveConfig("", "/").section(ConfigSchema.MODULES).collection().stream()
                            .filter(e -> e.stringAttribute("name", "").equals(name))
                            .findFirst()
                            .ifPresent(e ->
                                    messages.add("MODULE \"" + name + "\" enabled in <modules> (" + e.source() + ")"));
                }
            }
        });
    }

    /** Declares the sections of the JAR's schema files that the file does not declare yet. */
    private void declareSections(ApplicationHostText text, Path file, List<String> messages) throws ConfigEdit.Refused {
        String expanded = VariableExpansion.withProcessEnvironment(editOptions.variables())
                .expand(image)
                .replace('\\', '/');
        Path jar;
        try {
            Path written = Path.of(expanded);
            jar = (written.isAbsolute()
                            ? written
                            : file.toAbsolutePath().getParent().resolve(written))
                    .normalize();
        } catch (InvalidPathException e) {
            return;
        }
        if (!Files.isRegularFile(jar)) {
            return;
        }
        List<SchemaFile> schemaFiles;
        try {
            schemaFiles = SchemaFile.readJar(jar);
        } catch (IOException e) {
            return;
        } catch (ConfigException e) {
            throw new ConfigEdit.Refused("the schema file " + e.source() + " of " + jar + " is refused: " + e.reason());
        }
        for (SchemaFile schemaFile : schemaFiles) {
            for (String section : schemaFile.sections().keySet()) {
                if (ConfigSchema.section(section).isPresent()) {
                    continue;
                }
                if (declare(text, section)) {
                    messages.add("SECTION \"" + section + "\" declared in <configSections> (overrideModeDefault="
                            + overrideModeDefault + ", allowDefinition=" + allowDefinition + "), schema "
                            + schemaFile.label());
                } else {
                    messages.add("SECTION \"" + section + "\" already declared in <configSections>, left as it is");
                }
            }
        }
    }

    /**
     * Adds {@code <section>} for a section to {@code <configSections>}, inside its section groups.
     *
     * @return false when the section is declared already
     */
    private boolean declare(ApplicationHostText text, String section) throws ConfigEdit.Refused {
        TextElement current = text.document()
                .root()
                .child("configSections")
                .orElseThrow(() -> new ConfigEdit.Refused(
                        "the file has no <configSections> to declare the module's" + " section '" + section + "' in"));
        String[] segments = section.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            String group = segments[i];
            TextElement next = current.children("sectionGroup").stream()
                    .filter(g -> g.value("name").orElse("").equals(group))
                    .findFirst()
                    .orElse(null);
            if (next == null) {
                NewElement created = sectionElement(segments[segments.length - 1]);
                for (int j = segments.length - 2; j >= i; j--) {
                    created = new NewElement("sectionGroup", Map.of("name", segments[j]), List.of(created));
                }
                text.document().appendChild(current, created);
                return true;
            }
            current = next;
        }
        String leaf = segments[segments.length - 1];
        boolean declared = current.children("section").stream()
                .anyMatch(s -> s.value("name").orElse("").equals(leaf));
        if (declared) {
            return false;
        }
        text.document().appendChild(current, sectionElement(leaf));
        return true;
    }

    private NewElement sectionElement(String leaf) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("name", leaf);
        if (!allowDefinition.equals("Everywhere")) {
            attributes.put("allowDefinition", allowDefinition);
        }
        attributes.put("overrideModeDefault", overrideModeDefault);
        return new NewElement("section", attributes, List.of());
    }

    private String oneOf(String option, String value, List<String> allowed) {
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value.strip())) {
                return candidate;
            }
        }
        throw new ParameterException(
                spec.commandLine(), option + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
    }

    /** Refuses a relative JAR path that only makes sense relative to the working directory. */
    private static void checkRelativeImage(Path file, GlobalModuleEntry entry) throws ConfigEdit.Refused {
        if (entry.image().isEmpty()) {
            return;
        }
        String image = entry.image().get();
        Path path;
        try {
            path = Path.of(image.replace('\\', '/'));
        } catch (RuntimeException e) {
            return;
        }
        if (path.isAbsolute() || !image.toLowerCase(Locale.ROOT).endsWith(".jar")) {
            return;
        }
        Path folder = file.toAbsolutePath().getParent();
        Path asServed = folder.resolve(path).normalize();
        Path fromHere = path.toAbsolutePath().normalize();
        if (!Files.exists(asServed) && Files.isRegularFile(fromHere)) {
            throw new ConfigEdit.Refused("--image " + image + ": a relative image is resolved against the folder of "
                    + file + " (" + folder + "), as the server resolves it, and there is no " + asServed
                    + "; to install " + fromHere + " give --image " + folder.relativize(fromHere)
                    + " or --image " + fromHere);
        }
    }
}
