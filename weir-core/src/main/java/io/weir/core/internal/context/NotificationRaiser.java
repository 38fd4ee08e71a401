package io.weir.core.internal.context;

import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.NextNotification;
import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.provider.MapPathProvider;
import io.weir.api.provider.ReadEntityProvider;
import io.weir.api.provider.SendResponseProvider;

/**
 * Raises the non-deterministic notifications of one request, which the context, the request and
 * the response cause while a stage runs. Called on the request's event loop.
 */
public interface NotificationRaiser {

    /**
     * Raises SEND_RESPONSE in reverse priority order, for the final send or a flush.
     *
     * @param provider the send's provider
     * @return true when the send waits for a PENDING subscriber ({@link #continueSend} goes on)
     */
    boolean sendResponse(SendResponseProvider provider);

    /**
     * Delivers a waiting send (final or flush) to the subscribers after the one that completed.
     *
     * @param provider the send's provider
     * @return true when the send waits again
     */
    boolean continueSend(SendResponseProvider provider);

    /**
     * @param provider the notification
     * @return true when a receiver returned PENDING ({@code pfCompletionExpected})
     */
    boolean customNotification(CustomNotificationProvider provider);

    /** @param provider the chunk just read; raises READ_ENTITY */
    void readEntity(ReadEntityProvider provider);

    /** @param provider the URL and path, overridable; raises MAP_PATH */
    void mapPath(MapPathProvider provider);

    /** @return true when some module subscribed to SEND_RESPONSE */
    boolean hasSendResponseModules();

    /** @return true when some module subscribed to MAP_PATH */
    boolean hasMapPathModules();

    /**
     * @param status what the calling module's notification would return
     * @return the notification its call moved on to ({@code GetNextNotification}), or null
     */
    NextNotification nextNotification(RequestNotificationStatus status);

    /**
     * @param status what the calling module's notification would return
     * @return true when no further notification of the module is ahead ({@code GetIsLastNotification})
     */
    boolean isLastNotification(RequestNotificationStatus status);
}
