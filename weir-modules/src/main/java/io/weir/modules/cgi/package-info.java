/**
 * CgiModule: runs CGI/1.1 programs, one process per request; mirrors IIS's CgiModule
 * ({@code cgi.dll}).
 *
 * <p><b>Notifications:</b> EXECUTE_REQUEST_HANDLER, declared blocking, as the module of a mapping
 * such as IIS's {@code <add name="CGI-exe" path="*.exe" verb="*" modules="CgiModule"
 * resourceType="File" requireAccess="Execute" />} (on Linux, typically {@code path="*.cgi"}); the
 * handlers' {@code accessPolicy} must then include {@code Execute}.
 *
 * <p><b>Sections:</b> {@code system.webServer/cgi} ({@link io.weir.modules.cgi.CgiSection}:
 * {@code timeout}; {@code createProcessAsUser} and {@code createCGIWithNewConsole} do not apply)
 * and {@code system.webServer/security/isapiCgiRestriction}
 * ({@link io.weir.modules.cgi.IsapiCgiRestrictionSection}): an executable not listed with
 * {@code allowed="true"} gets 404.2 unless {@code notListedCgisAllowed}.
 */
package io.weir.modules.cgi;
