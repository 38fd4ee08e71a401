/**
 * HttpRedirectionModule: configuration-driven redirects from {@code system.webServer/httpRedirect};
 * mirrors IIS's HttpRedirectionModule ({@code redirect.dll}).
 *
 * <p><b>Notification:</b> MAP_REQUEST_HANDLER. <b>Section:</b>
 * {@link io.weir.modules.httpredirect.HttpRedirectSection} ({@code enabled}, {@code destination},
 * {@code exactDestination}, {@code childOnly}, {@code httpResponseStatus} Permanent 301 / Found 302
 * / Temporary 307 / PermRedirect 308, and the {@code <add wildcard destination>} collection with
 * IIS 6's {@code $S $V $Q $P $0-$9} variables and {@code !}). The rules, including Weir's
 * loop guard, are on {@link io.weir.modules.httpredirect.HttpRedirectionModule}.
 */
package io.weir.modules.httpredirect;
