package io.weir.core.internal.context;

import io.weir.api.provider.CustomNotificationProvider;
import io.weir.api.provider.MapPathProvider;
import io.weir.api.provider.ReadEntityProvider;
import io.weir.api.provider.SendResponseProvider;

/**
 * Raises the non-deterministic notifications of one request, which the context, the request and
 * the response cause while a stage runs. Called on the request's event loop.
 */
public interface NotificationRaiser {

    /** @param provider the send's provider; raises SEND_RESPONSE in reverse priority order */
    void sendResponse(SendResponseProvider provider);

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
}
