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
    /** The flags as bits by ordinal: a send whose flags nobody reads makes no set. */
    private int flags;

    SendResponseEvent(ResponseImpl response, boolean headersBeingSent, boolean finalSend) {
        this.response = response;
        this.headersBeingSent = headersBeingSent;
        this.finalSend = finalSend;
        this.flags = finalSend ? 0 : bit(SendResponseFlag.MORE_DATA);
    }

    /** @return true when a module asked for the connection to close after this send */
    boolean disconnect() {
        return (flags & bit(SendResponseFlag.DISCONNECT)) != 0;
    }

    private static int bit(SendResponseFlag flag) {
        return 1 << flag.ordinal();
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
        EnumSet<SendResponseFlag> set = EnumSet.noneOf(SendResponseFlag.class);
        for (SendResponseFlag flag : SendResponseFlag.values()) {
            if ((flags & bit(flag)) != 0) {
                set.add(flag);
            }
        }
        return set;
    }

    @Override
    public void setFlags(Set<SendResponseFlag> newFlags) {
        int bits = 0;
        for (SendResponseFlag flag : newFlags) {
            bits |= bit(flag);
        }
        flags = bits;
    }

    /** Records the error with the status while the headers are unsent, as {@code HttpContext.setErrorStatus} does. */
    @Override
    public void setErrorStatus(Throwable error) {
        RequestErrors.recordErrorStatus(response, error);
    }
}
