package io.weir.core.internal.pipeline;

import io.weir.api.Priority;
import io.weir.api.RequestNotification;
import io.weir.api.config.ConfigElement;
import io.weir.api.http.ScriptMapInfo;
import io.weir.config.EffectiveConfig;
import io.weir.core.internal.handler.HandlerMapping;
import io.weir.core.internal.handler.HandlerTable;
import io.weir.core.internal.module.RegisteredModule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline runs for one effective configuration, computed once and then only read: the
 * enabled request-level modules in {@code <modules>} order, and for every notification the module
 * slots in run order (docs/reference/native-module-model.md, "Priorities and order"):
 * <ol>
 *   <li>higher priority first (FIRST, HIGH, MEDIUM, LOW, LAST), then {@code <modules>} order;</li>
 *   <li>SEND_RESPONSE in the exact reverse of that order (IIS inverts priorities there; Weir also
 *       inverts the config-order tie-break, which IIS leaves undocumented);</li>
 *   <li>EXECUTE_REQUEST_HANDLER only for the modules named by the chosen handler mapping, in its
 *       {@code modules} order ({@link #executeSlots}); its post-notification goes to every module
 *       that registered it (IIS leaves this open).</li>
 * </ol>
 * A post-notification's priority is the one set with setPriorityForPostRequestNotification, else
 * the event's.
 *
 * <p>A module whose declared idle configuration ({@code setIdleWhen}) holds for this effective
 * configuration is left out of every notification's slots (it stays among {@link #modules()} and in
 * the EXECUTE_REQUEST_HANDLER slots of a mapping that names it), and {@link #leftOut()} says why.
 * The engine reads the system property {@value #LEAVE_OUT_IDLE} once per configuration generation:
 * {@code false} keeps every enabled module in its plans, to compare responses with and without.
 */
public final class PipelinePlan {

    /** System property: {@code false} keeps idle modules in compiled plans (default true). */
    public static final String LEAVE_OUT_IDLE = "weir.pipeline.leaveOutIdle";

    private static final Logger LOG = LoggerFactory.getLogger(PipelinePlan.class);
    private static final RequestNotification[] ALL = RequestNotification.values();
    private static final int[] NONE = new int[0];
    private static final StageStep[] STEPS = new StageStep[ALL.length];

    static {
        for (RequestNotification n : ALL) {
            STEPS[n.ordinal()] = StageStep.of(n);
        }
    }

    private final RegisteredModule[] modules;
    private final int[][] event = new int[ALL.length][];
    private final int[][] post = new int[ALL.length][];
    /** Per notification, the slots idle modules included; the same array as in event when none is idle. */
    private final int[][] withIdle = new int[ALL.length][];

    private final HandlerTable handlers;
    /** Per slot, bit {@code ordinal} set for each notification the module declared blocking. */
    private final int[] blocking;

    private final Map<HandlerMapping, int[]> executeSlots = new IdentityHashMap<>();
    private final Map<HandlerMapping, List<String>> missingHandlerModules = new IdentityHashMap<>();
    /** Per slot, true when the module is left out of the notifications (idle here). */
    private final boolean[] idle;

    private final Map<String, List<String>> leftOut = new LinkedHashMap<>();

    /**
     * Compiles the plan, leaving out the handler mappings that need an unavailable module.
     *
     * @param config      the effective configuration
     * @param loaded      the loaded modules by name
     * @param unavailable names of {@code <globalModules>} entries with no implementation; the
     *                    handlers naming one are skipped (the engine reports them once)
     * @param warnings    receives one line per module listed in {@code <modules>} that is not loaded
     */
    public PipelinePlan(
            EffectiveConfig config,
            Map<String, RegisteredModule> loaded,
            Set<String> unavailable,
            List<String> warnings) {
        this(config, loaded, unavailable, List.of(), warnings);
    }

    /**
     * Compiles the plan of an application to which global modules added modules in
     * GL_APPLICATION_RESOLVE_MODULES: they follow the configured {@code <modules>}, in the order
     * added (one whose name a configured module already has is left out, with a warning).
     *
     * @param config      the effective configuration
     * @param loaded      the loaded modules by name
     * @param unavailable names of {@code <globalModules>} entries with no implementation
     * @param added       modules added for the request's application
     * @param warnings    receives one line per problem
     */
    public PipelinePlan(
            EffectiveConfig config,
            Map<String, RegisteredModule> loaded,
            Set<String> unavailable,
            List<RegisteredModule> added,
            List<String> warnings) {
        this(config, loaded, unavailable, added, warnings, true);
    }

    /**
     * Compiles the plan, choosing whether idle modules are left out.
     *
     * @param config       the effective configuration
     * @param loaded       the loaded modules by name
     * @param unavailable  names of {@code <globalModules>} entries with no implementation
     * @param added        modules added for the request's application
     * @param warnings     receives one line per problem
     * @param leaveOutIdle true to leave out the modules whose declared idle configuration holds here
     */
    public PipelinePlan(
            EffectiveConfig config,
            Map<String, RegisteredModule> loaded,
            Set<String> unavailable,
            List<RegisteredModule> added,
            List<String> warnings,
            boolean leaveOutIdle) {
        List<RegisteredModule> enabled = new ArrayList<>();
        for (ConfigElement add : config.section("system.webServer/modules").collection()) {
            String name = add.stringAttribute("name", "");
            String preCondition = add.stringAttribute("preCondition", "").toLowerCase(Locale.ROOT);
            if (preCondition.contains("managedhandler")) {
                continue;
            }
            RegisteredModule module = loaded.get(name);
            if (module == null && unavailable.contains(name)) {
                continue;
            }
            if (module == null) {
                warnings.add("module '" + name + "' is enabled in <modules> (" + add.source()
                        + ") but not loaded from <globalModules>; it does not run");
                continue;
            }
            if (module.factory() != null) {
                enabled.add(module);
            }
        }
        for (RegisteredModule extra : added) {
            if (enabled.stream().anyMatch(m -> m.name().equals(extra.name()))) {
                warnings.add("module '" + extra.name() + "' added in APPLICATION_RESOLVE_MODULES has the name of a "
                        + "configured module; left out");
            } else {
                enabled.add(extra);
            }
        }
        this.modules = enabled.toArray(new RegisteredModule[0]);
        this.blocking = new int[modules.length];
        this.idle = new boolean[modules.length];
        for (int i = 0; leaveOutIdle && i < modules.length; i++) {
            List<String> sections = modules[i].idleSections(config);
            if (!sections.isEmpty()) {
                idle[i] = true;
                leftOut.put(modules[i].name(), sections);
            }
        }
        for (int i = 0; i < modules.length; i++) {
            for (RequestNotification n : modules[i].blocking()) {
                blocking[i] |= 1 << n.ordinal();
            }
        }
        for (RequestNotification n : ALL) {
            boolean keepIdle = n == RequestNotification.EXECUTE_REQUEST_HANDLER;
            event[n.ordinal()] = order(
                    i -> modules[i].notifications().contains(n) && (keepIdle || !idle[i]),
                    m -> m.priority(n).ordinal(),
                    n == RequestNotification.SEND_RESPONSE);
            int[] all = order(
                    i -> modules[i].notifications().contains(n),
                    m -> m.priority(n).ordinal(),
                    n == RequestNotification.SEND_RESPONSE);
            withIdle[n.ordinal()] = Arrays.equals(all, event[n.ordinal()]) ? event[n.ordinal()] : all;
            post[n.ordinal()] = n.isDeterministic()
                    ? order(
                            i -> modules[i].postNotifications().contains(n) && (keepIdle || !idle[i]),
                            m -> m.postPriority(n).ordinal(),
                            false)
                    : NONE;
        }
        this.handlers =
                HandlerTable.from(config.section("system.webServer/handlers")).withoutModules(unavailable);
        for (HandlerMapping mapping : handlers.mappings()) {
            List<Integer> slots = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            for (String name : mapping.modules()) {
                int slot = slotOf(name);
                if (slot < 0) {
                    missing.add(name);
                } else if (modules[slot].notifications().contains(RequestNotification.EXECUTE_REQUEST_HANDLER)) {
                    slots.add(slot);
                } else {
                    LOG.debug(
                            "handler '{}' names module '{}', which did not register EXECUTE_REQUEST_HANDLER",
                            mapping.name(),
                            name);
                }
            }
            executeSlots.put(mapping, slots.stream().mapToInt(Integer::intValue).toArray());
            if (!missing.isEmpty()) {
                missingHandlerModules.put(mapping, List.copyOf(missing));
            }
        }
    }

    private int[] order(IntPredicate subscribed, ToIntFunction<RegisteredModule> priority, boolean reversed) {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < modules.length; i++) {
            if (subscribed.test(i)) {
                slots.add(i);
            }
        }
        // Stable sort: equal priorities keep <modules> order.
        slots.sort(Comparator.comparingInt(i -> priority.applyAsInt(modules[i])));
        int[] result = slots.stream().mapToInt(Integer::intValue).toArray();
        if (reversed) {
            for (int i = 0, j = result.length - 1; i < j; i++, j--) {
                int t = result[i];
                result[i] = result[j];
                result[j] = t;
            }
        }
        return result;
    }

    private int slotOf(String name) {
        for (int i = 0; i < modules.length; i++) {
            if (modules[i].name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** @return the enabled request-level modules, in {@code <modules>} order; slots index this array */
    public RegisteredModule[] modules() {
        return modules;
    }

    /**
     * @return the enabled modules left out of this plan's notifications because their configuration
     *         here makes them idle, in {@code <modules>} order, each with the sections that decided
     */
    public Map<String, List<String>> leftOut() {
        return Collections.unmodifiableMap(leftOut);
    }

    /** @param n a notification @return the slots that get it, in run order (do not modify) */
    public int[] slots(RequestNotification n) {
        return event[n.ordinal()];
    }

    /**
     * The slots of a notification with the modules left out as idle included, for the rest of
     * BEGIN_REQUEST once a module changed the URL (the idle decision was made for the old URL).
     *
     * @param n a notification
     * @return the slots in run order; the very array of {@link #slots} when no module was left out
     */
    public int[] slotsWithIdle(RequestNotification n) {
        return withIdle[n.ordinal()];
    }

    /**
     * @param all  slots in run order
     * @param slot a slot
     * @return the index in {@code all} just after {@code slot}; 0 when it is absent
     */
    public static int indexAfter(int[] all, int slot) {
        for (int i = 0; i < all.length; i++) {
            if (all[i] == slot) {
                return i + 1;
            }
        }
        return 0;
    }

    /** @param n a deterministic notification @return the slots that get its post-notification, in run order */
    public int[] postSlots(RequestNotification n) {
        return post[n.ordinal()];
    }

    /**
     * @param slot a module slot
     * @param n    a deterministic notification
     * @return true when the module declared n blocking: its event, post and async-completion calls
     *         for n run on the blocking executor
     */
    public boolean isBlocking(int slot, RequestNotification n) {
        return (blocking[slot] & (1 << n.ordinal())) != 0;
    }

    /** @return the handler mappings */
    public HandlerTable handlers() {
        return handlers;
    }

    /**
     * @param n a deterministic stage
     * @return what the stage does besides calling its modules (nginx's phase checker)
     */
    public StageStep step(RequestNotification n) {
        return STEPS[n.ordinal()];
    }

    /**
     * @param mapping a mapping of this plan's table
     * @return the slots of its modules that registered EXECUTE_REQUEST_HANDLER, in its order; empty
     *         for a mapping that did not come from this table (a module's own, via setScriptMap)
     */
    public int[] executeSlots(ScriptMapInfo mapping) {
        int[] slots = mapping instanceof HandlerMapping hm ? executeSlots.get(hm) : null;
        if (slots != null) {
            return slots;
        }
        List<Integer> result = new ArrayList<>();
        for (String name : mapping.modules()) {
            int slot = slotOf(name);
            if (slot >= 0 && modules[slot].notifications().contains(RequestNotification.EXECUTE_REQUEST_HANDLER)) {
                result.add(slot);
            }
        }
        return result.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * @param mapping a mapping
     * @return the names in its {@code modules} list that are not enabled here (IIS answers 500.21)
     */
    public List<String> missingModules(ScriptMapInfo mapping) {
        if (mapping instanceof HandlerMapping hm && executeSlots.containsKey(hm)) {
            return missingHandlerModules.getOrDefault(hm, List.of());
        }
        return mapping.modules().stream().filter(n -> slotOf(n) < 0).toList();
    }

    /**
     * Describes the order, one line per notification, for logs and {@code weir explain}.
     *
     * @return the description
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (RequestNotification n : ALL) {
            append(sb, n.name(), event[n.ordinal()], n, false);
            if (n.isDeterministic()) {
                append(sb, "POST_" + n.name(), post[n.ordinal()], n, true);
            }
        }
        leftOut.forEach((name, sections) -> sb.append(String.format("%-36s", "left out:"))
                .append(' ')
                .append(name)
                .append(" (idle under ")
                .append(String.join(", ", sections))
                .append(")\n"));
        return sb.toString();
    }

    private void append(StringBuilder sb, String label, int[] slots, RequestNotification n, boolean isPost) {
        if (slots.length == 0) {
            return;
        }
        sb.append(String.format("%-36s", label));
        for (int s : slots) {
            Priority p = isPost ? modules[s].postPriority(n) : modules[s].priority(n);
            sb.append(' ')
                    .append(modules[s].name())
                    .append('(')
                    .append(p)
                    .append(isBlocking(s, n) ? ", blocking" : "")
                    .append(')');
        }
        sb.append('\n');
    }

    @Override
    public String toString() {
        return "PipelinePlan"
                + Arrays.stream(modules).map(RegisteredModule::name).toList();
    }
}
