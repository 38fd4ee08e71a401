package io.weir.modules.compression;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.provider.HttpEventProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A handler for the tests: answers with generated text, as an application would. Query:
 * {@code n} bytes (default 10000), {@code parts} sends (flushes with more data between them),
 * {@code type} (default text/plain), {@code etag}, and {@code encoded=1} for a body the handler
 * gzips itself (with {@code Content-Encoding: gzip}).
 */
public final class GeneratedTextModuleRegistration implements ModuleRegistration {

    /** For ServiceLoader and {@code globalModules type=}. */
    public GeneratedTextModuleRegistration() {}

    /**
     * The text the handler sends for {@code n}.
     *
     * @param n bytes
     * @return the text
     */
    public static byte[] text(int n) {
        StringBuilder b = new StringBuilder(n + 64);
        for (int line = 0; b.length() < n; line++) {
            b.append("line ")
                    .append(line)
                    .append(": the quick brown fox jumps over the lazy dog ")
                    .append(line * 7919 % 1000)
                    .append('\n');
        }
        return b.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new HttpModule() {
                    @Override
                    public RequestNotificationStatus onExecuteRequestHandler(
                            HttpContext context, HttpEventProvider provider) {
                        Map<String, String> q = new HashMap<>();
                        for (String p : context.request().queryString().split("&")) {
                            int eq = p.indexOf('=');
                            if (eq > 0) {
                                q.put(p.substring(0, eq), p.substring(eq + 1));
                            }
                        }
                        context.setRequestHandled();
                        HttpResponse response = context.response();
                        response.setHeader(
                                "Content-Type",
                                q.getOrDefault("type", "text/plain").replace("%2F", "/"),
                                true);
                        if (q.containsKey("etag")) {
                            response.setHeader("ETag", "\"" + q.get("etag") + "\"", true);
                        }
                        byte[] body = text(Integer.parseInt(q.getOrDefault("n", "10000")));
                        if ("1".equals(q.get("encoded"))) {
                            response.setHeader("Content-Encoding", "gzip", true);
                            response.writeEntityChunks(DataChunk.ofBytes(gzip(body)));
                            return RequestNotificationStatus.CONTINUE;
                        }
                        int parts = Integer.parseInt(q.getOrDefault("parts", "1"));
                        int step = (body.length + parts - 1) / Math.max(1, parts);
                        for (int off = 0, k = 0; off < body.length; off += step, k++) {
                            int len = Math.min(step, body.length - off);
                            response.writeEntityChunks(new DataChunk.Memory(ByteBuffer.wrap(body, off, len)));
                            if (off + len < body.length) {
                                response.flush(true);
                            }
                        }
                        return RequestNotificationStatus.CONTINUE;
                    }
                },
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
    }

    private static byte[] gzip(byte[] body) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(body);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
