package ${package};

import io.weir.api.HttpModule;
import io.weir.api.HttpModuleFactory;
import io.weir.api.ModuleAllocator;

/**
 * Creates one {@link ${moduleName}} per request (IIS's {@code IHttpModuleFactory}): a new instance
 * keeps per-request state without locking. Weir calls it on the request's thread the first time the
 * request reaches one of the module's notifications, so it must have no side effects.
 */
public final class ${moduleName}Factory implements HttpModuleFactory {

    /** Creates the factory. */
    public ${moduleName}Factory() {
    }

    /**
     * @param allocator request-scoped memory (unused)
     * @return a new module instance
     */
    @Override
    public HttpModule createModule(ModuleAllocator allocator) {
        return new ${moduleName}();
    }

    /** Called once when the server stops; nothing to release. */
    @Override
    public void terminate() {
    }
}
