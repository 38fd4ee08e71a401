package io.weir.api;

/**
 * The registration entry point of a module library; the Java counterpart of the
 * {@code RegisterModule} function that an IIS native module DLL exports.
 *
 * <p>A module JAR names its implementation in
 * {@code META-INF/services/io.weir.api.ModuleRegistration}. The server loads the JAR named by the
 * {@code image} attribute of a {@code system.webServer/globalModules} entry (or a class on its own
 * class path named by the {@code type} attribute) and calls {@link #register} once per
 * {@code <globalModules>} entry, at start-up, on the main thread, before any request is served.
 *
 * <pre>{@code
 * public final class HelloWorldRegistration implements ModuleRegistration {
 *     public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
 *         info.setRequestNotifications(allocator -> new HelloWorldModule(),
 *                 EnumSet.of(RequestNotification.BEGIN_REQUEST), EnumSet.noneOf(RequestNotification.class));
 *     }
 * }
 * }</pre>
 *
 * <p>An exception thrown from {@code register} is reported with the module's name and image and
 * the module is left out; the server still starts. Do not raise trace events from here (as in IIS).
 */
public interface ModuleRegistration {

    /**
     * Registers the module's factory and/or global module and their priorities.
     *
     * @param serverVersion the version of the Weir module API that loads the module
     *                      ({@link HttpServer#API_VERSION}); IIS passes its major version here
     * @param info          where the module registers for notifications; valid only during this call
     * @param server        the process-wide services; may be kept for later use
     * @throws Exception    to refuse loading; the module is then left out and the error logged
     */
    void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) throws Exception;
}
