package io.weir.modules.iprestriction;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.provider.HttpEventProvider;
import java.net.InetAddress;
import java.util.List;

/**
 * Allows or denies requests by the client's IP address in BEGIN_REQUEST, from
 * {@code system.webServer/security/ipSecurity}; mirrors IIS's IpRestrictionModule
 * ({@code iprestr.dll}). Stateless: one shared instance serves every request.
 *
 * <p>The client's address is the connection's peer (an IPv4-mapped IPv6 peer counts as IPv4). With
 * {@code enableProxyMode}, every address of {@code X-Forwarded-For} is checked too, and the request
 * is denied when any one of them is: a forged entry can add a denial but never grant access. An
 * entry that is not an IP literal answers 400.10 (IIS 8+'s "Invalid X-Forwarded-For").
 *
 * <p>Each address is decided by the first rule, in effective collection order, whose range holds it,
 * else by {@code allowUnlisted}, as IIS documents. A denied request gets
 * {@code denyAction}'s status with substatus 503 (401.503, 403.503, 404.503) — IIS 7.x answered
 * 403.6, IIS 8+ answers x.503 — or, for {@code AbortRequest}, a connection reset without response.
 *
 * <p>Notification: IIS does not document which stage iprestr.dll uses; Weir denies in
 * BEGIN_REQUEST, before authentication and before any file is touched. Child requests are checked
 * against their own URL's section.
 */
public final class IpRestrictionModule implements HttpModule {

    static final IpRestrictionModule INSTANCE = new IpRestrictionModule();

    private IpRestrictionModule() {}

    /**
     * Checks the client's address (and, in proxy mode, the forwarded ones) against the request
     * URL's {@code ipSecurity} rules.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE when allowed; FINISH_REQUEST after setting x.503, 400.10 or resetting the connection
     */
    @Override
    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
        IpSecuritySection section = context.config(IpSecuritySection.SECTION);
        if (section.allowsEveryone()) {
            return RequestNotificationStatus.CONTINUE;
        }
        HttpResponse response = context.response();
        response.cachePolicy().disableKernelCache(); // every client must be checked, as IIS does

        InetAddress peer =
                IpAddresses.normalize(context.request().remoteAddress().getAddress());
        if (!section.allows(peer.getAddress())) {
            return deny(response, section.denyAction(), peer);
        }
        if (section.enableProxyMode()) {
            List<InetAddress> forwarded = ForwardedFor.addresses(context.request());
            if (forwarded == null) {
                response.setStatus(ForwardedFor.INVALID);
                response.setErrorDescription("The X-Forwarded-For header holds an entry that is not an IP address "
                        + "(ipSecurity enableProxyMode).");
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            for (InetAddress address : forwarded) {
                if (!section.allows(address.getAddress())) {
                    return deny(response, section.denyAction(), address);
                }
            }
        }
        return RequestNotificationStatus.CONTINUE;
    }

    private static RequestNotificationStatus deny(HttpResponse response, DenyAction action, InetAddress address) {
        if (action == DenyAction.ABORT_REQUEST) {
            response.resetConnection();
        } else {
            response.setStatus(action.status(DenyAction.IP_ADDRESS_DENIED));
            response.setErrorDescription("The IP address " + address.getHostAddress()
                    + " is denied by the IP address restrictions (ipSecurity).");
        }
        return RequestNotificationStatus.FINISH_REQUEST;
    }
}
