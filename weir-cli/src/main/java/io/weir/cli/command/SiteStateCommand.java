package io.weir.cli.command;

import io.weir.cli.Verbosity;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir start site NAME} and {@code weir stop site NAME}: IIS's {@code appcmd start site} and
 * {@code appcmd stop site}, which IIS Manager's "Start" and "Stop" actions run. Weir keeps a site's
 * state in the configuration, as IIS persists it in the site's {@code serverAutoStart} attribute:
 * the command writes {@code serverAutoStart="true"} or {@code "false"}, and a running server that
 * watches the file starts or stops serving the site's bindings on the reload (requests in flight
 * finish).
 */
abstract class SiteStateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Parameters(index = "0", paramLabel = "NAME", description = "The site's name.")
    private String name;

    @Mixin
    private EditOptions editOptions;

    /** @return true to start the site, false to stop it */
    abstract boolean start();

    @Override
    public Integer call() {
        boolean start = start();
        return ConfigEdit.run(spec, editOptions, new ConfigEdit.Edit() {
            @Override
            public List<String> apply(ApplicationHostConfig before, io.weir.cli.edit.ApplicationHostText text)
                    throws ConfigEdit.Refused {
                SiteConfig site = before.site(name)
                        .orElseThrow(
                                () -> new ConfigEdit.Refused("no site named '" + name + "' in " + editOptions.file()));
                if (site.serverAutoStart() == start) {
                    return List.of("SITE \"" + site.name() + "\" is already " + (start ? "started" : "stopped"));
                }
                text.document()
                        .setAttribute(
                                SiteElement.find(text, name, editOptions.file()),
                                "serverAutoStart",
                                Boolean.toString(start));
                return List.of("SITE \"" + site.name() + "\" " + (start ? "started" : "stopped") + " (serverAutoStart="
                        + start + ")");
            }
        });
    }

    /** {@code weir start site}. */
    @Command(
            name = "site",
            mixinStandardHelpOptions = true,
            description = "Starts a site: writes serverAutoStart=\"true\" (as appcmd start site does); a server"
                    + " watching the file serves it again.",
            footer = {"", "Example:", "  weir start site \"Default Web Site\""})
    public static final class Start extends SiteStateCommand {
        /** Creates the command; picocli needs a public no-argument constructor. */
        public Start() {}

        @Override
        boolean start() {
            return true;
        }
    }

    /** {@code weir stop site}. */
    @Command(
            name = "site",
            mixinStandardHelpOptions = true,
            description = "Stops a site: writes serverAutoStart=\"false\" (as appcmd stop site does); a server"
                    + " watching the file stops serving its bindings.",
            footer = {"", "Example:", "  weir stop site \"Default Web Site\""})
    public static final class Stop extends SiteStateCommand {
        /** Creates the command; picocli needs a public no-argument constructor. */
        public Stop() {}

        @Override
        boolean start() {
            return false;
        }
    }
}
