/**
 * The public API every Weir module is written against, built-in or third-party: module registration
 * (ModuleRegistration, the counterpart of IIS's RegisterModule), request modules (HttpModule,
 * CHttpModule's counterpart), global modules (GlobalModule, CGlobalModule's), notifications,
 * statuses and priorities. Depends on the JDK only.
 *
 * <p>Threads: request notification methods run on the request's event loop unless the module
 * declared the notification blocking; they must not block there. Global notifications run on the
 * thread that raises them (documented on each). See docs/reference/native-module-model.md.
 */
package io.weir.api;
