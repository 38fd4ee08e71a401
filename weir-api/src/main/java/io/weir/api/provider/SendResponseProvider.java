package io.weir.api.provider;

import java.util.Set;

/**
 * The provider of SEND_RESPONSE; mirrors IIS's {@code ISendResponseProvider}. The response itself
 * (status, headers, the entity chunks about to go out) is read and changed through
 * {@link io.weir.api.http.HttpContext#response()}.
 */
public interface SendResponseProvider extends HttpEventProvider {

    /**
     * Tells whether this send carries the status line and headers (only the first send does).
     * Mirrors {@code GetHeadersBeingSent}.
     *
     * @return true on the first send of the response
     */
    boolean headersBeingSent();

    /**
     * Returns the flags of this send. {@link SendResponseFlag#MORE_DATA} is set on every send but
     * the last. Mirrors {@code GetFlags}.
     *
     * @return a copy of the flags
     */
    Set<SendResponseFlag> flags();

    /**
     * Replaces the flags of this send. Mirrors {@code SetFlags}.
     *
     * @param flags the new flags
     */
    void setFlags(Set<SendResponseFlag> flags);
}
