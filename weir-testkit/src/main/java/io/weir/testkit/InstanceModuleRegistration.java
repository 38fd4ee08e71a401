package io.weir.testkit;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The bridge that lets {@link WeirTestConfig#module(String, ModuleRegistration)} hand a registration
 * instance (a lambda, a configured object) to a server, whose {@code <globalModules>} can only name a
 * class: the configuration names this class with {@code type=}, and while a test server starts, on
 * the starting thread, this class looks up the instance registered for the entry's name and calls
 * it. Public only because the server instantiates it by reflection; tests do not use it directly.
 */
public final class InstanceModuleRegistration implements ModuleRegistration {

    private static final ThreadLocal<Map<String, ModuleRegistration>> STARTING = new ThreadLocal<>();

    /** Creates the bridge; the server does this, once per {@code <globalModules>} entry naming it. */
    public InstanceModuleRegistration() {}

    /**
     * Runs a server start with the given instances visible to this bridge on the current thread.
     *
     * @param instances the registrations by module name
     * @param start     starts the server (loads the modules on this thread)
     * @param <T>       what the start returns
     * @return what {@code start} returned
     */
    static <T> T withInstances(Map<String, ModuleRegistration> instances, Supplier<T> start) {
        Map<String, ModuleRegistration> previous = STARTING.get();
        STARTING.set(instances);
        try {
            return start.get();
        } finally {
            if (previous == null) {
                STARTING.remove();
            } else {
                STARTING.set(previous);
            }
        }
    }

    /**
     * Calls the instance registered for {@code info.name()}.
     *
     * @param serverVersion passed on
     * @param info          passed on
     * @param server        passed on
     * @throws IllegalStateException when no instance was given for this name (the configuration was
     *                               not started through {@link WeirTestConfig})
     * @throws Exception             whatever the instance throws
     */
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) throws Exception {
        Map<String, ModuleRegistration> instances = STARTING.get();
        ModuleRegistration registration = instances == null ? null : instances.get(info.name());
        if (registration == null) {
            throw new IllegalStateException("no registration instance for module '" + info.name() + "': "
                    + InstanceModuleRegistration.class.getName() + " works only for modules added with "
                    + "WeirTestConfig.module(name, instance) and started from that WeirTestConfig");
        }
        registration.register(serverVersion, info, server);
    }
}
