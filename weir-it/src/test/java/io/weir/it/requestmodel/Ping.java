package io.weir.it.requestmodel;

import io.weir.api.provider.CustomNotificationProvider;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The custom notification the tests raise: receivers append their names to {@link #seen}. */
public final class Ping implements CustomNotificationProvider {

    /** The notification type receivers compare with. */
    public static final String TYPE = "io.weir.it.Ping";

    private final String type;
    /** Receivers that got it, in order. */
    public final List<String> seen = new CopyOnWriteArrayList<>();

    /** @param type the type to announce (receivers ignore any but {@link #TYPE}) */
    public Ping(String type) {
        this.type = type;
    }

    @Override
    public String notificationType() {
        return type;
    }
}
