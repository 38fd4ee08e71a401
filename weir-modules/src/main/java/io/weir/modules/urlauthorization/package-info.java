/**
 * UrlAuthorizationModule: {@code system.webServer/security/authorization} allow and deny rules by user,
 * role and verb, in AUTHORIZE_REQUEST; mirrors IIS's {@code urlauthz.dll}. Deny rules are evaluated
 * before Allow rules, parent levels first; no matching rule denies. Denials answer 401.2 (anonymous)
 * or 401.3 (authenticated user, Weir's choice). docs/modules/authentication.md is the administrator's
 * guide.
 */
package io.weir.modules.urlauthorization;
