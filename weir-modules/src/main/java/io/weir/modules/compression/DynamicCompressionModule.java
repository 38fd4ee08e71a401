package io.weir.modules.compression;

import io.weir.api.HttpModule;
import io.weir.api.ModuleId;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.provider.SendResponseProvider;
import java.io.IOException;
import java.util.List;

/**
 * Compresses responses that handlers generate; mirrors IIS's DynamicCompressionModule
 * ({@code compdyn.dll}). One instance serves every request; the per-response encoder is its
 * module context.
 *
 * <p>In SEND_RESPONSE, on the request's event loop: on the send that carries the headers it
 * decides once for the whole response. It compresses when the response has a body status and no
 * {@code Content-Encoding} already (never twice: StaticCompressionModule, which runs before it in
 * SEND_RESPONSE, may have compressed it), no {@code Content-Range},
 * {@code urlCompression@doDynamicCompression} is on, the type is enabled in
 * {@code dynamicTypes}, the request passes the HTTP/1.0 and proxy checks, the client accepts one
 * of the schemes that do dynamic compression, and the CPU is not above
 * {@code dynamicCompressionDisableCpuUsage} (it resumes below {@code dynamicCompressionEnableCpuUsage}).
 * Then every send of that response, flushes included, goes through one streaming encoder: a
 * chunked response is compressed as it is written, with memory bounded by the codec's window and
 * one send's output; the response carries {@code Content-Encoding}, {@code Vary: Accept-Encoding}
 * and, when it had one, a per-coding {@code ETag}.
 *
 * <p>As in IIS, a static file whose type is in {@code dynamicTypes} and that static compression
 * did not compress (no copy yet, or a type only {@code dynamicTypes} enables) is compressed here;
 * its file bytes are read on the event loop, so only a response carrying at most 1 MiB of file
 * bytes is.
 */
public final class DynamicCompressionModule implements HttpModule {

    /** The most file bytes a response may carry to be compressed here (they are read on the event loop). */
    static final long MAX_FILE_BYTES = 1 << 20;

    private final ModuleId id;
    private final CpuGate cpu = new CpuGate();

    /** @param id this module's id, for its per-request context */
    DynamicCompressionModule(ModuleId id) {
        this.id = id;
    }

    /**
     * Compresses this send when the response was chosen for compression on its first send.
     *
     * @param context  the request
     * @param provider the send
     * @return CONTINUE
     */
    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        HttpResponse response = context.response();
        StreamingEncoder encoder;
        if (provider.headersBeingSent()) {
            encoder = start(context, response, provider.isFinalSend());
            if (encoder == null) {
                return RequestNotificationStatus.CONTINUE;
            }
            context.moduleContextContainer().setModuleContext(encoder, id);
        } else if (context.moduleContextContainer().moduleContext(id).orElse(null) instanceof StreamingEncoder e) {
            encoder = e;
        } else {
            return RequestNotificationStatus.CONTINUE;
        }
        List<DataChunk> coded = encoder.encode(List.copyOf(response.entityChunks()), provider.isFinalSend());
        response.clearEntity();
        if (!coded.isEmpty()) {
            response.writeEntityChunks(coded.toArray(DataChunk[]::new));
        }
        return RequestNotificationStatus.CONTINUE;
    }

    private StreamingEncoder start(HttpContext context, HttpResponse response, boolean finalSend) {
        if (finalSend
                && response.bufferedEntityLength() == 0
                && response.entityChunks().isEmpty()) {
            return null; // nothing to code; an error status may still get the server's error page
        }
        int status = response.statusCode();
        if (status < 200 || status == 204 || status == 206 || status == 304) {
            return null;
        }
        if (response.header("Content-Encoding").isPresent()
                || response.header("Content-Range").isPresent()) {
            return null;
        }
        if (!context.config(UrlCompressionSection.SECTION).doDynamicCompression()) {
            return null;
        }
        HttpCompressionSection section = context.config(HttpCompressionSection.SECTION);
        if (!section.dynamicTypes().matches(response.header("Content-Type").orElse(""))) {
            return null;
        }
        if (fileBytes(response.entityChunks()) > MAX_FILE_BYTES) {
            return null;
        }
        ResponseHeaders.varyOnAcceptEncoding(response);
        HttpRequest request = context.request();
        if (!ResponseHeaders.requestAllows(request, section) || !cpu.allows(section.dynamicCpu())) {
            return null;
        }
        Scheme scheme = AcceptEncoding.choose(request, section.dynamicSchemes());
        if (scheme == null) {
            return null;
        }
        StreamingEncoder encoder;
        try {
            encoder = new StreamingEncoder(scheme.coding(), scheme.dynamicLevel(), section.dynamicBufferLimit());
        } catch (IOException e) {
            return null;
        }
        response.setHeader("Content-Encoding", scheme.coding().token(), true);
        if (!context.config(UrlCompressionSection.SECTION).dynamicCompressionBeforeCache()) {
            // compressed on every send: the kernel-style cache keeps no compressed copy
            response.cachePolicy().disableKernelCache();
        }
        response.deleteHeader("Content-Length");
        response.deleteHeader("Accept-Ranges");
        response.header("ETag")
                .ifPresent(tag -> response.setHeader("ETag", ResponseHeaders.codedEtag(tag, scheme.coding()), true));
        if (section.sendCacheHeaders()) {
            response.setHeader("Expires", section.expiresHeader(), true);
            response.setHeader("Cache-Control", section.cacheControlHeader(), true);
        }
        return encoder;
    }

    /** @return the bytes of the file chunks of this send, which the encoder reads on the event loop */
    private static long fileBytes(List<DataChunk> chunks) {
        long total = 0;
        for (int i = 0, n = chunks.size(); i < n; i++) { // indexed: no iterator per response
            DataChunk c = chunks.get(i);
            if (c instanceof DataChunk.File) {
                total += c.length();
            }
        }
        return total;
    }

    /**
     * Names the module as IIS does.
     *
     * @return {@code "DynamicCompressionModule"}
     */
    @Override
    public String toString() {
        return "DynamicCompressionModule";
    }
}
