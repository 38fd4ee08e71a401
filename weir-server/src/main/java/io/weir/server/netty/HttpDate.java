package io.weir.server.netty;

import io.netty.util.AsciiString;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The {@code Date} header value (RFC 9110 IMF-fixdate), formatted at most once per second. Thread-safe. */
final class HttpDate {

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private record Stamp(long epochSecond, AsciiString text) {}

    private static volatile Stamp current = format(System.currentTimeMillis() / 1000);

    private HttpDate() {}

    /** @return the current date as a header value; the same instance within one second */
    static AsciiString now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp stamp = current;
        if (stamp.epochSecond() != second) {
            stamp = format(second);
            current = stamp;
        }
        return stamp.text();
    }

    private static Stamp format(long second) {
        return new Stamp(second, AsciiString.cached(IMF_FIXDATE.format(Instant.ofEpochSecond(second))));
    }
}
