package io.weir.modules.fastcgi;

import java.nio.ByteBuffer;

/**
 * One FastCGI 1.0 record as read from a connection: its type, request id and content (the padding
 * already dropped). The constants are the specification's record types, roles, flags and protocol
 * statuses.
 *
 * @param type      the record type, for example {@link #STDOUT}
 * @param requestId the request id (Weir always uses {@link #REQUEST_ID}: one request per connection)
 * @param content   the content bytes; a view valid until the next record is read from the same reader
 */
public record FastCgiRecord(int type, int requestId, ByteBuffer content) {

    /** The protocol version, {@code FCGI_VERSION_1}. */
    public static final int VERSION_1 = 1;
    /** {@code FCGI_BEGIN_REQUEST}. */
    public static final int BEGIN_REQUEST = 1;
    /** {@code FCGI_ABORT_REQUEST}. */
    public static final int ABORT_REQUEST = 2;
    /** {@code FCGI_END_REQUEST}. */
    public static final int END_REQUEST = 3;
    /** {@code FCGI_PARAMS}. */
    public static final int PARAMS = 4;
    /** {@code FCGI_STDIN}. */
    public static final int STDIN = 5;
    /** {@code FCGI_STDOUT}. */
    public static final int STDOUT = 6;
    /** {@code FCGI_STDERR}. */
    public static final int STDERR = 7;
    /** {@code FCGI_DATA}. */
    public static final int DATA = 8;
    /** {@code FCGI_GET_VALUES}. */
    public static final int GET_VALUES = 9;
    /** {@code FCGI_GET_VALUES_RESULT}. */
    public static final int GET_VALUES_RESULT = 10;
    /** {@code FCGI_UNKNOWN_TYPE}. */
    public static final int UNKNOWN_TYPE = 11;

    /** {@code FCGI_RESPONDER}, the only role Weir asks for. */
    public static final int ROLE_RESPONDER = 1;
    /** {@code FCGI_KEEP_CONN}: the application keeps the connection open after the request. */
    public static final int FLAG_KEEP_CONN = 1;

    /** {@code FCGI_REQUEST_COMPLETE}. */
    public static final int REQUEST_COMPLETE = 0;
    /** {@code FCGI_CANT_MPX_CONN}. */
    public static final int CANT_MPX_CONN = 1;
    /** {@code FCGI_OVERLOADED}. */
    public static final int OVERLOADED = 2;
    /** {@code FCGI_UNKNOWN_ROLE}. */
    public static final int UNKNOWN_ROLE = 3;

    /** The request id Weir uses: multiplexing is off, so every connection carries request 1. */
    public static final int REQUEST_ID = 1;
    /** The header length, {@code FCGI_HEADER_LEN}. */
    public static final int HEADER_LENGTH = 8;
    /** The largest content one record carries. */
    public static final int MAX_CONTENT_LENGTH = 0xFFFF;

    /**
     * Returns the padding the specification recommends after {@code contentLength} bytes, so that
     * records start on 8-byte boundaries.
     *
     * @param contentLength the content length
     * @return 0 to 7
     */
    public static int paddingFor(int contentLength) {
        return (8 - (contentLength & 7)) & 7;
    }

    /**
     * Reads an {@code FCGI_END_REQUEST} body's application status.
     *
     * @return the {@code appStatus}, as the script's exit status
     * @throws IllegalStateException if this is not an END_REQUEST record of 8 bytes
     */
    public int appStatus() {
        checkEndRequest();
        return content.getInt(content.position());
    }

    /**
     * Reads an {@code FCGI_END_REQUEST} body's protocol status.
     *
     * @return {@link #REQUEST_COMPLETE}, {@link #CANT_MPX_CONN}, {@link #OVERLOADED} or {@link #UNKNOWN_ROLE}
     * @throws IllegalStateException if this is not an END_REQUEST record of 8 bytes
     */
    public int protocolStatus() {
        checkEndRequest();
        return content.get(content.position() + 4) & 0xFF;
    }

    private void checkEndRequest() {
        if (type != END_REQUEST || content.remaining() < 8) {
            throw new IllegalStateException("not an FCGI_END_REQUEST record with an 8-byte body");
        }
    }
}
