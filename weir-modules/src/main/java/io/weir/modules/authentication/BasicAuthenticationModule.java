package io.weir.modules.authentication;

import io.weir.api.HttpModule;
import io.weir.api.ModuleId;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.http.StoredContext;
import io.weir.api.provider.AuthenticationProvider;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.SendResponseProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * HTTP Basic authentication (RFC 7617) against Weir's user store; mirrors IIS's
 * BasicAuthenticationModule ({@code authbas.dll}) with a file of bcrypt hashes in place of Windows
 * accounts. One shared, stateless instance serves every request; a verification in flight keeps its
 * state in the request's module context container.
 *
 * <p><b>AUTHENTICATE_REQUEST</b> (event loop, default priority): nothing to do when
 * {@code basicAuthentication@enabled} is false, when a user is already set, or when no
 * {@code Authorization} header is sent. Otherwise:
 * <ul>
 * <li>more than one {@code Authorization} header, or a Basic value that does not decode
 *     (bad base64, no {@code ':'}, a user name that is not UTF-8 or holds control characters, a token
 *     over 4096 characters): <b>400.0</b>;</li>
 * <li>a Basic value on a connection without TLS while {@code weirAllowPlainHttp} is false:
 *     <b>403.4</b> ("SSL required", IIS's code when a resource needs TLS); the password is not
 *     checked;</li>
 * <li>credentials verified within the last 30 seconds (and the user file unchanged): the user is set
 *     at once;</li>
 * <li>else the bcrypt check runs on {@link io.weir.api.HttpServer#blockingExecutor()} and the module
 *     returns PENDING; {@link #onAsyncCompletion} then sets the user, or answers <b>401.1</b> (logon
 *     failed) when the name is unknown or the password wrong.</li>
 * </ul>
 * Another scheme's {@code Authorization} value (Bearer, Negotiate, …) is left to other modules.
 *
 * <p><b>SEND_RESPONSE</b>: to every 401 response (401.1 here, 401.2 from AnonymousAuthenticationModule
 * or UrlAuthorizationModule, or any module's) of a URL where Basic is enabled, and offered on this
 * connection, it adds {@code WWW-Authenticate: Basic realm="…", charset="UTF-8"}, as IIS's
 * authentication modules add their challenges to 401 responses. For any other status the cost is one
 * comparison.
 *
 * <p>Where IIS is silent, Weir chooses: the default realm (IIS's {@code realm} is empty by default) is
 * the request's host name, without the port; malformed credentials get 400 rather than 401.1.
 */
public final class BasicAuthenticationModule implements HttpModule {

    /** IIS's 401.1: logon failed. */
    static final HttpStatus LOGON_FAILED = new HttpStatus(401, 1, "Unauthorized");
    /** IIS's 403.4: SSL required. */
    static final HttpStatus SSL_REQUIRED = new HttpStatus(403, 4, "Forbidden");

    private final ModuleId moduleId;
    private final ConcurrentMap<Path, UserStore> stores = new ConcurrentHashMap<>();

    /**
     * Creates the shared instance; called once by the registration.
     *
     * @param moduleId the module's id, under which a verification in flight is stored per request
     */
    BasicAuthenticationModule(ModuleId moduleId) {
        this.moduleId = moduleId;
    }

    /** A verification in flight: what the blocking task hands back to the event loop. */
    private static final class Verification implements StoredContext {
        final BasicCredentials credentials;
        volatile Optional<UserFile.StoredUser> user = Optional.empty();
        volatile Throwable failure;

        Verification(BasicCredentials credentials) {
            this.credentials = credentials;
        }

        @Override
        public void cleanupStoredContext() {
            credentials.wipe();
        }
    }

    /**
     * Authenticates a request that carries Basic credentials; see the class description.
     *
     * @param context  the request
     * @param provider sets the user
     * @return CONTINUE (not Basic's business, or authenticated from the cache), PENDING while bcrypt
     *         runs, FINISH_REQUEST after a 400 or a 403.4
     */
    @Override
    public RequestNotificationStatus onAuthenticateRequest(HttpContext context, AuthenticationProvider provider) {
        if (context.user().isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        BasicAuthenticationSection section = context.config(BasicAuthenticationSection.SECTION);
        if (!section.enabled()) {
            return RequestNotificationStatus.CONTINUE;
        }
        List<String> values = context.request().headers("Authorization");
        if (values.isEmpty()) {
            return RequestNotificationStatus.CONTINUE;
        }
        if (values.size() > 1) {
            return refuse(context, HttpStatus.BAD_REQUEST, "The request holds more than one Authorization header.");
        }
        BasicCredentials.Parsed parsed = BasicCredentials.parse(values.get(0));
        switch (parsed.outcome()) {
            case OTHER_SCHEME -> {
                return RequestNotificationStatus.CONTINUE;
            }
            case MALFORMED -> {
                return refuse(context, HttpStatus.BAD_REQUEST, "The Basic credentials are malformed.");
            }
            default -> {}
        }
        BasicCredentials credentials = parsed.credentials().orElseThrow().qualified(section.defaultLogonDomain());
        if (!offered(context, section)) {
            credentials.wipe();
            return refuse(
                    context,
                    SSL_REQUIRED,
                    "Basic authentication is refused on a connection without TLS "
                            + "(basicAuthentication@weirAllowPlainHttp is false).");
        }
        if (section.userFile().isEmpty()) {
            credentials.wipe();
            return refuse(context, LOGON_FAILED, "Logon failed: basicAuthentication has no weirUserFile.");
        }
        UserStore store = stores.computeIfAbsent(section.userFile().get(), UserStore::new);
        Optional<UserFile.StoredUser> cached = store.cachedUser(credentials);
        if (cached.isPresent()) {
            credentials.wipe();
            provider.setUser(cached.get().asHttpUser());
            return RequestNotificationStatus.CONTINUE;
        }
        Verification verification = new Verification(credentials);
        context.moduleContextContainer().setModuleContext(verification, moduleId);
        try {
            context.server().blockingExecutor().execute(() -> {
                try {
                    verification.user = store.verify(verification.credentials);
                } catch (InterruptedException e) {
                    verification.failure = e;
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    verification.failure = e;
                }
                context.postCompletion(0);
            });
        } catch (RejectedExecutionException e) {
            context.response().setStatus(HttpStatus.SERVICE_UNAVAILABLE, e);
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        return RequestNotificationStatus.PENDING;
    }

    /**
     * Applies the verification's result on the event loop: sets the user, or answers 401.1.
     *
     * @param context          the request
     * @param notification     AUTHENTICATE_REQUEST
     * @param postNotification false
     * @param provider         the notification's provider (the request's {@link AuthenticationProvider})
     * @param completionInfo   unused
     * @return CONTINUE when authenticated, FINISH_REQUEST after a 401.1 or a 500
     */
    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        Optional<Verification> stored = context.moduleContextContainer()
                .moduleContext(moduleId)
                .filter(Verification.class::isInstance)
                .map(Verification.class::cast);
        if (stored.isEmpty()) {
            context.response()
                    .setStatus(
                            HttpStatus.INTERNAL_SERVER_ERROR,
                            new IllegalStateException("no Basic verification is in flight for this request"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        Verification verification = stored.get();
        verification.credentials.wipe();
        if (verification.failure != null) {
            context.response().setStatus(HttpStatus.INTERNAL_SERVER_ERROR, verification.failure);
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        if (verification.user.isEmpty()) {
            return refuse(context, LOGON_FAILED, "Logon failed: the user name or password is not valid.");
        }
        if (!(provider instanceof AuthenticationProvider authentication)) {
            context.response()
                    .setStatus(
                            HttpStatus.INTERNAL_SERVER_ERROR,
                            new IllegalStateException("the completion's provider cannot set the user"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        authentication.setUser(verification.user.get().asHttpUser());
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Adds the Basic challenge to a 401 response where Basic is enabled and offered; see the class
     * description.
     *
     * @param context  the request
     * @param provider tells whether the headers are being sent
     * @return CONTINUE
     */
    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        HttpResponse response = context.response();
        if (response.statusCode() != 401 || !provider.headersBeingSent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        BasicAuthenticationSection section = context.config(BasicAuthenticationSection.SECTION);
        if (section.enabled() && offered(context, section)) {
            response.setHeader("WWW-Authenticate", challenge(context, section), false);
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Returns the challenge this module sends for a request.
     *
     * @param context the request
     * @param section the effective section
     * @return {@code Basic realm="…", charset="UTF-8"}, the realm quoted as RFC 9110 requires
     */
    static String challenge(HttpContext context, BasicAuthenticationSection section) {
        String realm = section.realm();
        if (realm.isEmpty()) {
            realm = hostName(context.request().header("Host").orElse(""));
            if (realm.isEmpty()) {
                realm = context.site().siteName();
            }
        }
        StringBuilder quoted = new StringBuilder(realm.length() + 40).append("Basic realm=\"");
        for (int i = 0; i < realm.length(); i++) {
            char c = realm.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                continue;
            }
            if (c == '"' || c == '\\') {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.append("\", charset=\"UTF-8\"").toString();
    }

    private static String hostName(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    private static boolean offered(HttpContext context, BasicAuthenticationSection section) {
        return section.allowPlainHttp() || context.connection().isSecure();
    }

    private static RequestNotificationStatus refuse(HttpContext context, HttpStatus status, String description) {
        HttpResponse response = context.response();
        response.setStatus(status);
        response.setErrorDescription(description);
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    /**
     * Names the module as IIS does.
     *
     * @return {@code "BasicAuthenticationModule"}
     */
    @Override
    public String toString() {
        return "BasicAuthenticationModule";
    }
}
