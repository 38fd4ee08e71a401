/**
 * The ASP.NET Core Module ({@code AspNetCoreModuleV2}) with out-of-process hosting: Weir starts an
 * application's process with {@code ASPNETCORE_PORT} set, waits for it to listen, forwards
 * requests to it through the reverse proxy's handler, starts it again when it dies (within
 * {@code rapidFailsPerMinute}) and stops it with the application.
 *
 * <p><b>Notifications:</b> EXECUTE_REQUEST_HANDLER (the handler of the {@code aspNetCore} mapping)
 * and GL_APPLICATION_STOP. <b>Section:</b> {@link io.weir.modules.aspnetcore.AspNetCoreSection}
 * ({@code system.webServer/aspNetCore}). The behaviour is described on
 * {@link io.weir.modules.aspnetcore.AspNetCoreModule}.
 */
package io.weir.modules.aspnetcore;
