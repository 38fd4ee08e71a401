/**
 * IpRestrictionModule and DynamicIpRestrictionModule: IIS's "IP and Domain Restrictions" feature,
 * whose two modules ({@code iprestr.dll}, {@code diprestr.dll}) share the address handling, the
 * {@code denyAction} enum and the proxy mode, so they live in one package with one registration
 * each.
 *
 * <p><b>Sections:</b> {@code system.webServer/security/ipSecurity}
 * ({@link io.weir.modules.iprestriction.IpSecuritySection}) and
 * {@code system.webServer/security/dynamicIpSecurity}
 * ({@link io.weir.modules.iprestriction.DynamicIpSecuritySection}), IIS's names and defaults.
 *
 * <p><b>Notifications:</b> both deny in BEGIN_REQUEST; DynamicIpRestrictionModule also releases its
 * concurrency count in END_REQUEST.
 *
 * <p><b>Statuses</b> ("HTTP status codes in IIS"): x.501 too many concurrent requests, x.502
 * request rate exceeded, x.503 IP address denied, where x is 401, 403 (default) or 404 by
 * {@code denyAction}; {@code AbortRequest} resets the connection without a response; 400.10 for a
 * malformed {@code X-Forwarded-For} in proxy mode.
 *
 * <p><b>Not implemented:</b> reverse DNS ({@code enableReverseDns="true"} is refused; domain-name
 * rules are not evaluated, as IIS does not evaluate them while reverse DNS is off), so x.504
 * (host name denied) never occurs.
 */
package io.weir.modules.iprestriction;
