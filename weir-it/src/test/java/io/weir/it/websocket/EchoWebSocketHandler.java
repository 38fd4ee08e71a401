package io.weir.it.websocket;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import io.weir.api.websocket.WebSocketContext;
import io.weir.api.websocket.WebSocketFragmentHandler;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Optional;

/**
 * A handler that accepts the WebSocket upgrade and echoes every fragment back as it comes (the
 * same type, the same fragmentation), until the client closes; then it completes the request. A
 * request that is not an upgrade gets 400.
 */
public final class EchoWebSocketHandler implements ModuleRegistration {

    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(
                allocator -> new Echo(),
                EnumSet.of(RequestNotification.EXECUTE_REQUEST_HANDLER),
                EnumSet.noneOf(RequestNotification.class));
    }

    /** One connection's echo loop. */
    static final class Echo implements HttpModule, WebSocketFragmentHandler {
        private HttpContext context;
        private WebSocketContext socket;
        private boolean inNotification;
        private boolean done;

        @Override
        public RequestNotificationStatus onExecuteRequestHandler(HttpContext ctx, HttpEventProvider provider) {
            context = ctx;
            Optional<WebSocketContext> accepted = ctx.acceptWebSocket();
            if (accepted.isEmpty()) {
                ctx.response().setStatus(HttpStatus.BAD_REQUEST);
                ctx.response().setErrorDescription("not a WebSocket upgrade");
                return RequestNotificationStatus.FINISH_REQUEST;
            }
            socket = accepted.get();
            inNotification = true;
            try {
                socket.readFragment(this);
            } finally {
                inNotification = false;
            }
            return done ? RequestNotificationStatus.CONTINUE : RequestNotificationStatus.PENDING;
        }

        @Override
        public void onFragment(ByteBuffer data, boolean utf8, boolean finalFragment) {
            socket.writeFragment(data, utf8, finalFragment, error -> {
                if (error == null) {
                    socket.readFragment(this);
                }
            });
        }

        @Override
        public void onClose(int status, String reason) {
            done = true;
            if (!inNotification) {
                context.indicateCompletion(RequestNotificationStatus.CONTINUE);
            }
        }
    }
}
