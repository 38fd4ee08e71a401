package io.weir.cli.inspect;

import io.weir.api.GlobalNotification;
import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSource;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.ResourceType;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.config.GlobalModuleEntry;
import io.weir.config.SiteConfig;
import io.weir.core.GlobalModuleStatus;
import io.weir.core.WeirEngine;
import io.weir.core.inspect.EngineInspection;
import io.weir.core.inspect.HandlerMatch;
import io.weir.core.inspect.MappedUrl;
import io.weir.core.inspect.PlanInspection;
import io.weir.core.inspect.PlannedHandler;
import io.weir.core.inspect.PlannedModule;
import io.weir.core.inspect.SymbolicLinkCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What Weir would do with one request, worked out from a started engine without sending anything:
 * the site and application, the configuration levels that apply, the handler mapping chosen (and
 * why each earlier entry was passed over), what exists on disk, the status the core would answer
 * on its own, and every stage of the pipeline with the modules that run there, in order.
 *
 * <p>It follows the engine's rules (read through io.weir.core.inspect)
 * using their public classes; the reasons for entries the handler table drops (preCondition,
 * requireAccess) are recomputed here because the table does not keep them.
 *
 * @param verb          the request's verb
 * @param url           the decoded, normalized URL path
 * @param site          the site's configuration
 * @param siteChoice    how the site was chosen, in words
 * @param application   the application's virtual path
 * @param physicalPath  the physical path the URL maps to (before any MAP_PATH module)
 * @param disk          what exists there
 * @param configuration the configuration levels that apply, outermost first
 * @param handlers      the handler entries up to the chosen one, with their verdicts
 * @param notConsulted  how many entries come after the chosen one
 * @param chosen        the chosen mapping, if one was
 * @param outcome       the core's own answer, if it gives one
 * @param stages        the pipeline, stage by stage in run order
 * @param notEnabled    modules loaded from {@code <globalModules>} that the URL's {@code <modules>} does not enable
 * @param leftOut       enabled modules left out of the URL's pipeline because their configuration here
 *                      makes them no-ops, one line each with the sections that decided
 * @param links         the URL's file checked against the {@code weirSymbolicLinks} section
 */
