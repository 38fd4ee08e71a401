package io.weir.core.internal.context;

import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * Weir's own log messages about one request carry the request's id ({@code REQUEST_ID}, see
 * {@link RequestId}) in the logging context (SLF4J's MDC) under {@value #MDC_KEY}, so that the JSON
 * log format ({@code weir.log.format=json}) writes it as {@code "mdc":{"requestId":"…"}}, the value
 * the access log's {@code REQUEST_ID} field and the failed-request trace of the same request carry
 * (IIS: the activity id that ETW events and FREB traces share). The id is put only around the one
 * message, on the thread that logs it, and the value the thread had before is put back, so that a
 * request served inside another (a child request) leaves its parent's id in place. Requests that
 * log nothing pay nothing. The messages a module writes through its own logger do not carry it.
 */
public final class RequestLog {

    /** The MDC key of the request id. */
    public static final String MDC_KEY = "requestId";

    private RequestLog() {}

    /**
     * Logs an error about a request with its id in the MDC.
     *
     * @param log       the logger
     * @param context   the request
     * @param format    the SLF4J message format
     * @param arguments its arguments, a throwable last
     */
    public static void error(Logger log, RequestContext context, String format, Object... arguments) {
        if (!log.isErrorEnabled()) {
            return;
        }
        String previous = MDC.get(MDC_KEY);
        MDC.put(MDC_KEY, ServerVariables.get(context, null, RequestId.VARIABLE).orElse(""));
        try {
            log.error(format, arguments);
        } finally {
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }
}
