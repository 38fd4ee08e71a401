package io.weir.it.requestmodel;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.provider.ReadEntityProvider;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/** The modules of {@link RequestEntityIT}: a handler that reads the streamed entity, and a READ_ENTITY counter. */
final class EntityModules {

    /** READ_ENTITY notifications seen, by the request's {@code X-Test-Id}. */
    static final Map<String, AtomicInteger> READ_ENTITY = new ConcurrentHashMap<>();
    /** Handler invocations, by {@code X-Test-Id}. */
    static final Map<String, AtomicInteger> HANDLED = new ConcurrentHashMap<>();

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "entity-it-timer");
        t.setDaemon(true);
        return t;
    });

    private EntityModules() {}

    static String id(HttpContext c) {
        return c.request().header("X-Test-Id").orElse("none");
    }

    /**
     * The handler. {@code /async}: reads with the asynchronous form (PENDING + onAsyncCompletion);
     * {@code /sync}: reads with the synchronous form, retrying through postCompletion when nothing has
     * arrived; {@code /ignore}: answers without reading; {@code /later}: answers "later" 1.5 s after it
     * ran, without reading. Answers
     * {@code bytes=..;chunks=..;reads=..;pending=..;loop=..}.
     */
    static final class Handler implements HttpModule {
        private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        private long bytes;
        private final CRC32 crc = new CRC32();
        private final ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        private boolean echo;
        private int chunks;
        private int reads;
        private int pending;
        private Thread loop;
        private boolean sameThread = true;

        @Override
        public RequestNotificationStatus onExecuteRequestHandler(HttpContext c, HttpEventProvider p) {
            HANDLED.computeIfAbsent(id(c), k -> new AtomicInteger()).incrementAndGet();
            loop = Thread.currentThread();
            String path = c.request().urlPath();
            echo = path.startsWith("/echo");
            if (path.startsWith("/ignore")) {
                return answer(c, "ignored");
            }
            if (path.startsWith("/later")) {
                TIMER.schedule(() -> c.postCompletion(0), 1500, TimeUnit.MILLISECONDS);
                return RequestNotificationStatus.PENDING;
            }
            return path.startsWith("/sync") ? readSync(c) : readAsync(c);
        }

        private RequestNotificationStatus readAsync(HttpContext c) {
            while (true) {
                buffer.clear();
                int n = c.request().readEntityBody(buffer, true);
                if (n == HttpRequest.READ_PENDING) {
                    pending++;
                    return RequestNotificationStatus.PENDING;
                }
                reads++;
                if (n < 0) {
                    return done(c);
                }
                count(n);
            }
        }

        private RequestNotificationStatus readSync(HttpContext c) {
            while (true) {
                buffer.clear();
                int n;
                try {
                    n = c.request().readEntityBody(buffer);
                } catch (IllegalStateException wouldWait) {
                    // On the event loop a synchronous read that would wait is refused: try again later.
                    pending++;
                    TIMER.schedule(() -> c.postCompletion(0), 2, TimeUnit.MILLISECONDS);
                    return RequestNotificationStatus.PENDING;
                }
                reads++;
                if (n < 0) {
                    return done(c);
                }
                count(n);
            }
        }

        @Override
        public RequestNotificationStatus onAsyncCompletion(
                HttpContext c,
                RequestNotification notification,
                boolean postNotification,
                HttpEventProvider p,
                CompletionInfo info) {
            sameThread &= Thread.currentThread() == loop;
            if (c.request().urlPath().startsWith("/sync")) {
                return readSync(c);
            }
            if (c.request().urlPath().startsWith("/later")) {
                return answer(c, "later");
            }
            if (info.error().isPresent()) {
                throw (RuntimeException) info.error().get();
            }
            reads++;
            if (info.completionBytes() < 0) {
                return done(c);
            }
            count((int) info.completionBytes());
            return readAsync(c);
        }

        private void count(int n) {
            if (n > 0) {
                crc.update(buffer.array(), 0, n);
                if (echo) {
                    echoed.write(buffer.array(), 0, n);
                }
                bytes += n;
                chunks++;
            }
        }

        private RequestNotificationStatus done(HttpContext c) {
            if (echo) {
                return answer(c, echoed.toString(StandardCharsets.ISO_8859_1));
            }
            return answer(
                    c,
                    "bytes=" + bytes + ";chunks=" + chunks + ";reads=" + reads + ";pending=" + pending
                            + ";loop=" + (sameThread && loop.getName().contains("EventLoop")) + ";remaining="
                            + c.request().remainingEntityBytes() + ";crc=" + crc.getValue());
        }

        private static RequestNotificationStatus answer(HttpContext c, String text) {
            c.response().setHeader("Content-Type", "text/plain", true);
            c.response().writeEntityChunks(DataChunk.ofUtf8(text));
            return RequestNotificationStatus.FINISH_REQUEST;
        }

        /** Registers the handler for EXECUTE_REQUEST_HANDLER. */
        public static final class Registration implements ModuleRegistration {
            @Override
            public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
                info.setRequestNotifications(
                        a -> new Handler(),
                        EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                        EnumSet.noneOf(RequestNotification.class));
            }
        }
    }

    /** Counts READ_ENTITY per request; with {@code X-Upper} it replaces each chunk read by its upper case (SetEntity). */
    static final class Counter implements HttpModule {
        @Override
        public RequestNotificationStatus onReadEntity(HttpContext c, ReadEntityProvider provider) {
            READ_ENTITY.computeIfAbsent(id(c), k -> new AtomicInteger()).incrementAndGet();
            if (c.request().header("X-Upper").isPresent() && provider.entity().hasRemaining()) {
                ByteBuffer read = provider.entity();
                byte[] upper = new byte[read.remaining()];
                read.duplicate().get(upper);
                provider.setEntity(ByteBuffer.wrap(new String(upper, StandardCharsets.ISO_8859_1)
                        .toUpperCase(Locale.ROOT)
                        .getBytes(StandardCharsets.ISO_8859_1)));
            }
            return RequestNotificationStatus.CONTINUE;
        }

        /** Registers the counter for READ_ENTITY. */
        public static final class Registration implements ModuleRegistration {
            @Override
            public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
                info.setRequestNotifications(
                        a -> new Counter(),
                        EnumSet.of(RequestNotification.READ_ENTITY),
                        EnumSet.noneOf(RequestNotification.class));
            }
        }
    }
}
