package io.weir.server.netty;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's refusals and drops, one line each in http.sys's HTTPERR format, logged at INFO
 * to the SLF4J logger {@value #LOGGER} (route it to a file of its own in the logging
 * configuration). The fields, as in http.sys's {@code #Fields:} line:
 * {@code date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename},
 * with {@code -} for a field that does not apply; the time is UTC. The reasons are http.sys's
 * ({@code BadRequest}, {@code Hostname}, {@code URL}, {@code Verb}, {@code Version_N/S},
 * {@code FieldLength}, {@code RequestLength}, {@code Header}, {@code EntityTooLarge},
 * {@code Timer_ConnectionIdle}, {@code Timer_HeaderWait}, {@code Timer_MinBytesPerSecond},
 * {@code ConnLimit}, {@code Connection_Abandoned_By_ReqQueue} for a response cut off by a stop).
 * Thread-safe. Called on event loops, so a line costs a few appends: the date and time are
 * formatted once per second, not per line (20,000 slow clients dropped at once make 20,000 lines).
 */
final class HttpErrLog {

    /** The logger's name. */
    static final String LOGGER = "HTTPERR";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** The last formatted second and its text ({@code yyyy-MM-dd HH:mm:ss }), replaced once a second. */
    private record Stamp(long epochSecond, String text) {}

    private static volatile Stamp stamp = new Stamp(Long.MIN_VALUE, "");

    private HttpErrLog() {}

    /** @return the current UTC date and time as http.sys writes them, followed by a space */
    private static String dateTime() {
        long now = System.currentTimeMillis() / 1000;
        Stamp last = stamp;
        if (last.epochSecond() != now) {
            last = new Stamp(now, DATE_TIME.format(Instant.ofEpochSecond(now).atZone(ZoneOffset.UTC)) + ' ');
            stamp = last;
        }
        return last.text();
    }

    /**
     * Logs one refusal or drop.
     *
     * @param channel the connection
     * @param version the request's version, or null when no request line was read
     * @param method  the method, or null
     * @param uri     the target, or null
     * @param status  the status answered, or 0 when the connection was dropped without an answer
     * @param reason  http.sys's reason word
     */
    static void log(Channel channel, String version, String method, String uri, int status, String reason) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder line = new StringBuilder(128);
        line.append(dateTime());
        address(line, channel.remoteAddress());
        address(line, channel.localAddress());
        line.append(field(version))
                .append(' ')
                .append(field(method))
                .append(' ')
                .append(field(uri))
                .append(" - ")
                .append(status > 0 ? Integer.toString(status) : "-")
                .append(" - ")
                .append(reason)
                .append(" -");
        LOG.info(line.toString());
    }

    private static void address(StringBuilder line, SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            line.append(
                            inet.getAddress() == null
                                    ? inet.getHostString()
                                    : inet.getAddress().getHostAddress())
                    .append(' ')
                    .append(inet.getPort())
                    .append(' ');
        } else {
            line.append("- - ");
        }
    }

    /** A field as http.sys writes it: {@code -} when absent, no spaces, at most 256 characters. */
    private static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), 256));
        for (int i = 0, n = Math.min(value.length(), 256); i < n; i++) {
            char c = value.charAt(i);
            out.append(c <= 0x20 || c >= 0x7F ? '+' : c);
        }
        return out.toString();
    }
}
