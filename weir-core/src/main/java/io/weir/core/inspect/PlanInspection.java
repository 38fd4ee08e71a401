package io.weir.core.inspect;

import io.weir.api.RequestNotification;
import io.weir.api.http.HttpFileInfo;
import io.weir.core.internal.handler.HandlerMapping;
import io.weir.core.internal.handler.HandlerTable;
import io.weir.core.internal.module.RegisteredModule;
import io.weir.core.internal.pipeline.PipelinePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The compiled pipeline of one effective configuration: the enabled modules in {@code <modules>}
 * order, the modules each notification calls in the order the engine calls them, and the usable
 * handler table. Immutable.
 */
public final class PlanInspection {

    private final PipelinePlan plan;
    private final List<PlannedModule> modules;

    PlanInspection(PipelinePlan plan) {
        this.plan = plan;
        List<PlannedModule> all = new ArrayList<>();
        for (RegisteredModule m : plan.modules()) {
            all.add(new PlannedModule(m));
        }
        this.modules = List.copyOf(all);
    }

    /** @return the modules enabled for the URL, in the order the plan holds them */
    public List<PlannedModule> modules() {
        return modules;
    }

    /**
     * Returns the modules a notification calls, in the order the engine calls them (by priority,
     * then {@code <modules>} order; reversed for SEND_RESPONSE, as IIS does).
     *
     * @param n the notification
     * @return the modules; empty when none registered it
     */
    public List<PlannedModule> modulesAt(RequestNotification n) {
        return at(plan.slots(n));
    }

    /**
     * Returns the modules a post-notification calls, in calling order.
     *
     * @param n the notification
     * @return the modules; empty when none registered its post-notification
     */
    public List<PlannedModule> modulesAtPost(RequestNotification n) {
        return at(plan.postSlots(n));
    }

    /**
     * @return the enabled modules left out of this plan because their configuration makes them
     *         no-ops, each with the sections that decided, in module order
     */
    public Map<String, List<String>> leftOut() {
        return plan.leftOut();
    }

    /** @return the usable entries of the handler table, in table order */
    public List<PlannedHandler> handlers() {
        List<PlannedHandler> handlers = new ArrayList<>();
        for (HandlerMapping m : plan.handlers().mappings()) {
            handlers.add(new PlannedHandler(m));
        }
        return List.copyOf(handlers);
    }

    /**
     * Chooses the handler for a request, as the engine does in MAP_REQUEST_HANDLER.
     *
     * @param url  the decoded URL path
     * @param verb the verb
     * @param file what is on disk at the URL's physical path; empty when nothing is there
     * @return the outcome
     */
    public HandlerMatch match(String url, String verb, Optional<HttpFileInfo> file) {
        return match(url, verb, script -> script.length() == url.length() ? file : Optional.empty());
    }

    /**
     * Chooses the handler for a request, as the engine does in MAP_REQUEST_HANDLER, looking up the
     * file of the URL's script part when a mapping with {@code allowPathInfo} splits it.
     *
     * @param url   the decoded URL path
     * @param verb  the verb
     * @param files what is on disk at the physical path of a URL path (the whole one or its script
     *              part); empty when nothing is there
     * @return the outcome
     */
    public HandlerMatch match(String url, String verb, Function<String, Optional<HttpFileInfo>> files) {
        return switch (plan.handlers().match(url, verb, files)) {
            case HandlerTable.Match.Found found ->
                new HandlerMatch.Found(new PlannedHandler(found.mapping()), found.resourceMissing());
            case HandlerTable.Match.VerbRefused refused -> new HandlerMatch.VerbRefused();
            case HandlerTable.Match.NoHandler none -> new HandlerMatch.NoHandler();
        };
    }

    /**
     * Returns the modules EXECUTE_REQUEST_HANDLER calls for a handler: those it lists that are
     * enabled and registered the notification, in its order.
     *
     * @param handler the handler
     * @return the modules
     */
    public List<PlannedModule> executeModules(PlannedHandler handler) {
        return at(plan.executeSlots(handler.mapping()));
    }

    /**
     * Returns the modules a handler lists that are not enabled for the URL (IIS answers 500.21).
     *
     * @param handler the handler
     * @return their names; empty when every listed module is enabled
     */
    public List<String> missingModules(PlannedHandler handler) {
        return plan.missingModules(handler.mapping());
    }

    private List<PlannedModule> at(int[] slots) {
        List<PlannedModule> result = new ArrayList<>(slots.length);
        for (int slot : slots) {
            result.add(modules.get(slot));
        }
        return List.copyOf(result);
    }
}
