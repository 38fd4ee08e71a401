package io.weir.api.http;

/**
 * An HTTP status with IIS's substatus and a reason phrase. The wire carries only {@link #code()};
 * the substatus goes to the log ({@code sc-substatus}) and to detailed error pages, as in IIS
 * (404.3 is code 404, substatus 3).
 *
 * @param code      the HTTP status code, 100 to 999
 * @param subStatus IIS's substatus, 0 when none
 * @param reason    the reason phrase sent on the status line
 */
public record HttpStatus(int code, int subStatus, String reason) {

    /** 200 OK. */
    public static final HttpStatus OK = new HttpStatus(200, 0, "OK");
    /** 206 Partial Content. */
    public static final HttpStatus PARTIAL_CONTENT = new HttpStatus(206, 0, "Partial Content");
    /** 301 Moved Permanently. */
    public static final HttpStatus MOVED_PERMANENTLY = new HttpStatus(301, 0, "Moved Permanently");
    /** 302 Found (IIS: "Redirect"). */
    public static final HttpStatus FOUND = new HttpStatus(302, 0, "Found");
    /** 304 Not Modified. */
    public static final HttpStatus NOT_MODIFIED = new HttpStatus(304, 0, "Not Modified");
    /** 400 Bad Request. */
    public static final HttpStatus BAD_REQUEST = new HttpStatus(400, 0, "Bad Request");
    /** 403.14: directory listing denied (DirectoryListingModule). */
    public static final HttpStatus DIRECTORY_LISTING_DENIED = new HttpStatus(403, 14, "Forbidden");
    /** 404.0: not found. */
    public static final HttpStatus NOT_FOUND = new HttpStatus(404, 0, "Not Found");
    /** 404.3: no MIME map for the extension (StaticFileModule). */
    public static final HttpStatus MIME_MAP_MISSING = new HttpStatus(404, 3, "Not Found");
    /** 404.4: no handler mapping matches. */
    public static final HttpStatus NO_HANDLER = new HttpStatus(404, 4, "Not Found");
    /** 405.0: method not allowed by the handler. */
    public static final HttpStatus METHOD_NOT_ALLOWED = new HttpStatus(405, 0, "Method Not Allowed");
    /** 412 Precondition Failed. */
    public static final HttpStatus PRECONDITION_FAILED = new HttpStatus(412, 0, "Precondition Failed");
    /** 416 Range Not Satisfiable. */
    public static final HttpStatus RANGE_NOT_SATISFIABLE = new HttpStatus(416, 0, "Requested Range Not Satisfiable");
    /** 500.0: a module failed. */
    public static final HttpStatus INTERNAL_SERVER_ERROR = new HttpStatus(500, 0, "Internal Server Error");
    /** 500.19: configuration data invalid. */
    public static final HttpStatus CONFIGURATION_INVALID = new HttpStatus(500, 19, "Internal Server Error");
    /** 500.21: a handler names a module that is not loaded. */
    public static final HttpStatus MODULE_NOT_RECOGNIZED = new HttpStatus(500, 21, "Internal Server Error");
    /** 503.0: service unavailable. */
    public static final HttpStatus SERVICE_UNAVAILABLE = new HttpStatus(503, 0, "Service Unavailable");

    /**
     * Validates the components.
     *
     * @param code      the HTTP status code
     * @param subStatus the substatus
     * @param reason    the reason phrase
     * @throws IllegalArgumentException if {@code code} is outside 100..999, {@code subStatus} is
     *                                  negative or {@code reason} holds CR or LF
     */
    public HttpStatus {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status code out of range: " + code);
        }
        if (subStatus < 0) {
            throw new IllegalArgumentException("negative substatus: " + subStatus);
        }
        if (reason == null) {
            reason = "";
        }
        if (reason.indexOf('\r') >= 0 || reason.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("reason phrase holds CR or LF");
        }
    }

    /**
     * Returns the status with another substatus.
     *
     * @param newSubStatus the substatus
     * @return a status with the same code and reason
     */
    public HttpStatus withSubStatus(int newSubStatus) {
        return new HttpStatus(code, newSubStatus, reason);
    }

    /**
     * Formats the status as IIS writes it, {@code 404.3}, or {@code 200} when the substatus is 0.
     *
     * @return the code and substatus
     */
    @Override
    public String toString() {
        return subStatus == 0 ? Integer.toString(code) : code + "." + subStatus;
    }
}
