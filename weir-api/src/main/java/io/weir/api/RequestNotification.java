package io.weir.api;

import java.util.EnumSet;
import java.util.Set;

/**
 * The request notifications of the integrated pipeline, with IIS's {@code RQ_*} bit values.
 *
 * <p>The twelve <em>deterministic</em> notifications run once per request, in declaration order,
 * each followed by its post-notification:
 * <pre>
 *  BEGIN_REQUEST → AUTHENTICATE_REQUEST → AUTHORIZE_REQUEST → RESOLVE_REQUEST_CACHE →
 *  MAP_REQUEST_HANDLER → ACQUIRE_REQUEST_STATE → PRE_EXECUTE_REQUEST_HANDLER →
 *  EXECUTE_REQUEST_HANDLER → RELEASE_REQUEST_STATE → UPDATE_REQUEST_CACHE →
 *  (final send: SEND_RESPONSE) → LOG_REQUEST → END_REQUEST
 * </pre>
 * The four <em>non-deterministic</em> ones ({@link #CUSTOM_NOTIFICATION}, {@link #SEND_RESPONSE},
 * {@link #READ_ENTITY}, {@link #MAP_PATH}) have no post-notification and fire whenever their
 * trigger happens, possibly several times per request.
 *
 * <p>Within one notification, modules run by {@link Priority} (FIRST first) and then in the order
 * of the effective {@code system.webServer/modules} list; {@link #SEND_RESPONSE} runs in the
 * reverse order (LAST first), as IIS does. {@link #EXECUTE_REQUEST_HANDLER} is delivered only to
 * the modules named by the selected handler mapping, in the order of its {@code modules} attribute.
 *
 * <p>Mirrors the {@code RQ_*} constants of IIS's {@code httpserv.h}. The reserved
 * {@code RQ_SEND_RESPONSE_STATUS_AND_HEADERS} (0x08000000), which has no handler method in IIS, is
 * not modelled.
 */
public enum RequestNotification {
    /** {@code RQ_BEGIN_REQUEST}: the request enters the pipeline. */
    BEGIN_REQUEST(0x00000001),
    /** {@code RQ_AUTHENTICATE_REQUEST}: establish the user; provider {@code AuthenticationProvider}. */
    AUTHENTICATE_REQUEST(0x00000002),
    /** {@code RQ_AUTHORIZE_REQUEST}: decide whether the user may have the resource. */
    AUTHORIZE_REQUEST(0x00000004),
    /** {@code RQ_RESOLVE_REQUEST_CACHE}: answer from an output cache. */
    RESOLVE_REQUEST_CACHE(0x00000008),
    /** {@code RQ_MAP_REQUEST_HANDLER}: the handler is chosen; provider {@code MapHandlerProvider}. */
    MAP_REQUEST_HANDLER(0x00000010),
    /** {@code RQ_ACQUIRE_REQUEST_STATE}: load request state (sessions and the like). */
    ACQUIRE_REQUEST_STATE(0x00000020),
    /** {@code RQ_PRE_EXECUTE_REQUEST_HANDLER}: just before the handler runs. */
    PRE_EXECUTE_REQUEST_HANDLER(0x00000040),
    /** {@code RQ_EXECUTE_REQUEST_HANDLER}: the handler's modules produce the response. */
    EXECUTE_REQUEST_HANDLER(0x00000080),
    /** {@code RQ_RELEASE_REQUEST_STATE}: release request state; the response is still buffered. */
    RELEASE_REQUEST_STATE(0x00000100),
    /** {@code RQ_UPDATE_REQUEST_CACHE}: store the response in an output cache. */
    UPDATE_REQUEST_CACHE(0x00000200),
    /** {@code RQ_LOG_REQUEST}: log the request; runs even after FINISH_REQUEST or an error. */
    LOG_REQUEST(0x00000400),
    /** {@code RQ_END_REQUEST}: the request leaves the pipeline; runs even after FINISH_REQUEST or an error. */
    END_REQUEST(0x00000800),
    /** {@code RQ_CUSTOM_NOTIFICATION}: a module raised a custom notification. Non-deterministic. */
    CUSTOM_NOTIFICATION(0x10000000),
    /** {@code RQ_SEND_RESPONSE}: (part of) the response is being sent, once per send. Non-deterministic. */
    SEND_RESPONSE(0x20000000),
    /** {@code RQ_READ_ENTITY}: a chunk of the request body was read. Non-deterministic. */
    READ_ENTITY(0x40000000),
    /** {@code RQ_MAP_PATH}: a URL is being mapped to a physical path. Non-deterministic. */
    MAP_PATH(0x80000000);

    private static final RequestNotification[] VALUES = values();

    private final int bit;

    RequestNotification(int bit) {
        this.bit = bit;
    }

    /**
     * Returns IIS's bit value for this notification.
     *
     * @return the {@code RQ_*} bit, for example {@code 0x1} for {@link #BEGIN_REQUEST}
     */
    public int bit() {
        return bit;
    }

    /**
     * Tells whether this notification is one of the twelve sequential stages, which run once per
     * request in a fixed order and have a post-notification.
     *
     * @return true for BEGIN_REQUEST through END_REQUEST, false for the four non-deterministic ones
     */
    public boolean isDeterministic() {
        return bit <= END_REQUEST.bit && bit > 0;
    }

    /**
     * Converts an IIS bitmask ({@code dwRequestNotifications}) to a set.
     *
     * @param mask an OR of {@code RQ_*} bits; unknown bits are ignored
     * @return a new mutable set with the notifications whose bit is in {@code mask}
     */
    public static EnumSet<RequestNotification> fromMask(int mask) {
        EnumSet<RequestNotification> set = EnumSet.noneOf(RequestNotification.class);
        for (RequestNotification n : VALUES) {
            if ((mask & n.bit) != 0) {
                set.add(n);
            }
        }
        return set;
    }

    /**
     * Converts a set of notifications to IIS's bitmask form.
     *
     * @param notifications the notifications; may be empty, not null
     * @return the OR of their bits
     */
    public static int toMask(Set<RequestNotification> notifications) {
        int mask = 0;
        for (RequestNotification n : notifications) {
            mask |= n.bit;
        }
        return mask;
    }
}
