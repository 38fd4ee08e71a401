package io.weir.api.http;

import java.util.List;
import java.util.Optional;

/**
 * The response being built; mirrors IIS's {@code IHttpResponse}. Used on the request's event loop,
 * from notification methods only. Header names are case-insensitive.
 *
 * <p>The response is buffered, as in IIS: entity chunks accumulate until the request's final send
 * (after UPDATE_REQUEST_CACHE, or at FINISH_REQUEST), which raises SEND_RESPONSE once and writes
 * status, headers and entity together with a {@code Content-Length}. {@link #flush} sends what is
 * buffered so far (raising SEND_RESPONSE again) and switches to chunked transfer; so does the
 * engine when the buffered memory exceeds the handler mapping's {@code responseBufferLimit}. Once the headers
 * are sent, status and header changes throw {@link IllegalStateException}.
 */
public interface HttpResponse {

    /**
     * Returns the status code.
     *
     * @return the code, 200 by default
     */
    int statusCode();

    /**
     * Returns the status with its substatus and reason.
     *
     * @return the status, {@link HttpStatus#OK} by default
     */
    HttpStatus status();

    /**
     * Sets the status. Mirrors {@code SetStatus}.
     *
     * @param status the status with substatus and reason
     * @throws IllegalStateException if the headers have been sent
     */
    void setStatus(HttpStatus status);

    /**
     * Sets the status and records the error that caused it, for logs and detailed error pages.
     * Mirrors {@code SetStatus} with {@code hrErrorToReport}.
     *
     * @param status the status
     * @param error  the cause
     * @throws IllegalStateException if the headers have been sent
     */
    void setStatus(HttpStatus status, Throwable error);

    /**
     * Sets the status, records the error behind it, and says whether an error-page module should
     * leave the entity this module writes alone. Mirrors {@code SetStatus} with
     * {@code hrErrorToReport} and its last parameter {@code fTrySkipCustomErrors} (in IIS's header,
     * not its documentation): under {@code httpErrors existingResponse="Auto"} CustomErrorModule
     * passes such a response through instead of replacing it with a custom or detailed error page;
     * {@code existingResponse="Replace"} replaces it all the same. The two-argument forms, and
     * {@link #clear()}, reset the flag to false.
     *
     * @param status              the status
     * @param error               the cause, or null when there is none
     * @param trySkipCustomErrors true to ask that the entity written with this status be kept
     * @throws IllegalStateException if the headers have been sent
     */
    void setStatus(HttpStatus status, Throwable error, boolean trySkipCustomErrors);

    /**
     * Tells whether the status was set with {@code trySkipCustomErrors}; mirrors the
     * {@code pfTrySkipCustomErrors} output of {@code GetStatus}.
     *
     * @return true when the last {@code setStatus} asked error-page modules to keep the entity
     */
    boolean trySkipCustomErrors();

    /**
     * Returns the error recorded with the status.
     *
     * @return the error, or empty when none was recorded
     */
    Optional<Throwable> statusError();

    /**
     * Returns the name of the module that set the current error status; mirrors the
     * {@code ppszModule} output of {@code GetStatus}. Weir records it when a status of 400 or more
     * is set from a module's notification method of a deterministic stage, when a module throws
     * (the engine's 500), and when the engine sets an error itself ({@code "IIS Web Core"}, as
     * IIS's detailed errors name it).
     *
     * @return the module's configured name, or empty when the status is below 400 or nothing was
     *         recorded (for example a status set in SEND_RESPONSE)
     */
    Optional<String> statusModule();

    /**
     * Returns the notification in which the current error status was set; mirrors the
     * {@code pdwNotification} output of {@code GetStatus}, as text.
     *
     * @return the notification's name as {@link io.weir.api.RequestNotification} spells it, with a
     *         {@code POST_} prefix for a post-notification (for example {@code "BEGIN_REQUEST"});
     *         empty whenever {@link #statusModule()} is empty
     */
    Optional<String> statusNotification();

    /**
     * Returns a response header; several values are joined with {@code ", "}.
     *
     * @param name the header name
     * @return the value, or empty when absent
     */
    Optional<String> header(String name);

    /**
     * Returns the names of the response headers.
     *
     * @return the names, each once, in the order first set
     */
    List<String> headerNames();

    /**
     * Sets a response header. Mirrors {@code IHttpResponse::SetHeader}: with {@code replace} false
     * the value is appended to the existing one after a comma ({@code "a"} then {@code "b"} sends
     * {@code Name: a,b}), as IIS does with {@code fReplace=FALSE}; the header is added when absent.
     * {@code Set-Cookie} is the exception: each value is sent as a field of its own, because a
     * cookie cannot be comma-joined (RFC 6265, section 3).
     *
     * @param name    the header name
     * @param value   the value
     * @param replace true to replace existing values, false to append this one to them
     * @throws IllegalArgumentException if {@code name} or {@code value} holds CR, LF or NUL
     * @throws IllegalStateException    if the headers have been sent
     */
    void setHeader(String name, String value, boolean replace);

