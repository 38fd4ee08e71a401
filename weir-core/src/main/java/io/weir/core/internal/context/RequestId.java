package io.weir.core.internal.context;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The request id: a random 64-bit number per top-level request (a child request shares its
 * parent's), Weir's counterpart of http.sys's {@code HTTP_REQUEST.RequestId} and of the activity
 * id that IIS's failed-request traces carry. Drawn when first asked for, from the thread's own
 * generator (no shared state, no lock), and written as 16 lower-case hexadecimal digits. Modules
 * read it as the server variable {@value #VARIABLE}: the access log's custom fields, the
 * failed-request trace, the engine's own log lines ({@code RequestContext.describe()}) and a
 * response header set by a URL Rewrite outbound rule all carry the same value.
 */
public final class RequestId {

    /** The server variable that holds the request id. */
    public static final String VARIABLE = "REQUEST_ID";

    private RequestId() {}

    /** @return a new id, never 0 */
    static long draw() {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    /**
     * Writes an id.
     *
     * @param id the id
     * @return its 16 hexadecimal digits
     */
    static String format(long id) {
        String hex = Long.toHexString(id);
        return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
    }
}
