package io.weir.api.http;

/**
 * Options of a child request run with {@link HttpContext#executeRequest}; mirrors IIS's
 * {@code EXECUTE_FLAG_*} constants (values in the comments).
 */
public enum ExecuteFlag {
    /** 0x01: the child's status and headers are not sent; only its entity joins the parent's. */
    NO_HEADERS,
    /** 0x02: ignore the current handler mapping when mapping the child. */
    IGNORE_CURRENT_INTERCEPTOR,
    /** 0x08: error responses of the child are not replaced by custom errors. */
    DISABLE_CUSTOM_ERROR,
    /** 0x10: the child has the same URL as the parent (a handler forwarding to another). */
    SAME_URL,
    /** 0x20: the child's output stays in the parent's buffer; nothing is flushed. */
    BUFFER_RESPONSE
}
