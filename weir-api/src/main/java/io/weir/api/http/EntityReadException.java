package io.weir.api.http;

/**
 * The request entity cannot be read: the client sent more than a limit allows (a chunked body
 * growing past {@code requestLimits@maxAllowedContentLength}, or past the transport's server-wide
 * cap), broke the chunked coding, or went away. Thrown by the synchronous
 * {@link HttpRequest#readEntityBody(java.nio.ByteBuffer)}; given as
 * {@link CompletionInfo#error()} to {@code onAsyncCompletion} after an asynchronous read. Mirrors
 * the failing HRESULT of IIS's {@code ReadEntityBody}. Once thrown, every later read of the same
 * request throws it again.
 */
public final class EntityReadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong
     * @param cause   the underlying failure, or null
     */
    public EntityReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
