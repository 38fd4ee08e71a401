package io.weir.modules.iprestriction;

import io.weir.api.http.HttpStatus;

/**
 * IIS's {@code denyAction} enum of {@code ipSecurity} and {@code dynamicIpSecurity} (IIS 8+): what
 * a denied client gets. The substatus says why: 501 too many concurrent requests, 502 request rate
 * exceeded, 503 IP address denied, 504 host name denied ("HTTP status codes in IIS", KB 943891).
 */
public enum DenyAction {
    /** {@code AbortRequest} (0): the connection is reset without a response. */
    ABORT_REQUEST(0, ""),
    /** {@code Unauthorized}: 401.50x. */
    UNAUTHORIZED(401, "Unauthorized"),
    /** {@code Forbidden}, the default: 403.50x. */
    FORBIDDEN(403, "Forbidden"),
    /** {@code NotFound}: 404.50x. */
    NOT_FOUND(404, "Not Found");

    /** Substatus: too many concurrent requests from the client (DynamicIpRestrictionModule). */
    static final int CONCURRENT_REQUESTS = 501;
    /** Substatus: the client's request rate is over the limit (DynamicIpRestrictionModule). */
    static final int REQUEST_RATE = 502;
    /** Substatus: the client's IP address is denied (IpRestrictionModule). */
    static final int IP_ADDRESS_DENIED = 503;

    private final int code;
    private final String reason;

    DenyAction(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /**
     * Returns the status this action answers with.
     *
     * @param subStatus one of 501, 502, 503
     * @return for example 403.503; null for {@link #ABORT_REQUEST}
     */
    HttpStatus status(int subStatus) {
        return code == 0 ? null : new HttpStatus(code, subStatus, reason);
    }
}
