package io.weir.modules.iprestriction;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.provider.HttpEventProvider;
import java.net.InetAddress;
import java.util.List;

/**
 * Denies clients that send too many concurrent requests or too many requests in an interval, from
 * {@code system.webServer/security/dynamicIpSecurity}; mirrors IIS 8+'s DynamicIpRestrictionModule
 * ({@code diprestr.dll}). One instance per request (it remembers whether it counted the request);
 * the counters live in a {@link ClientActivity} shared by all requests.
 *
 * <p>BEGIN_REQUEST counts the request for its client and denies it when over a limit: x.501 for
 * {@code denyByConcurrentRequests} (more than {@code maxConcurrentRequests} in flight, this one
 * included), x.502 for {@code denyByRequestRate} (more than {@code maxRequests} in a window of
 * {@code requestIntervalInMilliseconds}, counted in fixed windows that start at the client's first
 * request after the previous window ended; denied requests count too, so a client that keeps
 * hammering stays denied). The status code comes from {@code denyAction} (401, 403, 404), or the
 * connection is reset for {@code AbortRequest}. With {@code enableLoggingOnlyMode} nothing is
 * denied; the first request over a limit in each window (or each rise over the concurrency limit)
 * is logged at WARNING.
 *
 * <p>END_REQUEST releases the concurrency count; it runs for every request that began, whatever
 * happened (an error, a FINISH_REQUEST, a client that went away), so the count cannot leak.
 *
 * <p>The client is the connection's peer; with {@code enableProxyMode}, the last (right-most)
 * {@code X-Forwarded-For} address — the one the nearest proxy appended, which the client cannot
 * choose (IIS does not document which entry it counts; the left-most would let a client rotate
 * forged addresses). A malformed header answers 400.10. Child requests are not counted.
 */
public final class DynamicIpRestrictionModule implements HttpModule {

    private static final System.Logger LOG = System.getLogger(DynamicIpRestrictionModule.class.getName());

    private final ClientActivity activity;
    private ClientActivity.Key countedKey;
    private ClientActivity.Client counted;

    /**
     * Creates the module of one request.
     *
     * @param activity the shared per-client counters
     */
    DynamicIpRestrictionModule(ClientActivity activity) {
        this.activity = activity;
    }

    /**
     * Counts the request for its client and denies it when over a limit.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE when within the limits (or in logging-only mode); FINISH_REQUEST after x.501,
     *         x.502, 400.10 or a reset
     */
    @Override
    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
        if (context.parentContext().isPresent()) {
            return RequestNotificationStatus.CONTINUE;
        }
        DynamicIpSecuritySection section = context.config(DynamicIpSecuritySection.SECTION);
        if (!section.active()) {
            return RequestNotificationStatus.CONTINUE;
        }
        context.response().cachePolicy().disableKernelCache(); // every request counts, so none may bypass it
        HttpResponse response = context.response();
        InetAddress client =
                IpAddresses.normalize(context.request().remoteAddress().getAddress());
        if (section.enableProxyMode()) {
            List<InetAddress> forwarded = ForwardedFor.addresses(context.request());
            if (forwarded == null) {
                response.setStatus(ForwardedFor.INVALID);
                response.setErrorDescription("The X-Forwarded-For header holds an entry that is not an IP address "
                        + "(dynamicIpSecurity enableProxyMode).");
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            if (!forwarded.isEmpty()) {
                client = forwarded.get(forwarded.size() - 1);
            }
        }
        ClientActivity.Admission admission = activity.begin(client, section);
        if (admission.counted() != null) {
            countedKey = admission.key();
            counted = admission.counted();
        }
        if (admission.verdict() == ClientActivity.Verdict.ALLOWED) {
            return RequestNotificationStatus.CONTINUE;
        }
        boolean concurrent = admission.verdict() == ClientActivity.Verdict.TOO_MANY_CONCURRENT;
        String why = concurrent
                ? "more than " + section.maxConcurrentRequests() + " concurrent requests (denyByConcurrentRequests)"
                : "more than " + section.maxRequests() + " requests in " + section.requestIntervalInMilliseconds()
                        + " ms (denyByRequestRate)";
        if (section.enableLoggingOnlyMode()) {
            if (admission.firstOverLimit()) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "dynamicIpSecurity (logging only): client {0} sent {1}; " + "not denied",
                        client.getHostAddress(),
                        why);
            }
            return RequestNotificationStatus.CONTINUE;
        }
        if (section.denyAction() == DenyAction.ABORT_REQUEST) {
            response.resetConnection();
        } else {
            response.setStatus(
                    section.denyAction().status(concurrent ? DenyAction.CONCURRENT_REQUESTS : DenyAction.REQUEST_RATE));
            response.setErrorDescription("The client " + client.getHostAddress() + " sent " + why
                    + " and is denied by the dynamic IP address restrictions.");
        }
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    /**
     * Releases the concurrency count taken in BEGIN_REQUEST, if any; runs for every request.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE
     */
    @Override
    public RequestNotificationStatus onEndRequest(HttpContext context, HttpEventProvider provider) {
        release();
        return RequestNotificationStatus.CONTINUE;
    }

    /** Releases the count if the request still holds it; also called from {@link #dispose()}. */
    private void release() {
        ClientActivity.Client held = counted;
        if (held != null) {
            counted = null;
            activity.end(countedKey, held);
        }
    }

    /**
     * Releases the count if END_REQUEST did not run (defensive: the engine runs it for every request
     * that began).
     */
    @Override
    public void dispose() {
        release();
    }
}
