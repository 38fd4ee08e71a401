package io.weir.modules.authentication;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.AuthenticationProvider;

/**
 * Makes a request that no other module authenticated anonymous; mirrors IIS's
 * AnonymousAuthenticationModule ({@code authanon.dll}). One shared, stateless instance.
 *
 * <p>Runs in AUTHENTICATE_REQUEST on the event loop at priority {@link io.weir.api.Priority#LAST}, so
 * that every other authentication module of the stage (Basic, third-party schemes at their default
 * priority) has had its turn first:
 * <ul>
 * <li>a user is already set: nothing to do;</li>
 * <li>{@code anonymousAuthentication@enabled} (default true): the request's user becomes
 *     {@link AuthenticatedUser#ANONYMOUS} (empty name, as IIS's anonymous {@code IHttpUser});</li>
 * <li>disabled: no authentication module allowed the request, which IIS answers with <b>401.2</b>
 *     ("logon failed due to server configuration"); the enabled challenge schemes add their
 *     {@code WWW-Authenticate} headers to that 401 in SEND_RESPONSE.</li>
 * </ul>
 * IIS makes the 401.2 check in its core after the authentication stage; Weir makes it here, so a
 * configuration without this module in {@code <modules>} leaves unauthenticated requests without a
 * user (UrlAuthorizationModule then treats them as anonymous). The priority is Weir's choice; IIS does
 * not document the one {@code authanon.dll} uses.
 */
public final class AnonymousAuthenticationModule implements HttpModule {

    /** IIS's 401.2: logon failed due to server configuration. */
    static final HttpStatus NO_AUTHENTICATION = new HttpStatus(401, 2, "Unauthorized");

    /** The shared instance. */
    static final AnonymousAuthenticationModule INSTANCE = new AnonymousAuthenticationModule();

    private AnonymousAuthenticationModule() {}

    /**
     * Sets the anonymous user, or answers 401.2; see the class description.
     *
     * @param context  the request
     * @param provider sets the user
     * @return CONTINUE, or FINISH_REQUEST after the 401.2
     */
    @Override
    public RequestNotificationStatus onAuthenticateRequest(HttpContext context, AuthenticationProvider provider) {
        if (context.user().isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        if (context.config(AnonymousAuthenticationSection.SECTION).enabled()) {
            provider.setUser(AuthenticatedUser.ANONYMOUS);
            return RequestNotificationStatus.CONTINUE;
        }
        HttpResponse response = context.response();
        response.setStatus(NO_AUTHENTICATION);
        response.setErrorDescription("No authentication method allowed the request: anonymous authentication "
                + "is disabled and no credentials were accepted.");
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    /**
     * Names the module as IIS does.
     *
     * @return {@code "AnonymousAuthenticationModule"}
     */
    @Override
    public String toString() {
        return "AnonymousAuthenticationModule";
    }
}
