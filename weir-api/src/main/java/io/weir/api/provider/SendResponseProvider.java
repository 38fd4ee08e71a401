package io.weir.api.provider;

import java.util.Set;

/**
 * The provider of SEND_RESPONSE; mirrors IIS's {@code ISendResponseProvider}. SEND_RESPONSE is raised
 * once per send (docs/reference/native-module-model.md, "The request context"): at every {@code HttpResponse.flush}, at every write with
 * buffering disabled, after a child request run without BUFFER_RESPONSE, and at the request's final
 * send (unless a {@code flush(false)} already completed the response); only the first send has
 * {@link #headersBeingSent()}. The response itself
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
     * Tells whether this send completes the response: the request's final send, or a
     * {@code flush(false)}. Weir's direct form of "{@link SendResponseFlag#MORE_DATA} is clear",
     * unaffected by {@link #setFlags}.
     *
     * @return true when no entity data follows this send
     */
    boolean isFinalSend();

    /**
     * Returns the flags of this send. {@link SendResponseFlag#MORE_DATA} is set on every send but
     * the final one. Mirrors {@code GetFlags}.
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
