package io.weir.modules.urlauthorization;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.http.HttpUser;
import io.weir.api.provider.HttpEventProvider;
import java.util.Optional;

/**
 * Allows or denies a request by user, role and verb; mirrors IIS's UrlAuthorizationModule
 * ({@code urlauthz.dll}) and its {@code system.webServer/security/authorization} rules. One shared,
 * stateless instance.
 *
 * <p>Runs in AUTHORIZE_REQUEST on the event loop, after the authentication modules have set the user.
 * Evaluation, as IIS URL Authorization documents it: every Deny rule first (parent levels first, then
 * collection order), then every Allow rule in the same order; the first rule that applies decides; when
 * none applies the request is denied. A parent's Deny therefore cannot be undone by a child's Allow.
 * With the stock rule alone ({@code <add accessType="Allow" users="*" />}) the request is allowed
 * without looking at the user.
 *
 * <p>A denied request gets:
 * <ul>
 * <li>an anonymous request (no user, or the anonymous user): <b>401.2</b>, the status IIS reports when
 *     URL Authorization turns an anonymous request away; the enabled challenge schemes (Basic) add their
 *     {@code WWW-Authenticate} in SEND_RESPONSE, so a browser asks for credentials;</li>
 * <li>an authenticated user: <b>401.3</b> ("unauthorized due to ACL on resource": URL rules are IIS
 *     7's URL ACLs). IIS's documentation names no substatus for this case; 401.3 is Weir's choice, and
 *     it keeps the 401 (with the challenges) so that a browser can offer to log on as someone else.</li>
 * </ul>
 * With {@code bypassLoginPages} (default true) a request whose server variable {@code IS_LOGIN_PAGE}
 * is non-empty is not checked, as in IIS (a forms-login module sets it for its login page).
 */
public final class UrlAuthorizationModule implements HttpModule {

    /** The denial of an anonymous request. */
    static final HttpStatus DENIED_ANONYMOUS = new HttpStatus(401, 2, "Unauthorized");
    /** The denial of an authenticated user (Weir's choice, see the class description). */
    static final HttpStatus DENIED_USER = new HttpStatus(401, 3, "Unauthorized");

    /** The shared instance. */
    static final UrlAuthorizationModule INSTANCE = new UrlAuthorizationModule();

    private UrlAuthorizationModule() {}

    /**
     * Evaluates the rules; see the class description.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE when allowed, FINISH_REQUEST after a 401.2 or 401.3
     */
    @Override
    public RequestNotificationStatus onAuthorizeRequest(HttpContext context, HttpEventProvider provider) {
        AuthorizationSection section = context.config(AuthorizationSection.SECTION);
        if (section.allowsEveryone()) {
            return RequestNotificationStatus.CONTINUE;
        }
        Optional<HttpUser> found = context.user();
        HttpUser user = found.orElse(null);
        boolean anonymous = user == null || user.userName().isEmpty();
        String method = context.request().method();
        Boolean decision = null;
        for (AuthorizationRule rule : section.denyRules()) {
            if (rule.applies(method, user, anonymous)) {
                decision = Boolean.FALSE;
                break;
            }
        }
        if (decision == null) {
            for (AuthorizationRule rule : section.allowRules()) {
                if (rule.applies(method, user, anonymous)) {
                    decision = Boolean.TRUE;
                    break;
                }
            }
        }
        if (Boolean.TRUE.equals(decision)) {
            return RequestNotificationStatus.CONTINUE;
        }
        if (section.bypassLoginPages()
                && context.serverVariable("IS_LOGIN_PAGE")
                        .filter(v -> !v.isEmpty())
                        .isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpResponse response = context.response();
        response.setStatus(anonymous ? DENIED_ANONYMOUS : DENIED_USER);
        response.setErrorDescription(
                anonymous
                        ? "Access is denied to anonymous requests by the URL authorization rules."
                        : "Access is denied to user '" + user.userName() + "' by the URL authorization rules.");
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    /**
     * Names the module as IIS does.
     *
     * @return {@code "UrlAuthorizationModule"}
     */
    @Override
    public String toString() {
        return "UrlAuthorizationModule";
    }
}
