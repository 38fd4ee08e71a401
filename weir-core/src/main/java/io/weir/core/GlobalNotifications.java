package io.weir.core;

import io.weir.api.GlobalModule;
import io.weir.api.GlobalNotification;
import io.weir.api.GlobalNotificationStatus;
import io.weir.api.RequestNotification;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpApplicationProvider;
import io.weir.api.provider.PreBeginRequestProvider;
import io.weir.core.internal.context.RequestContext;
import io.weir.core.internal.context.RequestLog;
import io.weir.core.internal.module.RegisteredModule;
import io.weir.core.internal.site.ServedApplication;
import io.weir.core.internal.stored.ContextContainer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises global notifications ({@code CGlobalModule}'s) on the global modules of one generation.
 * Every raise runs on the caller's thread: the request's event loop for GL_PRE_BEGIN_REQUEST, the
 * thread that starts, reloads or closes the engine for the application events, the periodic
 * timer's thread for the health and cache events. See docs/reference/native-module-model.md.
 */
final class GlobalNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(GlobalNotifications.class);

    private GlobalNotifications() {}

    /**
     * Delivers a global notification to the generation's global modules that registered it, in
     * priority then {@code <globalModules>} order; the first HANDLED stops the rest, as IIS's
     * {@code GL_NOTIFICATION_HANDLED} does. Every global raise site but PRE_BEGIN_REQUEST (which
     * also ends the request on an exception) goes through here. A module that throws is logged and
     * the next one runs.
     *
     * @return HANDLED when a module handled it, else CONTINUE
     */
    static GlobalNotificationStatus raiseGlobal(
            EngineGeneration g, GlobalNotification n, Function<GlobalModule, GlobalNotificationStatus> call) {
        for (RegisteredModule m : g.globals.get(n)) {
            try {
                if (call.apply(m.globalModule()) == GlobalNotificationStatus.HANDLED) {
                    return GlobalNotificationStatus.HANDLED;
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.error("global module '{}' threw in {}", m.name(), n, e);
            }
        }
        return GlobalNotificationStatus.CONTINUE;
    }

    /** Raises APPLICATION_START or APPLICATION_STOP for one application; a stopped one's stored contexts are cleaned up. */
    static void raiseApplication(EngineGeneration g, GlobalNotification n, ServedApplication app) {
        HttpApplicationProvider provider = () -> app;
        raiseGlobal(
                g,
                n,
                m -> n == GlobalNotification.APPLICATION_START
                        ? m.onGlobalApplicationStart(provider)
                        : m.onGlobalApplicationStop(provider));
        if (n == GlobalNotification.APPLICATION_STOP) {
            // the application is gone: its stored contexts are cleaned up (IHttpStoredContext::CleanupStoredContext)
            ((ContextContainer) app.moduleContextContainer()).cleanup();
        }
    }

    /**
     * Raises GL_PRE_BEGIN_REQUEST for a request about to enter its pipeline; on the request's event
     * loop. A module that throws fails the request (500) and only its end stages run.
     */
    static void raisePreBeginRequest(EngineGeneration g, RequestContext context) {
        RegisteredModule[] modules = g.globals.get(GlobalNotification.PRE_BEGIN_REQUEST);
        if (modules.length == 0) {
            return;
        }
        PreBeginRequestProvider provider = new PreBeginRequestProvider() {
            @Override
            public HttpContext httpContext() {
                return context;
            }

            @Override
            public void finishRequest() {
                context.finishBeforeBegin();
            }
        };
        for (RegisteredModule m : modules) {
            try {
                if (m.globalModule().onGlobalPreBeginRequest(provider) == GlobalNotificationStatus.HANDLED) {
                    return;
                }
            } catch (RuntimeException | LinkageError e) {
                RequestLog.error(
                        LOG,
                        context,
                        "global module '{}' threw in PRE_BEGIN_REQUEST for {}",
                        m.name(),
                        context.describe(),
                        e);
                context.recordError(m.name(), RequestNotification.BEGIN_REQUEST, false);
                context.failResponse(e);
                context.finishBeforeBegin();
                return;
            }
        }
    }
}