    /**
     * Removes a response header. Mirrors {@code DeleteHeader}.
     *
     * @param name the header name
     * @throws IllegalStateException if the headers have been sent
     */
    void deleteHeader(String name);

    /**
     * Resets status, headers and the buffered entity to their defaults. Mirrors {@code Clear};
     * after a flush it only drops what is buffered.
     */
    void clear();

    /**
     * Drops the buffered, unsent entity and keeps the status and headers; what an error-page module
     * uses to replace an entity. Weir's addition (IIS's {@code Clear} also resets status and
     * headers).
     */
    void clearEntity();

    /**
     * Drops every header and restores the default set. Mirrors {@code ClearHeaders}.
     *
     * @throws IllegalStateException if the headers have been sent
     */
    void clearHeaders();

    /**
     * Appends chunks to the entity, synchronously. Mirrors {@code WriteEntityChunks} with
     * {@code fAsync = FALSE}: the bytes of memory chunks are copied, as IIS copies buffered data,
     * so the caller may refill its buffer as soon as this returns (a read-only buffer is taken as
     * unchanging and kept by reference: Weir's addition, which saves a copy for cached content).
     * File chunks are kept as ranges. With buffering disabled the chunks are flushed at once,
     * except from SEND_RESPONSE, where they join the send under way (IIS: {@code DisableBuffering}
     * does not disable buffering for {@code OnSendResponse}). With buffering on, when the memory
     * bytes buffered exceed the handler mapping's {@code responseBufferLimit} (4 MiB, IIS's default,
     * before a handler is mapped or when none is) the buffered entity is flushed, raising
     * SEND_RESPONSE for that send, as IIS does; file chunks do not count against the limit.
     *
     * @param chunks the chunks, in order
     * @throws IllegalStateException after a {@code flush(false)} completed the response
     */
    void writeEntityChunks(DataChunk... chunks);

    /**
     * Writes chunks synchronously or asynchronously; mirrors {@code WriteEntityChunks(pDataChunks,
     * nChunks, fAsync, fMoreData, &cbSent, &fCompletionExpected)}. With {@code async} false this is
     * {@link #writeEntityChunks(DataChunk...)} (followed by {@code flush(false)} when
     * {@code moreData} is false) and returns false.
     *
     * <p>With {@code async} true the buffered entity and these chunks are sent now (raising
     * SEND_RESPONSE for the send; with {@code moreData} false the send completes the response, as
     * {@code flush(false)}), memory chunks are kept by reference and not copied, and the call
     * returns true at once with the completion pending (IIS's {@code fCompletionExpected}): the
     * module returns {@code PENDING} from its notification method, keeps its buffers untouched, and
     * when the transport has written every byte to the connection, its
     * {@code onAsyncCompletion} runs on the request's event loop with
     * {@link CompletionInfo#completionBytes()} = the entity bytes of this write. The completion
     * follows the socket, so a module that writes its next piece from {@code onAsyncCompletion}
     * produces no faster than the client reads: memory stays bounded whatever the entity's size.
     * Valid from a notification method (or {@code onAsyncCompletion}) of a deterministic stage of a
     * top-level request, on the request's event loop or a blocking module's thread.
     *
     * @param async    true for IIS's {@code fAsync}
     * @param moreData true when more entity data follows (IIS's {@code fMoreData})
     * @param chunks   the chunks, in order
     * @return true when a completion is pending (return PENDING); false when the write completed
     * @throws IllegalStateException after a {@code flush(false)} completed the response, or for an
     *                               asynchronous write from SEND_RESPONSE or from a child request
     */
    boolean writeEntityChunks(boolean async, boolean moreData, DataChunk... chunks);

    /**
     * Returns the chunks buffered and not yet sent.
     *
     * @return an unmodifiable view, in order
     */
    List<DataChunk> entityChunks();

    /**
     * Returns the length of the buffered, unsent entity.
     *
     * @return the sum of the buffered chunks' lengths, in bytes
     */
    long bufferedEntityLength();

    /**
     * Sends the status, headers (the first time) and buffered entity now, raising SEND_RESPONSE
     * for this send (its provider says whether the headers go and whether it is the final send).
     * Mirrors {@code Flush}.
     *
     * <p>With {@code moreData} true, a first flush sends the headers without a
     * {@code Content-Length} (the length is unknown), so the entity goes out with chunked transfer
     * coding (HTTP/1.1) or until the connection closes (HTTP/1.0). With {@code moreData} false the
     * flush completes the response: a first flush sends a {@code Content-Length} of what is
     * buffered; afterwards no entity may be written, and the request's final send raises no further
     * SEND_RESPONSE.
     *
     * <p>A SEND_RESPONSE module that returns PENDING holds the send until it completes. On a
     * blocking thread this call waits for that, as IIS's synchronous flush blocks (at most the
     * pending deadline, then it throws {@link IllegalStateException}); on an event loop, which must
     * not wait, it returns at once, what is written afterwards is buffered behind the held send and
     * goes out with it, and the request's final send waits for it.
     *
     * @param moreData true when more entity data follows (IIS's {@code fMoreData})
     */
    void flush(boolean moreData);

