package io.weir.cli.command;

import io.weir.cli.Verbosity;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.NewElement;
import io.weir.cli.edit.TextElement;
import io.weir.config.ApplicationHostConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir set site NAME --bindings http/*:8081:,…}: IIS's {@code appcmd set site NAME
 * /bindings:…}, IIS Manager's "Edit Site Bindings". Replaces the site's {@code <binding>} elements
 * with the ones given (the {@code <bindings>} element keeps its place). Refused: a site the file
 * does not define, a binding another site already has. A running server that watches the file
 * listens on the new bindings on the reload.
 */
@Command(
        name = "site",
        mixinStandardHelpOptions = true,
        description = "Sets a site's bindings (as appcmd set site /bindings: does).",
        footer = {
            "",
            "Example:",
            "  weir set site \"Default Web Site\" --bindings http/*:8081:,http/127.0.0.1:8082:intranet"
        },
        sortOptions = false)
public final class SetSiteCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Parameters(index = "0", paramLabel = "NAME", description = "The site's name.")
    private String name;

    @Option(
            names = "--bindings",
            required = true,
            paramLabel = "PROTOCOL/IP:PORT:HOST[,...]",
            description = "The site's bindings, comma-separated, replacing the ones it has.")
    private String bindings;

    @Mixin
    private EditOptions editOptions;

    @Override
    public Integer call() {
        List<AddSiteCommand.Binding> parsed = AddSiteCommand.parseBindings(spec, bindings);
        return ConfigEdit.run(spec, editOptions, (ApplicationHostConfig before, ApplicationHostText text) -> {
            TextElement site = SiteElement.find(text, name, editOptions.file());
            for (TextElement other : text.document()
                    .findAll(e -> e.name().equals("binding")
                            && e.parent() != null
                            && e.parent().name().equals("bindings")
                            && e.parent().parent().start() != site.start())) {
                for (AddSiteCommand.Binding b : parsed) {
                    if (other.value("protocol").orElse("").equalsIgnoreCase(b.protocol())
                            && other.value("bindingInformation").orElse("").equalsIgnoreCase(b.information())) {
                        throw new ConfigEdit.Refused("the binding " + b.protocol() + "/" + b.information()
                                + " is used by another site (" + editOptions.file() + ":"
                                + text.document().lineOf(other.start()) + ")");
                    }
                }
            }
            List<NewElement> elements = parsed.stream()
                    .map(b -> NewElement.of("binding", "protocol", b.protocol(), "bindingInformation", b.information()))
                    .toList();
            var existing = site.child("bindings");
            if (existing.isEmpty()) {
                text.document().appendChild(site, new NewElement("bindings", Map.of(), elements));
            } else {
                int replaced = existing.get().children("binding").size();
                for (NewElement e : elements) {
                    text.document()
                            .appendChild(
                                    SiteElement.find(text, name, editOptions.file())
                                            .child("bindings")
                                            .orElseThrow(),
                                    e);
                }
                for (int i = 0; i < replaced; i++) {
                    TextElement holder = SiteElement.find(text, name, editOptions.file())
                            .child("bindings")
                            .orElseThrow();
                    text.document().remove(holder.children("binding").get(0));
                }
            }
            return List.of("SITE \"" + name + "\" bindings:" + bindings);
        });
    }
}