public record RequestExplanation(
        String verb,
        String url,
        SiteConfig site,
        String siteChoice,
        String application,
        Path physicalPath,
        Disk disk,
        List<ConfigLevel> configuration,
        List<HandlerVerdict> handlers,
        int notConsulted,
        Optional<PlannedHandler> chosen,
        Optional<Outcome> outcome,
        List<Stage> stages,
        List<String> notEnabled,
        List<String> leftOut,
        SymbolicLinkCheck links) {

    /** What exists at the mapped physical path. */
    public enum Disk {
        /** A regular file. */
        FILE,
        /** A folder. */
        DIRECTORY,
        /** Nothing. */
        MISSING
    }

    /**
     * A configuration level that governs the URL.
     *
     * @param source where it is written (the file alone for the file's own level)
     * @param what   what it is, e.g. {@code <location path="Default Web Site/docs">}
     */
    public record ConfigLevel(ConfigSource source, String what) {}

    /** The verdict on one handler entry. */
    public enum Verdict {
        /** Dropped before matching: preCondition or requireAccess. */
        SKIPPED,
        /** Its path pattern does not match. */
        PATH,
        /** Its path matches but its verb list refuses the verb. */
        VERB,
        /** The first entry whose path and verb match. */
        CHOSEN
    }

    /**
     * One handler entry and why it was or was not chosen.
     *
     * @param name    its name
     * @param source  where it is written
     * @param verdict the verdict
     * @param reason  the reason, in words
     */
    public record HandlerVerdict(String name, ConfigSource source, Verdict verdict, String reason) {}

    /**
     * A status the core answers itself in MAP_REQUEST_HANDLER (IIS's "IIS Web Core" errors).
     *
     * @param status the status and substatus, e.g. "404.4"
     * @param reason why
     */
    public record Outcome(String status, String reason) {}

    /**
     * One module in a stage.
     *
     * @param name     its name
     * @param priority its priority for this notification (null where the engine does not expose it)
     * @param origin   where its code comes from (built-in class, JAR path)
     * @param source   its {@code <globalModules>} entry
     */
    public record StageModule(String name, Priority priority, String origin, ConfigSource source) {}

    /**
     * One stage of the pipeline.
     *
     * @param name    the notification, e.g. "BEGIN_REQUEST" or "POST_BEGIN_REQUEST"
     * @param note    how its order is made, or "" (e.g. reversed for SEND_RESPONSE)
     * @param skipped true when the request never reaches it (the core answered before)
     * @param modules the modules that run, in order
     * @param remarks lines about modules that do not run here although one might expect them to
     */
    public record Stage(String name, String note, boolean skipped, List<StageModule> modules, List<String> remarks) {}

    private static final RequestNotification[] STAGES = {
        RequestNotification.BEGIN_REQUEST, RequestNotification.AUTHENTICATE_REQUEST,
        RequestNotification.AUTHORIZE_REQUEST, RequestNotification.RESOLVE_REQUEST_CACHE,
        RequestNotification.MAP_REQUEST_HANDLER, RequestNotification.ACQUIRE_REQUEST_STATE,
        RequestNotification.PRE_EXECUTE_REQUEST_HANDLER, RequestNotification.EXECUTE_REQUEST_HANDLER,
        RequestNotification.RELEASE_REQUEST_STATE, RequestNotification.UPDATE_REQUEST_CACHE
    };

    private static final String MODULES_SECTION = "system.webServer/modules";
    private static final String HANDLERS_SECTION = "system.webServer/handlers";

    /**
     * Works out the explanation.
     *
     * @param engine     a started engine of {@code config} (nothing is sent through it)
     * @param config     the configuration
     * @param site       the site the request goes to (started or not)
     * @param siteChoice how it was chosen, in words
     * @param url        the decoded, normalized URL path
     * @param verb       the verb
     * @return the explanation
     */
    public static RequestExplanation of(
            WeirEngine engine,
            ApplicationHostConfig config,
            SiteConfig site,
            String siteChoice,
            String url,
            String verb) {
        MappedUrl application = EngineInspection.mapUrl(site, url);
        Path physical = application.physicalPath();
        Optional<HttpFileInfo> file = engine.server().fileInfo(physical);
        Disk disk = file.isEmpty() ? Disk.MISSING : file.get().isDirectory() ? Disk.DIRECTORY : Disk.FILE;

        List<ConfigLevel> levels = new ArrayList<>();
        levels.add(new ConfigLevel(new ConfigSource(config.fileLabel(), 0, 0), "the file's global sections"));
        for (LocationTags.Tag tag : LocationTags.of(config).covering(site.name(), url)) {
            levels.add(new ConfigLevel(
                    tag.source(),
                    "<location path=\"" + tag.path() + "\">" + (tag.path().isEmpty() ? " (the whole server)" : "")));
        }

        EffectiveConfig effective = config.effectiveConfig(site.name(), url);
        PlanInspection plan = EngineInspection.of(engine).plan(effective);
        Modules modules = new Modules(engine, config, effective, plan);

        ConfigElement handlerSection = effective.section(HANDLERS_SECTION);
        String accessPolicy = handlerSection.stringAttribute("accessPolicy", "Read");
        Map<String, PlannedHandler> usable = new HashMap<>();
        plan.handlers().forEach(m -> usable.put(m.name(), m));
        List<HandlerVerdict> verdicts = new ArrayList<>();
        int notConsulted = 0;
        boolean chosenSeen = false;
        for (ConfigElement add : handlerSection.collection()) {
            String name = add.stringAttribute("name", "?");
            if (chosenSeen) {
                notConsulted++;
                continue;
            }
            PlannedHandler m = usable.get(name);
            if (m == null) {
                verdicts.add(new HandlerVerdict(name, add.source(), Verdict.SKIPPED, skipReason(add, accessPolicy)));
            } else if (!m.matchesPath(url)) {
                String subject = m.path().indexOf('/') >= 0 ? url : url.substring(url.lastIndexOf('/') + 1);
                verdicts.add(new HandlerVerdict(
                        name,
                        add.source(),
                        Verdict.PATH,
                        "path \"" + m.path() + "\" does not match \"" + subject + "\""));
            } else if (!m.matchesVerb(verb)) {
                verdicts.add(new HandlerVerdict(
                        name,
                        add.source(),
                        Verdict.VERB,
                        "verb " + verb + " is not in \"" + String.join(",", m.allowedVerbs()) + "\""));
            } else {
                chosenSeen = true;
                verdicts.add(new HandlerVerdict(
                        name,
                        add.source(),
                        Verdict.CHOSEN,
                        "path \"" + m.path()
                                + "\" and verb \"" + String.join(",", m.allowedVerbs()) + "\" match; resourceType "
                                + pascal(m.resourceType().name()) + ", requireAccess "
                                + pascal(m.requiredAccess().name())
                                + "; modules " + String.join(", ", m.modules())
                                + m.scriptName(url)
                                        .filter(script -> !script.equals(url))
                                        .map(script -> "; script " + script + ", path information "
                                                + url.substring(script.length()))
                                        .orElse("")));
            }
        }

        HandlerMatch match = plan.match(
                url,
                verb,
                script -> script.equals(url)
                        ? file
                        : engine.server()
                                .fileInfo(EngineInspection.mapUrl(site, script).physicalPath()));
        Optional<PlannedHandler> chosen =
                match instanceof HandlerMatch.Found found ? Optional.of(found.handler()) : Optional.empty();
        Outcome outcome =
                switch (match) {
                    case HandlerMatch.NoHandler none -> new Outcome("404.4", "no handler mapping matches " + url);
                    case HandlerMatch.VerbRefused refused ->
                        new Outcome("405.0", "a handler mapping matches the path but none accepts the verb " + verb);
                    case HandlerMatch.Found found
                    when found.resourceMissing() ->
                        new Outcome(
                                "404.0",
                                "the handler mapping '" + found.handler().name() + "' needs "
                                        + needs(found.handler().resourceType())
                                        + " at " + physical + ", and there is "
                                        + (disk == Disk.MISSING
                                                ? "nothing"
                                                : "a " + disk.name().toLowerCase(Locale.ROOT)));
                    case HandlerMatch.Found found -> {
                        List<String> missing = plan.missingModules(found.handler());
                        yield missing.isEmpty()
                                ? null
                                : new Outcome(
                                        "500.21",
                                        "the handler '" + found.handler().name()
                                                + "' has a bad module '" + missing.get(0) + "' in its module list: "
                                                + modules.whyNotEnabled(missing.get(0)));
                    }
                };

        SymbolicLinkCheck links = EngineInspection.symbolicLinks(effective, application, disk != Disk.MISSING);
        return new RequestExplanation(
                verb,
                url,
                site,
                siteChoice,
                application.applicationPath(),
                physical,
                disk,
                List.copyOf(levels),
                List.copyOf(verdicts),
                notConsulted,
                chosen,
                Optional.ofNullable(outcome),
                stages(plan, modules, chosen.orElse(null), outcome != null),
                modules.notEnabled(),
                plan.leftOut().entrySet().stream()
                        .map(e -> e.getKey() + ": its configuration here makes it a no-op ("
                                + String.join(", ", e.getValue()) + ")")
                        .toList(),
                links);
    }

    private static List<Stage> stages(
            PlanInspection plan, Modules modules, PlannedHandler handler, boolean coreAnswered) {
        List<Stage> stages = new ArrayList<>();
        List<StageModule> preBegin = modules.globalModules(GlobalNotification.PRE_BEGIN_REQUEST);
        if (!preBegin.isEmpty()) {
            stages.add(new Stage(
                    "PRE_BEGIN_REQUEST",
                    "global modules, listed in <globalModules> order; their global priorities are not shown",
                    false,
                    preBegin,
                    List.of()));
        }
        boolean skipping = false;
        for (RequestNotification n : STAGES) {
            if (n == RequestNotification.EXECUTE_REQUEST_HANDLER) {
                stages.add(executeStage(plan, modules, handler, skipping));
            } else {
                stages.add(new Stage(n.name(), "", skipping, modules.at(plan.modulesAt(n), n, false), List.of()));
            }
            if (n == RequestNotification.MAP_REQUEST_HANDLER && coreAnswered) {
                skipping = true;
            }
            addPost(stages, plan, modules, n, skipping);
        }
        stages.add(new Stage(
                RequestNotification.SEND_RESPONSE.name(),
                "reverse order: LAST first, FIRST last, later <modules> entries first",
                false,
                modules.at(plan.modulesAt(RequestNotification.SEND_RESPONSE), RequestNotification.SEND_RESPONSE, false),
                List.of()));
        for (RequestNotification n : List.of(RequestNotification.LOG_REQUEST, RequestNotification.END_REQUEST)) {
            stages.add(new Stage(n.name(), "always runs", false, modules.at(plan.modulesAt(n), n, false), List.of()));
            addPost(stages, plan, modules, n, false);
        }
        for (RequestNotification n : List.of(RequestNotification.MAP_PATH, RequestNotification.READ_ENTITY)) {
            List<PlannedModule> slots = plan.modulesAt(n);
            if (!slots.isEmpty()) {
                stages.add(new Stage(
                        n.name(),
                        n == RequestNotification.MAP_PATH
                                ? "whenever a URL is mapped to a physical path"
                                : "whenever the request body is read",
                        false,
                        modules.at(slots, n, false),
                        List.of()));
            }
        }
        return List.copyOf(stages);
    }

    private static void addPost(
            List<Stage> stages, PlanInspection plan, Modules modules, RequestNotification n, boolean skipped) {
        List<PlannedModule> post = plan.modulesAtPost(n);
        if (!post.isEmpty()) {
            stages.add(new Stage(
                    "POST_" + n.name(),
                    n == RequestNotification.EXECUTE_REQUEST_HANDLER
                            ? "every module that registered it, not only the handler's"
                            : "",
                    skipped,
                    modules.at(post, n, true),
                    List.of()));
        }
    }

    private static Stage executeStage(PlanInspection plan, Modules modules, PlannedHandler handler, boolean skipped) {
        RequestNotification n = RequestNotification.EXECUTE_REQUEST_HANDLER;
        if (handler == null) {
            return new Stage(n.name(), "no handler mapping was chosen", true, List.of(), List.of());
        }
        List<StageModule> running = new ArrayList<>();
        for (PlannedModule m : plan.executeModules(handler)) {
            running.add(modules.stageModule(m.name(), null, m.origin()));
        }
        List<String> remarks = new ArrayList<>();
        Set<String> listed = Set.copyOf(handler.modules());
        for (String name : handler.modules()) {
            Optional<PlannedModule> enabled = modules.enabled(name);
            if (enabled.isEmpty()) {
                remarks.add(
                        name + " is listed by the handler '" + handler.name() + "' but " + modules.whyNotEnabled(name));
            } else if (!enabled.get().notifications().contains(n)) {
                remarks.add(name + " is listed by the handler '" + handler.name()
                        + "' but did not register EXECUTE_REQUEST_HANDLER, so it does nothing here");
            }
        }
        for (PlannedModule m : plan.modules()) {
            if (m.notifications().contains(n) && !listed.contains(m.name())) {
                remarks.add(m.name() + " registered EXECUTE_REQUEST_HANDLER but the handler '" + handler.name()
                        + "' does not list it, so it never runs here");
            }
        }
        return new Stage(
                n.name(),
                "the modules of the handler '" + handler.name() + "', in its order; priorities do not apply",
                skipped,
                List.copyOf(running),
                List.copyOf(remarks));
    }

    /** Why the handler table dropped an entry, following HandlerTable's rules. */
    private static String skipReason(ConfigElement add, String accessPolicy) {
        String preCondition = add.stringAttribute("preCondition", "");
        if (!EngineInspection.preConditionHolds(preCondition)) {
            return "preCondition \"" + preCondition + "\" cannot hold in Weir (integrated pipeline, 64-bit,"
                    + " no .NET runtime)";
        }
        String access = add.stringAttribute("requireAccess", "Script");
        return "requireAccess=\"" + access + "\" is not granted by accessPolicy=\"" + accessPolicy + "\"";
    }

    private static String needs(ResourceType type) {
        return switch (type) {
            case FILE -> "a file";
            case DIRECTORY -> "a directory";
            case EITHER -> "a file or a directory";
            case UNSPECIFIED -> "nothing";
        };
    }

    private static String pascal(String constant) {
        return constant.charAt(0) + constant.substring(1).toLowerCase(Locale.ROOT);
    }

    /** The modules of one explanation: loaded, enabled, and where each comes from. */
    private static final class Modules {
        private final Map<String, GlobalModuleStatus> loaded = new LinkedHashMap<>();
        private final Map<String, ConfigSource> sources = new HashMap<>();
        private final Map<String, PlannedModule> enabled = new LinkedHashMap<>();
        private final Map<String, ConfigElement> listed = new LinkedHashMap<>();

        Modules(WeirEngine engine, ApplicationHostConfig config, EffectiveConfig effective, PlanInspection plan) {
            engine.modules().forEach(m -> loaded.putIfAbsent(m.name(), m));
            for (GlobalModuleEntry entry : config.globalModules()) {
                sources.putIfAbsent(entry.name(), entry.source());
            }
            for (PlannedModule m : plan.modules()) {
                enabled.put(m.name(), m);
            }
            for (ConfigElement add : effective.section(MODULES_SECTION).collection()) {
                listed.putIfAbsent(add.stringAttribute("name", ""), add);
            }
        }

        Optional<PlannedModule> enabled(String name) {
            return Optional.ofNullable(enabled.get(name));
        }

        StageModule stageModule(String name, Priority priority, String origin) {
            return new StageModule(name, priority, origin, sources.getOrDefault(name, ConfigSource.DEFAULTS));
        }

        List<StageModule> at(List<PlannedModule> planned, RequestNotification n, boolean post) {
            List<StageModule> result = new ArrayList<>();
            for (PlannedModule m : planned) {
                result.add(stageModule(m.name(), post ? m.postPriority(n) : m.priority(n), m.origin()));
            }
            return List.copyOf(result);
        }

        List<StageModule> globalModules(GlobalNotification n) {
            return loaded.values().stream()
                    .filter(m -> m.isLoaded() && m.globalNotifications().contains(n))
                    .map(m -> stageModule(m.name(), null, m.origin()))
                    .toList();
        }

        String whyNotEnabled(String name) {
            GlobalModuleStatus module = loaded.get(name);
            if (module == null) {
                return "no <globalModules> entry is named '" + name + "'";
            }
            ConfigSource source = sources.getOrDefault(name, ConfigSource.DEFAULTS);
            if (!module.isLoaded()) {
                return "'" + name + "' (" + source + ") could not be loaded: "
                        + module.failure().orElseThrow();
            }
            ConfigElement add = listed.get(name);
            if (add == null) {
                return "'" + name + "' is not enabled in <modules> for this URL";
            }
            if (add.stringAttribute("preCondition", "").toLowerCase(Locale.ROOT).contains("managedhandler")) {
                return "'" + name + "' is enabled with preCondition managedHandler (" + add.source()
                        + "), which Weir never satisfies";
            }
            return "'" + name + "' registered no request notifications (a global module only)";
        }

        List<String> notEnabled() {
            return loaded.values().stream()
                    .filter(m -> m.isLoaded()
                            && !enabled.containsKey(m.name())
                            && !(m.requestNotifications().isEmpty()
                                    && m.postNotifications().isEmpty()))
                    .map(m -> m.name() + ": " + whyNotEnabled(m.name()))
                    .collect(Collectors.toUnmodifiableList());
        }
    }
}