    /**
     * Sends what is buffered, synchronously or asynchronously; mirrors {@code Flush(fAsync,
     * fMoreData, &cbSent, &fCompletionExpected)}. With {@code async} false this is
     * {@link #flush(boolean)} and returns false. With {@code async} true it sends as
     * {@link #flush(boolean)} does and returns true with the completion pending: the module returns
     * {@code PENDING}, and its {@code onAsyncCompletion} runs on the request's event loop once the
     * transport has written the bytes to the connection, with
     * {@link CompletionInfo#completionBytes()} = the entity bytes of this send. When a SEND_RESPONSE
     * module holds the send (it returned PENDING), the completion comes once that module has
     * completed and the bytes are written, as in IIS. The same rules as
     * {@link #writeEntityChunks(boolean, boolean, DataChunk...)} apply.
     *
     * @param async    true for IIS's {@code fAsync}
     * @param moreData true when more entity data follows (IIS's {@code fMoreData})
     * @return true when a completion is pending (return PENDING); false when the flush completed
     *         (also when the response was already completed or reset: nothing was sent)
     * @throws IllegalStateException for an asynchronous flush from SEND_RESPONSE or from a child
     *                               request
     */
    boolean flush(boolean async, boolean moreData);

    /**
     * Sends entity data as soon as it is written instead of buffering it. Mirrors
     * {@code DisableBuffering}.
     */
    void disableBuffering();

    /**
     * Answers with a redirect, discarding the buffered entity. Mirrors {@code Redirect}: a
     * relative URL is made absolute against the request's host. Return FINISH_REQUEST afterwards,
     * or later modules may still write.
     *
     * @param url               the target, absolute or an absolute path
     * @param status            the redirect status, for example {@link HttpStatus#FOUND}
     * @param includeParameters true to append the request's query string
     * @throws IllegalStateException if the headers have been sent
     */
    void redirect(String url, HttpStatus status, boolean includeParameters);

    /**
     * Asks for the connection to be closed after this response. Mirrors {@code SetNeedDisconnect}.
     */
    void setNeedDisconnect();

    /**
     * Tells whether the connection will be closed after this response.
     *
     * @return true after {@link #setNeedDisconnect()} or {@link #resetConnection()}
     */
    boolean needDisconnect();

    /**
     * Drops the connection without a response: nothing of this response is sent, and the
     * transport closes the socket with a TCP reset (RST) where it can, so the client sees
     * "connection reset". The pipeline still runs LOG_REQUEST and END_REQUEST; return
     * FINISH_REQUEST afterwards. Mirrors {@code ResetConnection} (IpRestrictionModule's
     * {@code denyAction="AbortRequest"} uses it).
     */
    void resetConnection();

    /**
     * Tells whether the headers have been sent.
     *
     * @return true after the first send
     */
    boolean headersSent();

    /**
     * Sets the description shown on detailed error pages. Mirrors {@code SetErrorDescription}.
     *
     * @param description plain text (it is HTML-encoded when shown)
     */
    void setErrorDescription(String description);

    /**
     * Returns the description set for detailed error pages.
     *
     * @return the text, empty when none was set
     */
    String errorDescription();

    /**
     * Returns the caching policy of this response. Mirrors {@code GetCachePolicy}.
     *
     * @return the policy, never null
     */
    HttpCachePolicy cachePolicy();

    /**
     * Returns the number of entity bytes sent to the client so far, for logging.
     *
     * @return the count in bytes; headers excluded
     */
    long bytesSent();

    /**
     * Tells whether the client connection can take more entity data without it queuing in the
     * server's memory: a module that streams a large entity (a reverse proxy) stops producing
     * while this is false and waits for {@link #onClientWritable}. Weir's addition (IIS modules
     * get the same effect from an asynchronous {@code Flush} completing).
     *
     * @return true when more data may be flushed now; true as well when the connection is gone
     */
    default boolean isClientWritable() {
        return true;
    }

    /**
     * Runs a task on the request's event loop once the data flushed so far has drained to the
     * client's connection (at once when it has); the task also runs when the connection closes,
     * so that a waiting producer can notice. Weir's addition, for back-pressure with
     * {@link #isClientWritable()}.
     *
     * @param task what to run, once
     */
    default void onClientWritable(Runnable task) {
        task.run();
    }
}
