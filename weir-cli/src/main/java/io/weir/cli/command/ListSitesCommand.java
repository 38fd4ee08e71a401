package io.weir.cli.command;

import io.weir.api.config.ConfigException;
import io.weir.cli.Verbosity;
import io.weir.cli.inspect.Json;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir list sites}: every site of the configuration with its id, state (Started unless
 * {@code serverAutoStart="false"}), bindings, and applications with their virtual directories and
 * physical paths, in appcmd's {@code SITE "name" (id:1,bindings:http/*:80:,state:Started)} form.
 */
@Command(
        name = "sites",
        mixinStandardHelpOptions = true,
        description = "Lists the sites: id, state, bindings, applications and their virtual directories.",
        sortOptions = false)
public final class ListSitesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Option(names = "--json", description = "Print JSON instead of text.")
    private boolean json;

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
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(
                    config.sites().stream().map(ListSitesCommand::toJson).toList()));
        } else if (config.sites().isEmpty()) {
            out.println("No site in " + config.fileLabel());
        } else {
            for (SiteConfig site : config.sites()) {
                out.println("SITE \"" + site.name() + "\" (id:" + site.id() + ",bindings:"
                        + site.bindings().stream()
                                .map(ListSitesCommand::binding)
                                .collect(Collectors.joining(","))
                        + ",state:" + state(site) + ")");
                for (SiteConfig.ApplicationConfig app : site.applications()) {
                    out.println("  APP \"" + site.name() + app.path() + "\""
                            + (app.applicationPool().isEmpty()
                                    ? ""
                                    : " (applicationPool:" + app.applicationPool() + ")"));
                    for (SiteConfig.VirtualDirectoryConfig dir : app.virtualDirectories()) {
                        out.println("    VDIR \"" + site.name() + virtualPath(app.path(), dir.path()) + "\" -> "
                                + dir.physicalPath() + (Files.isDirectory(dir.physicalPath()) ? "" : " (missing)"));
                    }
                }
            }
        }
        out.flush();
        return 0;
    }

    private static String state(SiteConfig site) {
        return site.serverAutoStart() ? "Started" : "Stopped";
    }

    private static String binding(SiteConfig.BindingConfig b) {
        String ip = b.ip().contains(":") ? "[" + b.ip() + "]" : b.ip();
        return b.protocol() + "/" + ip + ":" + b.port() + ":" + b.host();
    }

    /** The virtual path of a directory: its application's path joined with its own. */
    static String virtualPath(String application, String directory) {
        if ("/".equals(directory)) {
            return application;
        }
        return (application.endsWith("/") ? application.substring(0, application.length() - 1) : application)
                + directory;
    }

    private static Map<String, Object> toJson(SiteConfig site) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", site.name());
        m.put("id", site.id());
        m.put("state", state(site));
        m.put(
                "bindings",
                site.bindings().stream().map(ListSitesCommand::binding).toList());
        List<Object> apps = new ArrayList<>();
        for (SiteConfig.ApplicationConfig app : site.applications()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("path", app.path());
            a.put("applicationPool", app.applicationPool());
            a.put(
                    "virtualDirectories",
                    app.virtualDirectories().stream()
                            .map(d -> {
                                Map<String, Object> v = new LinkedHashMap<>();
                                v.put("path", virtualPath(app.path(), d.path()));
                                v.put("physicalPath", d.physicalPath().toString());
                                v.put("exists", Files.isDirectory(d.physicalPath()));
                                return (Object) v;
                            })
                            .toList());
            apps.add(a);
        }
        m.put("applications", apps);
        m.put("source", site.source().toString());
        return m;
    }
}
