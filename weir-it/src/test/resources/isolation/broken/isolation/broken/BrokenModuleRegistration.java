package isolation.broken;

import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;

/** Compiled by ModuleIsolationIT: a module JAR whose registration refuses to load. */
public final class BrokenModuleRegistration implements ModuleRegistration {
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        throw new IllegalStateException("BrokenModule needs a licence key");
    }
}
