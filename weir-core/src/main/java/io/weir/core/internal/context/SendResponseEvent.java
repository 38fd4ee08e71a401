package io.weir.core.internal.context;

import io.weir.api.provider.SendResponseFlag;
import io.weir.api.provider.SendResponseProvider;
import java.util.EnumSet;
import java.util.Set;

/** SEND_RESPONSE's provider for one send of the response. On the request's event loop. */
final class SendResponseEvent implements SendResponseProvider {
    private final ResponseImpl response;
    private final boolean headersBeingSent;
    private final boolean finalSend;
    private EnumSet<SendResponseFlag> flags;

    SendResponseEvent(ResponseImpl response, boolean headersBeingSent, boolean finalSend) {
        this.response = response;
        this.headersBeingSent = headersBeingSent;
        this.finalSend = finalSend;
        this.flags = finalSend ? EnumSet.noneOf(SendResponseFlag.class) : EnumSet.of(SendResponseFlag.MORE_DATA);
    }

    /** @return true when a module asked for the connection to close after this send */
    boolean disconnect() {
        return flags.contains(SendResponseFlag.DISCONNECT);
    }

    @Override
    public boolean isFinalSend() {
        return finalSend;
    }

    @Override
    public boolean headersBeingSent() {
        return headersBeingSent;
    }

    @Override
    public Set<SendResponseFlag> flags() {
        return flags.clone();
    }

    @Override
    public void setFlags(Set<SendResponseFlag> newFlags) {
        flags = newFlags.isEmpty() ? EnumSet.noneOf(SendResponseFlag.class) : EnumSet.copyOf(newFlags);
    }

    /** Records the error with the status while the headers are unsent, as {@code HttpContext.setErrorStatus} does. */
    @Override
    public void setErrorStatus(Throwable error) {
        RequestErrors.recordErrorStatus(response, error);
    }
}
