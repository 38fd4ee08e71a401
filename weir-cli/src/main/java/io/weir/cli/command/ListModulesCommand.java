package io.weir.cli.command;

import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.cli.Verbosity;
import io.weir.cli.inspect.Json;
import io.weir.cli.inspect.TextTable;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.GlobalModuleEntry;
import io.weir.config.SiteConfig;
import io.weir.core.GlobalModuleStatus;
import io.weir.core.WeirEngine;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
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
 * {@code weir list modules}: every {@code <globalModules>} entry, loaded by starting a
 * {@link WeirEngine} (no listener is bound) so that what is shown is what each module registered.
 * Rows come in effective order, as {@code appcmd list modules} lists them: first the modules the
 * effective {@code <modules>} list of the site and URL enables, in that list's order (the order
 * that breaks ties between modules at the same notification and priority), then the other entries
 * in {@code <globalModules>} order. For each:
 * its origin (built-in class, JAR, or unavailable with the reason), whether the effective
 * {@code <modules>} list of a site and URL enables it, its request notifications (post ones marked
 * "post"), its global notifications, and every priority other than MEDIUM.
 */
@Command(
        name = "modules",
        mixinStandardHelpOptions = true,
        description = {
            "Lists every <globalModules> entry as loaded: origin, whether <modules> enables it for a site and URL,"
                    + " and the notifications and priorities it registered (or why it could not be loaded).",
            "",
            "Rows come in effective order: the modules <modules> enables there, in its order (which breaks ties"
                    + " at equal priority), then the other <globalModules> entries in their order.",
            "",
            "ENABLED is for --site (default: the first site) and --url (default: /); 'global' marks a module"
                    + " with global notifications only, which need no <modules> entry."
        },
        sortOptions = false)
public final class ListModulesCommand implements Callable<Integer> {

    private static final String MODULES_SECTION = "system.webServer/modules";

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Option(
            names = "--site",
            paramLabel = "NAME",
            description = "The site whose <modules> list is used (default: the first).")
    private String siteName;

    @Option(
            names = "--url",
            paramLabel = "PATH",
            defaultValue = "/",
            description = "The URL whose <modules> list is used (default: ${DEFAULT-VALUE}).")
    private String url;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    private boolean json;

    @Mixin
    private ConfigOptions configOptions;

    /** One row of the listing. */
    private record Row(GlobalModuleStatus module, ConfigSource source, String enabled) {}

    @Override
    public Integer call() {
        if (!url.startsWith("/")) {
            throw new ParameterException(
                    spec.commandLine(), "--url must be a path starting with '/', got '" + url + "'");
        }
        ApplicationHostConfig config;
        try {
            configOptions.announce();
            config = configOptions.load(null);
        } catch (ConfigException e) {
            return configOptions.report(e);
        }
        String site = site(config);
        Map<String, ConfigElement> listed = new LinkedHashMap<>();
        for (ConfigElement add :
                config.effectiveConfig(site, url).section(MODULES_SECTION).collection()) {
            listed.putIfAbsent(add.stringAttribute("name", ""), add);
        }
        Map<String, ConfigSource> sources = new LinkedHashMap<>();
        for (GlobalModuleEntry entry : config.globalModules()) {
            sources.putIfAbsent(entry.name(), entry.source());
        }
        List<Row> rows = new ArrayList<>();
        try (WeirEngine engine = WeirEngine.start(config)) {
            for (GlobalModuleStatus module : engine.modules()) {
                rows.add(new Row(
                        module,
                        sources.getOrDefault(module.name(), ConfigSource.DEFAULTS),
                        enabled(module, listed.get(module.name()))));
            }
        }
        List<String> effectiveOrder = new ArrayList<>(listed.keySet());
        rows.sort(Comparator.comparingInt(row -> {
            int at = effectiveOrder.indexOf(row.module().name());
            return at < 0 ? Integer.MAX_VALUE : at;
        }));
        List<ConfigElement> unknown = listed.values().stream()
                .filter(add -> !sources.containsKey(add.stringAttribute("name", "")))
                .toList();

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(rows.stream().map(ListModulesCommand::toJson).toList()));
        } else {
            out.println("Modules of " + config.fileLabel() + " (ENABLED for "
                    + (site.isEmpty() ? "no site" : "site \"" + site + "\"") + ", URL " + url + "):");
            TextTable table = new TextTable("NAME", "ENABLED", "ORIGIN", "NOTIFICATIONS", "ENTRY");
            for (Row row : rows) {
                GlobalModuleStatus m = row.module();
                table.row(
                        m.name(),
                        row.enabled(),
                        m.origin(),
                        m.isLoaded()
                                ? ServeCommand.notifications(m)
                                : "UNAVAILABLE: " + m.failure().orElseThrow(),
                        row.source().toString());
            }
            table.print(out);
            for (ConfigElement add : unknown) {
                out.println("<modules> enables '" + add.stringAttribute("name", "") + "' (" + add.source()
                        + "), which no <globalModules> entry loads; it never runs");
            }
        }
        out.flush();
        return 0;
    }

    private String site(ApplicationHostConfig config) {
        if (siteName != null) {
            return config.site(siteName)
                    .map(SiteConfig::name)
                    .orElseThrow(() -> new ParameterException(spec.commandLine(), "no site named '" + siteName + "'"));
        }
        return config.sites().isEmpty() ? "" : config.sites().get(0).name();
    }

    /** "yes", "no", "global" (global notifications only), or why a listed module does not run. */
    private static String enabled(GlobalModuleStatus module, ConfigElement add) {
        boolean requestLevel = !module.requestNotifications().isEmpty()
                || !module.postNotifications().isEmpty();
        if (module.isLoaded() && !requestLevel && !module.globalNotifications().isEmpty()) {
            return "global";
        }
        if (add == null) {
            return "no";
        }
        if (add.stringAttribute("preCondition", "").toLowerCase(Locale.ROOT).contains("managedhandler")) {
            return "no (managedHandler)";
        }
        return module.isLoaded() ? "yes" : "yes (not loaded)";
    }

    private static Map<String, Object> toJson(Row row) {
        GlobalModuleStatus m = row.module();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", m.name());
        o.put("origin", m.origin());
        o.put("loaded", m.isLoaded());
        o.put("failure", m.failure().orElse(null));
        o.put("enabled", row.enabled());
        o.put(
                "requestNotifications",
                m.requestNotifications().stream().map(n -> notification(m, n)).toList());
        o.put(
                "postNotifications",
                m.postNotifications().stream().map(RequestNotification::name).toList());
        o.put(
                "globalNotifications",
                m.globalNotifications().stream().map(Enum::name).toList());
        o.put("entry", row.source().toString());
        return o;
    }

    private static Object notification(GlobalModuleStatus m, RequestNotification n) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", n.name());
        o.put("priority", m.priorities().getOrDefault(n, Priority.MEDIUM).name());
        return o;
    }
}
