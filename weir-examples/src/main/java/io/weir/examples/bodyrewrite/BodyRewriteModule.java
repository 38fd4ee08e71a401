package io.weir.examples.bodyrewrite;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.provider.SendResponseProvider;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Rewrites the body of HTML responses as they are sent: every occurrence of one text becomes
 * another. This is the IIS SDK's classic {@code OnSendResponse} pattern: the module looks at the
 * entity chunks about to go out ({@code GetEntityChunks} there, {@link HttpResponse#entityChunks()}
 * here), builds the new entity, and puts it in their place before the server writes anything, so
 * that it works on the output of any handler (a script, a proxy, another module).
 *
 * <p>SEND_RESPONSE is raised once per send: once for a buffered response (the server then sends
 * the new length in {@code Content-Length}), once per flush for a streamed one. Each send is
 * rewritten on its own, so a text split across two sends is not found; file chunks (a static file
 * served without copying) are passed on unchanged, since reading them would mean file I/O on the
 * event loop. Non-HTML responses are left alone.
 */
final class BodyRewriteModule implements HttpModule {

    /** The text the sample replaces. */
    static final String FIND = "World";

    /** What it puts instead. */
    static final String REPLACE = "Weir";

    private final byte[] find;
    private final byte[] replace;

    BodyRewriteModule(String find, String replace) {
        this.find = find.getBytes(StandardCharsets.UTF_8);
        this.replace = replace.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public RequestNotificationStatus onSendResponse(HttpContext context, SendResponseProvider provider) {
        HttpResponse response = context.response();
        boolean html = response.header("Content-Type")
                .map(t -> t.toLowerCase(Locale.ROOT).startsWith("text/html"))
                .orElse(false);
        List<DataChunk> chunks = List.copyOf(response.entityChunks());
        if (!html || chunks.isEmpty() || chunks.stream().anyMatch(c -> c instanceof DataChunk.File)) {
            return RequestNotificationStatus.CONTINUE;
        }
        ByteArrayOutputStream entity = new ByteArrayOutputStream((int) response.bufferedEntityLength());
        for (DataChunk chunk : chunks) {
            ByteBuffer b = ((DataChunk.Memory) chunk).buffer().duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            entity.writeBytes(bytes);
        }
        byte[] rewritten = replaceAll(entity.toByteArray());
        response.clearEntity();
        response.writeEntityChunks(DataChunk.ofBytes(rewritten));
        return RequestNotificationStatus.CONTINUE;
    }

    private byte[] replaceAll(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        int i = 0;
        while (i < in.length) {
            if (matchesAt(in, i)) {
                out.writeBytes(replace);
                i += find.length;
            } else {
                out.write(in[i++]);
            }
        }
        return out.toByteArray();
    }

    private boolean matchesAt(byte[] in, int at) {
        if (at + find.length > in.length) {
            return false;
        }
        for (int k = 0; k < find.length; k++) {
            if (in[at + k] != find[k]) {
                return false;
            }
        }
        return true;
    }
}
