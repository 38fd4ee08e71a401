/**
 * AnonymousAuthenticationModule and BasicAuthenticationModule, with Weir's user store; they mirror
 * IIS's {@code authanon.dll} and {@code authbas.dll}. Both run in AUTHENTICATE_REQUEST; Basic also adds
 * its challenge to 401 responses in SEND_RESPONSE.
 *
 * <p><b>Sections</b> (IIS's names and defaults):
 * <ul>
 * <li>{@code system.webServer/security/authentication/anonymousAuthentication}
 *     ({@link io.weir.modules.authentication.AnonymousAuthenticationSection}): {@code enabled} (true);
 *     {@code userName} (IUSR), {@code password}, {@code logonMethod} are accepted, not acted on.</li>
 * <li>{@code system.webServer/security/authentication/basicAuthentication}
 *     ({@link io.weir.modules.authentication.BasicAuthenticationSection}): {@code enabled} (false),
 *     {@code realm}, {@code defaultLogonDomain}; {@code logonMethod} accepted, not acted on; and Weir's
 *     {@code weirUserFile} (the user store, {@code %VAR%} expanded, relative to the configuration
 *     file's folder) and {@code weirAllowPlainHttp} (false: Basic only over TLS).</li>
 * </ul>
 *
 * <p><b>Statuses</b>: 401.1 wrong name or password; 401.2 no module authenticated the request and
 * anonymous is disabled; 403.4 Basic credentials on a connection without TLS while
 * {@code weirAllowPlainHttp} is false; 400.0 malformed Basic credentials or several
 * {@code Authorization} headers. Every 401 of a URL where Basic is enabled (and offered) carries
 * {@code WWW-Authenticate: Basic realm="…", charset="UTF-8"}.
 *
 * <p><b>User store</b>: {@link io.weir.modules.authentication.UserFile} (format:
 * {@code name:bcrypt-hash[:role,role]}, what {@code htpasswd -B} writes plus optional roles) and
 * {@link io.weir.modules.authentication.UserStore} (reload on change, bcrypt on the blocking executor,
 * constant-time checks, a 30-second cache of successes). docs/modules/authentication.md is the
 * administrator's guide.
 */
package io.weir.modules.authentication;
