package io.weir.core.internal.module;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when a module registered a request notification whose method its class does not
 * override: the interface's default then runs (CONTINUE) and the registration does nothing, which
 * is almost always a mistake (IIS hits a debug break in the same case). Checked once per module and
 * class, when the module's factory first creates an instance of that class, since a factory's
 * class is known only then.
 */
public final class NotificationOverrides {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationOverrides.class);

    /** Per class, the names of the modules already checked against it (no allocation once checked). */
    private static final ClassValue<Checked> CHECKED = new ClassValue<>() {
        @Override
        protected Checked computeValue(Class<?> type) {
            return new Checked();
        }
    };

    /**
     * The modules checked against one class; {@code first}, the first of them, is compared by
     * identity before the set is searched (a class is nearly always one module's, and this runs for
     * every module instance of every request).
     */
    private static final class Checked {
        volatile String first;
        final Set<String> names = ConcurrentHashMap.newKeySet(2);
    }

    private NotificationOverrides() {}

    /**
     * Checks a new instance of a module against what the module registered; logs one warning per
     * notification method it does not override, the first time this module creates this class.
     *
     * @param module   the module as registered
     * @param instance an instance its factory just created
     */
    public static void check(RegisteredModule module, HttpModule instance) {
        Class<?> type = instance.getClass();
        Checked checked = CHECKED.get(type);
        String name = module.name();
        // contains first: add() on a present key still locks the map's bin, per module instance per request
        if (checked.first == name || checked.names.contains(name) || !checked.names.add(name)) {
            return;
        }
        if (checked.first == null) {
            checked.first = name;
        }
        for (RequestNotification n : module.notifications()) {
            warnUnlessOverridden(module, type, n, false);
        }
        for (RequestNotification n : module.postNotifications()) {
            warnUnlessOverridden(module, type, n, true);
        }
    }

    private static void warnUnlessOverridden(
            RegisteredModule module, Class<?> type, RequestNotification n, boolean post) {
        String method = methodName(n, post);
        for (Method m : type.getMethods()) {
            if (m.getName().equals(method) && m.getDeclaringClass() != HttpModule.class) {
                return;
            }
        }
        LOG.warn(
                "module '{}' registered {}{} but its class {} does not override {}(): the registration has no effect",
                module.name(),
                post ? "POST_" : "",
                n,
                type.getName(),
                method);
    }

    /**
     * Returns the name of the {@link HttpModule} method that handles a notification.
     *
     * @param n    the notification
     * @param post true for the post-notification
     * @return for example {@code "onBeginRequest"} or {@code "onPostBeginRequest"}
     */
    static String methodName(RequestNotification n, boolean post) {
        if (n == RequestNotification.CUSTOM_NOTIFICATION) {
            return "onCustomRequestNotification";
        }
        StringBuilder b = new StringBuilder(post ? "onPost" : "on");
        for (String word : n.name().split("_")) {
            b.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }
}
