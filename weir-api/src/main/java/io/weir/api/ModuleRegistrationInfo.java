package io.weir.api;

import io.weir.api.config.ConfigSectionType;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a module uses, during {@link ModuleRegistration#register}, to say which notifications it
 * wants and with which priority; mirrors IIS's {@code IHttpModuleRegistrationInfo}.
 *
 * <p>Valid only during the {@code register} call, on the thread that made it. A request-level module
 * also has to be enabled in an application's {@code system.webServer/modules} list before it gets
 * request notifications; a global module needs only its {@code <globalModules>} entry.
 */
public interface ModuleRegistrationInfo {

    /**
     * Returns the module's configured name, the {@code name} of its {@code <globalModules>} entry.
     *
     * @return the name, never null
     */
    String name();

    /**
     * Returns the module's identity, used as a key for context containers.
     *
     * @return the id, never null
     */
    ModuleId id();

    /**
     * Registers the per-request factory and the request notifications and post-notifications the
     * module's instances receive. Mirrors {@code SetRequestNotifications}.
     *
     * @param factory           creates one {@link HttpModule} per request
     * @param notifications     the notifications wanted; any of {@link RequestNotification}
     * @param postNotifications the post-notifications wanted; deterministic notifications only
     * @throws IllegalStateException    if called twice (IIS: {@code ERROR_ALREADY_EXISTS})
     * @throws IllegalArgumentException if {@code postNotifications} holds a non-deterministic notification
     */
    void setRequestNotifications(
            HttpModuleFactory factory,
            Set<RequestNotification> notifications,
            Set<RequestNotification> postNotifications);

    /**
     * Declares that this module's handlers for the given request notifications may block (a
     * database, a remote call, file I/O beyond a stat, password hashing). Weir's addition to IIS's
     * model: IIS runs modules on a thread pool where blocking is merely discouraged, while Weir runs
     * the pipeline on the connection's event loop, which must never block.
     *
     * <p>For a declared notification the engine calls the module's event method, its
     * post-notification method and its {@link HttpModule#onAsyncCompletion} for that notification
     * (and, the first time the request reaches the module there, {@link HttpModuleFactory#createModule})
     * on {@link HttpServer#blockingExecutor()} (a virtual thread), then resumes the request on its
     * event loop. Nothing else changes: the order of modules, FINISH_REQUEST, PENDING with
     * {@code indicateCompletion}/{@code postCompletion}, an exception turning into a 500, and
     * {@link HttpModule#dispose()} (which runs on the event loop and must not block). While the
     * blocking call runs, no other code touches the request, so the module may use the context and
     * the response as on the event loop. Only deterministic notifications (BEGIN_REQUEST …
     * END_REQUEST) can be declared: the non-deterministic ones are raised from inside other calls.
     * A module that does not declare a notification and blocks in it anyway is reported as an
     * event-loop overrun.
     *
     * <p>May be called before or after {@link #setRequestNotifications}; notifications the module did
     * not register are ignored. Calling it again adds to the set.
     *
     * @param notifications the deterministic notifications whose handlers may block
     * @throws IllegalArgumentException if {@code notifications} holds a non-deterministic notification
     */
    void setBlocking(Set<RequestNotification> notifications);

    /**
     * Declares a configuration under which this module does nothing in any request notification:
     * for a URL whose effective configuration binds {@code section} to a value that {@code idle}
     * accepts, every event and post-notification handler of the module would return
     * {@link RequestNotificationStatus#CONTINUE} without changing the request, the response or the
     * request's state. The engine then leaves the module out of that URL's compiled pipeline (it is
     * neither created nor called), which is what makes an idle module cost nothing per request.
     * Weir's addition to IIS's model: IIS calls every enabled module, and a module that has nothing
     * to do returns at once; leaving it out gives the same responses without the call.
     *
     * <p>Called several times, the conditions add up: the module is left out only when every
     * declared section is idle. The decision is taken once per effective configuration, when its
     * pipeline is compiled, so the predicate runs off the request path and must be cheap and
     * side-effect free; a section whose binder throws {@link io.weir.api.config.ConfigException}, and
     * a URL whose configuration is in error, never count as idle (the module runs and reports). The
     * module still runs in {@link RequestNotification#EXECUTE_REQUEST_HANDLER} when the URL's
     * handler mapping names it. A module whose work depends on anything but its configuration
     * (state kept across requests, another module's request state, global rules) must not declare
     * that state's configuration idle. {@code weir explain} lists the modules left out for a URL.
     *
     * @param section the section whose bound value decides; keep one instance per section
     * @param idle    answers true when the bound value makes the module a no-op
     * @param <T>     the section's bound type
     * @throws NullPointerException if either argument is null
     */
    <T> void setIdleWhen(ConfigSectionType<T> section, Predicate<? super T> idle);

    /**
     * Registers the module's single global module instance and the global notifications it wants.
     * Mirrors {@code SetGlobalNotifications}.
     *
     * @param module        the instance; {@link GlobalModule#terminate()} is called at server stop
     * @param notifications the global notifications wanted
     * @throws IllegalStateException if called twice
     */
    void setGlobalNotifications(GlobalModule module, Set<GlobalNotification> notifications);

    /**
     * Sets the priority of this module's handlers for the given request notifications. Mirrors
     * {@code SetPriorityForRequestNotification}; notifications without a priority get MEDIUM.
     *
     * @param notifications the notifications (may include ones not registered; they are ignored)
     * @param priority      the priority
     */
    void setPriorityForRequestNotification(Set<RequestNotification> notifications, Priority priority);

    /**
     * Sets the priority of this module's post-notification handlers. Mirrors the header-only
     * {@code IHttpModuleRegistrationInfo2::SetPriorityForPostRequestNotification}.
     *
     * @param notifications the deterministic notifications whose post-notification is meant
     * @param priority      the priority
     */
    void setPriorityForPostRequestNotification(Set<RequestNotification> notifications, Priority priority);

    /**
     * Sets the priority of this module's global module for the given global notifications. Mirrors
     * {@code SetPriorityForGlobalNotification}.
     *
     * @param notifications the global notifications
     * @param priority      the priority
     */
    void setPriorityForGlobalNotification(Set<GlobalNotification> notifications, Priority priority);
}
