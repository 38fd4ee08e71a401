package io.weir.examples.helloworld;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Answers every request it sees with the plain-text body {@code Hello World} and ends the request
 * in BEGIN_REQUEST; the Java form of the walkthrough's {@code CHelloWorld::OnBeginRequest}.
 *
 * <p>Because it returns {@link RequestNotificationStatus#FINISH_REQUEST}, no later stage runs for the
 * request (no handler mapping, no static file) except the final send, LOG_REQUEST and END_REQUEST.
 * Which URLs it answers is therefore decided by configuration: enable it in
 * {@code system.webServer/modules} only under the {@code <location>} it should own.
 */
public final class HelloWorldModule implements HttpModule {

    /**
     * The body, one chunk shared by every request, as the walkthrough's module keeps its buffer in
     * static memory. Safe to share: the server reads a memory chunk's bytes without moving its
     * position, and the buffer is read-only, so a write keeps it without the copy IIS makes of
     * memory it buffers (nothing can change these bytes).
     */
    private static final DataChunk BODY = new DataChunk.Memory(
            ByteBuffer.wrap("Hello World".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer());

    /** Creates the per-request instance; it holds no state. */
    public HelloWorldModule() {}

    /**
     * Clears the response, sets {@code Content-Type: text/plain}, writes {@code Hello World} and
     * finishes the request. If the write fails the status becomes 500, as in the walkthrough.
     *
     * @param context  the request
     * @param provider unused
     * @return {@link RequestNotificationStatus#FINISH_REQUEST}, always
     */
    @Override
    public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
        HttpResponse response = context.response();
        response.clear();
        response.setHeader("Content-Type", "text/plain", true);
        try {
            response.writeEntityChunks(BODY);
        } catch (RuntimeException e) {
            response.setStatus(HttpStatus.INTERNAL_SERVER_ERROR, e);
        }
        return RequestNotificationStatus.FINISH_REQUEST;
    }
}
