package io.weir.api.provider;

/**
 * Identifies a custom notification, at request or global level; mirrors IIS's
 * {@code ICustomNotificationProvider}. Modules define their own implementations with their data.
 */
public interface CustomNotificationProvider extends HttpEventProvider {

    /**
     * Returns the notification's type, which receivers compare with the ones they understand.
     * Mirrors {@code QueryNotificationType}.
     *
     * @return a string the sender and receivers agree on, for example a reverse-domain name
     */
    String notificationType();

    /**
     * Ignores error reports on custom notifications by default.
     *
     * @param error the cause
     */
    @Override
    default void setErrorStatus(Throwable error) {}
}
