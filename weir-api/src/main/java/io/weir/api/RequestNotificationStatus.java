package io.weir.api;

/**
 * What a request notification method tells the pipeline; mirrors IIS's
 * {@code REQUEST_NOTIFICATION_STATUS} with the same values.
 *
 * <p>The contract, which the engine enforces:
 * <ul>
 *   <li>{@link #CONTINUE}: go on with the next module of this notification, then the next one.</li>
 *   <li>{@link #FINISH_REQUEST}: request processing is done. The remaining modules of this
 *       notification and every later stage are skipped, except that the response is still sent
 *       (SEND_RESPONSE runs) and LOG_REQUEST and END_REQUEST still run, with their
 *       post-notifications. Set the status first when finishing with an error.</li>
 *   <li>{@link #PENDING}: the module started asynchronous work and will call
 *       {@link io.weir.api.http.HttpContext#indicateCompletion} or
 *       {@link io.weir.api.http.HttpContext#postCompletion} exactly once, from any thread; the
 *       request is parked until then.</li>
 * </ul>
 * An exception thrown from a notification method gives that request a 500 and is handled as
 * FINISH_REQUEST.
 */
public enum RequestNotificationStatus {
    /** {@code RQ_NOTIFICATION_CONTINUE} (0): carry on. */
    CONTINUE,
    /** {@code RQ_NOTIFICATION_PENDING} (1): an asynchronous operation is outstanding. */
    PENDING,
    /** {@code RQ_NOTIFICATION_FINISH_REQUEST} (2): skip to the final send, LOG_REQUEST and END_REQUEST. */
    FINISH_REQUEST;

    /**
     * Returns IIS's numeric value of this status.
     *
     * @return 0 for CONTINUE, 1 for PENDING, 2 for FINISH_REQUEST
     */
    public int value() {
        return ordinal();
    }
}
