package io.weir.api.http;

import io.weir.api.RequestNotification;
import io.weir.api.provider.HttpEventProvider;
import java.util.Objects;

/**
 * The notification a module's running call has moved on to through
 * {@link HttpContext#nextNotification}; mirrors the out-parameters of IIS's
 * {@code IHttpContext::GetNextNotification} ({@code pdwNotification}, {@code pfIsPostNotification},
 * {@code ppRequestOutput}). The module that gets one does that notification's work in the same call,
 * and its return value becomes that notification's result.
 *
 * @param notification the deterministic notification now being processed
 * @param post         true for its post-notification
 * @param provider     the notification's provider (the request context for every deterministic
 *                     stage; an {@code AuthenticationProvider} for AUTHENTICATE_REQUEST)
 */
public record NextNotification(RequestNotification notification, boolean post, HttpEventProvider provider) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code notification} or {@code provider} is null
     */
    public NextNotification {
        Objects.requireNonNull(notification, "notification");
        Objects.requireNonNull(provider, "provider");
    }
}
