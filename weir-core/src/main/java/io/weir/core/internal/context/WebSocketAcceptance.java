package io.weir.core.internal.context;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.HttpStatus;
import io.weir.api.websocket.WebSocketContext;
import java.time.Duration;
import java.util.Optional;

/**
 * Accepts a WebSocket upgrade for a request under its {@code system.webServer/webSocket} section,
 * as IIS's WebSocket module does: refused when the section is disabled or the response headers are
 * already out; on success the response status becomes 101. The subprotocol is the one the handler
 * put in the response's {@code Sec-WebSocket-Protocol} header before accepting, as an IIS handler
 * sets that header before flushing the 101 (IIS's WebSocket module negotiates none itself). Runs on
 * the request's event loop.
 */
final class WebSocketAcceptance {

    /** {@code system.webServer/webSocket}. */
    private static final ConfigSectionType<Settings> SECTION =
            ConfigSectionType.of("system.webServer/webSocket", Settings::from);

    /** The section's attributes, with IIS's defaults. */
    private record Settings(boolean enabled, int receiveBufferLimit, Duration pingInterval) {
        static Settings from(ConfigElement e) {
            return new Settings(
                    e.booleanAttribute("enabled", true),
                    (int) Math.min(Integer.MAX_VALUE, e.longAttribute("receiveBufferLimit", 4_194_304L)),
                    e.timeSpanAttribute("pingInterval", Duration.ZERO));
        }
    }

    /** The header naming the subprotocol (RFC 6455 section 11.3.4). */
    private static final String SUBPROTOCOL = "Sec-WebSocket-Protocol";

    private WebSocketAcceptance() {}

    /**
     * @param context the request asking for the upgrade
     * @return the WebSocket, or empty when the section or the transport refuses it
     */
    static Optional<WebSocketContext> accept(RequestContext context) {
        Settings settings = context.config(SECTION);
        if (!settings.enabled() || context.response.headersSent()) {
            return Optional.empty();
        }
        Optional<WebSocketContext> ws = context.exchange.upgradeToWebSocket(
                settings.receiveBufferLimit(),
                settings.pingInterval(),
                context.response.header(SUBPROTOCOL).map(String::strip).orElse(""));
        if (ws.isPresent()) {
            context.response.setStatus(new HttpStatus(101, 0, "Switching Protocols"));
        }
        return ws;
    }
}
