package io.weir.cli.testmodule.throwing;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;

/** A module JAR's registration that fails, as a module missing its licence key would. */
public final class ThrowingModuleRegistration implements ModuleRegistration {

    /** Public for the service loader. */
    public ThrowingModuleRegistration() {}

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        throw new IllegalStateException("no licence key configured");
    }
}
