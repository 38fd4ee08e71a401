package io.weir.modules.httplogging;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The W3C extended log fields IIS can write, in the order IIS writes them; each constant carries
 * its {@code #Fields:} name, its flag name in {@code logFile@logExtFileFlags} and the flag's bit.
 * Mirrors the {@code logExtFileFlags} flags of IIS's schema.
 */
public enum LogField {
    /** {@code date}: the UTC date the request was logged, {@code yyyy-MM-dd}. */
    DATE("date", "Date", 1),
    /** {@code time}: the UTC time the request was logged, {@code HH:mm:ss}. */
    TIME("time", "Time", 2),
    /** {@code s-sitename}: the site's service name, {@code W3SVC<id>}. */
    SITE_NAME("s-sitename", "SiteName", 16),
    /** {@code s-computername}: the server's host name. */
    COMPUTER_NAME("s-computername", "ComputerName", 32),
    /** {@code s-ip}: the local address the request arrived on. */
    SERVER_IP("s-ip", "ServerIP", 64),
    /** {@code cs-method}: the verb. */
    METHOD("cs-method", "Method", 128),
    /** {@code cs-uri-stem}: the URL path, decoded. */
    URI_STEM("cs-uri-stem", "UriStem", 256),
    /** {@code cs-uri-query}: the query string as sent. */
    URI_QUERY("cs-uri-query", "UriQuery", 512),
    /** {@code s-port}: the local port. */
    SERVER_PORT("s-port", "ServerPort", 32768),
    /** {@code cs-username}: the authenticated user, {@code -} for anonymous. */
    USER_NAME("cs-username", "UserName", 8),
    /** {@code c-ip}: the client's address. */
    CLIENT_IP("c-ip", "ClientIP", 4),
    /** {@code cs-version}: the protocol version, for example {@code HTTP/1.1}. */
    PROTOCOL_VERSION("cs-version", "ProtocolVersion", 524288),
    /** {@code cs(User-Agent)}: the User-Agent header. */
    USER_AGENT("cs(User-Agent)", "UserAgent", 65536),
    /** {@code cs(Cookie)}: the Cookie header. */
    COOKIE("cs(Cookie)", "Cookie", 131072),
    /** {@code cs(Referer)}: the Referer header. */
    REFERER("cs(Referer)", "Referer", 262144),
    /** {@code cs-host}: the Host header. */
    HOST("cs-host", "Host", 1048576),
    /** {@code sc-status}: the status code. */
    HTTP_STATUS("sc-status", "HttpStatus", 1024),
    /** {@code sc-substatus}: IIS's substatus code. */
    HTTP_SUB_STATUS("sc-substatus", "HttpSubStatus", 2097152),
    /** {@code sc-win32-status}: the Windows error of the send; Weir writes 0 (see the package documentation). */
    WIN32_STATUS("sc-win32-status", "Win32Status", 2048),
    /** {@code sc-bytes}: bytes sent (status line, headers the response holds, entity). */
    BYTES_SENT("sc-bytes", "BytesSent", 4096),
    /** {@code cs-bytes}: bytes received (request line, headers, entity). */
    BYTES_RECV("cs-bytes", "BytesRecv", 8192),
    /** {@code time-taken}: milliseconds from the start of the request to its logging. */
    TIME_TAKEN("time-taken", "TimeTaken", 16384);

    /** IIS's default {@code logExtFileFlags} of a site's {@code logFile}. */
    public static final Set<LogField> IIS_DEFAULTS = Collections.unmodifiableSet(EnumSet.of(
            DATE,
            TIME,
            CLIENT_IP,
            USER_NAME,
            SERVER_IP,
            METHOD,
            URI_STEM,
            URI_QUERY,
            TIME_TAKEN,
            HTTP_STATUS,
            WIN32_STATUS,
            SERVER_PORT,
            USER_AGENT,
            HTTP_SUB_STATUS,
            REFERER));

    private final String w3cName;
    private final String flagName;
    private final int bit;

    LogField(String w3cName, String flagName, int bit) {
        this.w3cName = w3cName;
        this.flagName = flagName;
        this.bit = bit;
    }

    /**
     * Returns the field's name in the {@code #Fields:} directive.
     *
     * @return for example {@code "cs(User-Agent)"}
     */
    public String w3cName() {
        return w3cName;
    }

    /**
     * Returns the field's flag name in {@code logExtFileFlags}.
     *
     * @return for example {@code "UserAgent"}
     */
    public String flagName() {
        return flagName;
    }

    /**
     * Returns the field's bit in the numeric form of {@code logExtFileFlags}.
     *
     * @return the bit value
     */
    public int bit() {
        return bit;
    }

    /**
     * Parses IIS's flags type: flag names separated by commas (any case; {@code None} or an empty
     * value for none) or the numeric sum of the bits.
     *
     * @param value   the attribute's value
     * @param element the element holding it, for the error's location
     * @return the fields, possibly empty
     * @throws ConfigException when a name is not a flag or the number is malformed
     */
    static Set<LogField> parseFlags(String value, ConfigElement element) {
        EnumSet<LogField> fields = EnumSet.noneOf(LogField.class);
        String trimmed = value.trim();
        if (!trimmed.isEmpty() && Character.isDigit(trimmed.charAt(0))) {
            long mask;
            try {
                mask = Long.parseLong(trimmed);
            } catch (NumberFormatException e) {
                throw new ConfigException(
                        element.attributeSource("logExtFileFlags"),
                        "logExtFileFlags '" + value + "' is neither a number nor a list of flag names",
                        e);
            }
            for (LogField field : values()) {
                if ((mask & field.bit) != 0) {
                    fields.add(field);
                }
            }
            return fields;
        }
        for (String part : trimmed.split(",")) {
            String name = part.trim();
            if (name.isEmpty() || name.equalsIgnoreCase("None")) {
                continue;
            }
            LogField match = null;
            for (LogField field : values()) {
                if (field.flagName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    match = field;
                }
            }
            if (match == null) {
                throw new ConfigException(
                        element.attributeSource("logExtFileFlags"),
                        "logExtFileFlags names '"
                                + name + "', which is not a W3C field flag (Date, Time, ClientIP, UserName, SiteName, "
                                + "ComputerName, ServerIP, Method, UriStem, UriQuery, HttpStatus, Win32Status, BytesSent, "
                                + "BytesRecv, TimeTaken, ServerPort, UserAgent, Cookie, Referer, ProtocolVersion, Host, "
                                + "HttpSubStatus)");
            }
            fields.add(match);
        }
        return fields;
    }
}
