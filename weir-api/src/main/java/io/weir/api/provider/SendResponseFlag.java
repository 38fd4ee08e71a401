package io.weir.api.provider;

/**
 * Flags of a send, as {@code HTTP_SEND_RESPONSE_FLAG_*} in http.sys (values in the comments).
 */
public enum SendResponseFlag {
    /** 0x1: close the connection after this send. */
    DISCONNECT,
    /** 0x2: more entity data follows this send. */
    MORE_DATA,
    /** 0x4: the transport may buffer this send. */
    BUFFER_DATA,
    /** 0x8: Nagle's algorithm may delay this send. */
    ENABLE_NAGLING
}
