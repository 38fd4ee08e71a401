package io.weir.api.http;

/**
 * Options of a child request run with {@link HttpContext#executeRequest}; mirrors IIS's
 * {@code EXECUTE_FLAG_*} constants (values in the comments). IIS's {@code IGNORE_APPPOOL} (0x04: run
 * in the parent's application pool) has no counterpart: Weir has one process and no pools, so every
 * child runs where its parent does. {@code HTTP_CACHE_ELIGIBLE} (0x40) has none either: Weir has no
 * kernel response cache.
 */
public enum ExecuteFlag {
    /**
     * 0x01: the child's status and headers are not sent: when the child ends, the response's status
     * and headers are put back as they were before it (unless a flush already sent them); only its
     * entity joins the parent's.
     */
    NO_HEADERS,
    /**
     * 0x02: ignore the current handler mapping when mapping the child: the parent's mapping is left
     * out of the child's handler table, so a wildcard handler that forwards to the same URL does not
     * pick itself again.
     */
    IGNORE_CURRENT_INTERCEPTOR,
    /**
     * 0x08: an error status the child leaves is marked as set with {@code trySkipCustomErrors}, so
     * CustomErrorModule (existingResponse Auto) does not replace it.
     */
    DISABLE_CUSTOM_ERROR,
    /** 0x10: the child has the same URL (path and query) as the parent; the {@code url} argument is ignored. */
    SAME_URL,
    /**
     * 0x20: the child's output stays in the parent's buffer. Without it, a child run from a
     * top-level request has its output flushed when it ends (IIS sends a child's output at once),
     * which sends the response's headers with chunked transfer coding and raises SEND_RESPONSE; from
     * inside SEND_RESPONSE the output always joins the send under way.
     */
    BUFFER_RESPONSE
}
