package io.weir.modules.proxy;

import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.outbound.OutboundAddress;
import io.weir.api.outbound.OutboundConnector;
import io.weir.api.outbound.OutboundFailure;
import io.weir.api.outbound.OutboundStream;
import io.weir.api.outbound.OutboundStreamListener;
import io.weir.api.websocket.WebSocketContext;
import io.weir.api.websocket.WebSocketFragmentHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * WebSocket pass-through for one proxied upgrade request (ARR forwards a WebSocket upgrade to the
 * backend and relays the frames). Weir makes its own upgrade request to the backend on a
 * byte-stream connection (the client's headers, as the proxy forwards them, with a fresh
 * {@code Sec-WebSocket-Key}; the client's {@code Sec-WebSocket-Protocol} offer is passed on as it
 * came); when the backend answers {@code 101} with the right {@code Sec-WebSocket-Accept}, it
 * accepts the client's upgrade, naming the subprotocol the backend chose, and relays messages both ways,
 * fragment by fragment (text or binary, fragmentation kept), with back-pressure: the next client
 * fragment is read only once the backend connection took the previous one, and the backend is not
 * read while fragments to the client are being written. Pings from the backend are answered here;
 * a Close from either side is passed to the other. A backend that refuses the upgrade gives its
 * status to the client (without its entity); one that cannot be reached, or answers malformed,
 * 502.3. Every method runs on the request's event loop.
 */
final class WebSocketTunnel implements OutboundStreamListener, WebSocketFragmentHandler {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The largest frame payload relayed from the backend; a larger one closes both sides with 1009. */
    private static final int MAX_FRAME = 16 * 1024 * 1024;

    private static final int OP_CONTINUATION = 0;
    private static final int OP_TEXT = 1;
    private static final int OP_BINARY = 2;
    private static final int OP_CLOSE = 8;
    private static final int OP_PING = 9;
    private static final int OP_PONG = 10;

    private final HttpContext ctx;
    private final OutboundConnector connector;
    private final OutboundAddress address;
    private final String target;
    private final List<Map.Entry<String, String>> headers;
    private final Duration timeout;
    private final int maxHeadBytes;
    private final Runnable onEnd;
    private final String key;

    private OutboundStream stream;
    private WebSocketContext socket;
    private ByteBuffer pending = ByteBuffer.allocate(0);
    /** The subprotocol the backend's 101 names; empty when it names none. */
    private String subprotocol = "";

    private boolean headParsed;
    private boolean inNotification;
    private boolean completionPosted;
    private boolean finished;
    private RequestNotificationStatus finalStatus = RequestNotificationStatus.CONTINUE;

    private boolean readOutstanding;
    private boolean waitingBackendWritable;
    private boolean clientMessageOpen;
    private boolean backendMessageText;
    private int writesToClient;
    private boolean backendClosed;
    private boolean clientClosed;
    private boolean closeSentToClient;

    /**
     * @param ctx          the request
     * @param connector    the outbound connector
     * @param address      the backend
     * @param target       the request-target sent to the backend
     * @param headers      the forwarded request headers (Host first), without the upgrade fields
     * @param timeout      how long connecting and the backend's answer to the upgrade may take
     * @param maxHeadBytes the largest response head accepted from the backend
     * @param onEnd        called once when the tunnel ends (for the farm's counters)
     */
    WebSocketTunnel(
            HttpContext ctx,
            OutboundConnector connector,
            OutboundAddress address,
            String target,
            List<Map.Entry<String, String>> headers,
            Duration timeout,
            int maxHeadBytes,
            Runnable onEnd) {
        this.ctx = ctx;
        this.connector = connector;
        this.address = address;
        this.target = target;
        this.headers = headers;
        this.timeout = timeout.isZero() ? Duration.ofSeconds(30) : timeout;
        this.maxHeadBytes = maxHeadBytes;
        this.onEnd = onEnd;
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
    }

    /**
     * Whether a request asks for a WebSocket upgrade ({@code Upgrade: websocket} on a GET).
     *
     * @param ctx the request
     * @return true to tunnel it
     */
    static boolean isUpgrade(HttpContext ctx) {
        if (!ctx.request().method().equals("GET")) {
            return false;
        }
        for (String value : ctx.request().headers("Upgrade")) {
            for (String token : value.split(",")) {
                if (token.strip().equalsIgnoreCase("websocket")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a request header is one the tunnel sets itself (the upgrade's own fields).
     *
     * @param name the header name, in any case
     * @return true to leave it out of the forwarded headers
     */
    static boolean ownHeader(String name) {
        return name.regionMatches(true, 0, "sec-websocket-", 0, 14)
                && (name.equalsIgnoreCase("sec-websocket-key")
                        || name.equalsIgnoreCase("sec-websocket-version")
                        || name.equalsIgnoreCase("sec-websocket-extensions")
                        || name.equalsIgnoreCase("sec-websocket-accept"));
    }

    /**
     * Opens the backend connection and sends the upgrade request; in EXECUTE_REQUEST_HANDLER.
     *
     * @return PENDING, or the final status when the tunnel ended at once
     */
    RequestNotificationStatus start() {
        ctx.setRequestHandled();
        inNotification = true;
        try {
            connector.openStream(address, timeout, this);
        } catch (IllegalStateException e) {
            refuse(ProxyModule.BAD_GATEWAY_FORWARDER, "the server is stopping");
        } finally {
            inNotification = false;
        }
        return finished ? finalStatus : RequestNotificationStatus.PENDING;
    }

    /**
     * The completion posted once the backend accepted the upgrade: accepts the client's upgrade
     * and starts relaying; in EXECUTE_REQUEST_HANDLER.
     *
     * @return PENDING while the tunnel runs, else the final status
     */
    RequestNotificationStatus onAsyncCompletion() {
        completionPosted = false;
        inNotification = true;
        try {
            if (!finished) {
                acceptClient();
            }
        } finally {
            inNotification = false;
        }
        return finished ? finalStatus : RequestNotificationStatus.PENDING;
    }

    // --- the backend connection ----------------------------------------------------------------------

    @Override
    public void onConnected(OutboundStream s) {
        stream = s;
        if (finished) {
            s.close();
            return;
        }
        StringBuilder head = new StringBuilder(512);
        head.append("GET ").append(target).append(" HTTP/1.1\r\n");
        for (Map.Entry<String, String> h : headers) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n");
        head.append("Sec-WebSocket-Key: ").append(key).append("\r\n\r\n");
        s.write(ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Override
    public void onData(ByteBuffer bytes) {
        if (finished) {
            return;
        }
        append(bytes);
        if (!headParsed) {
            parseHead();
            return;
        }
        if (socket != null) {
            relayFrames();
        }
    }

    @Override
    public void onWritable() {
        if (waitingBackendWritable) {
            waitingBackendWritable = false;
            readClient();
        }
    }

    @Override
    public void onClosed() {
        backendClosed = true;
        if (finished) {
            return;
        }
        if (socket == null) {
            if (!completionPosted) {
                refuse(
                        ProxyModule.BAD_GATEWAY_FORWARDER,
                        "the backend closed the connection during the WebSocket upgrade");
            }
            return;
        }
        closeClient(1011, "the backend closed the connection");
    }

    @Override
    public void onFailure(OutboundFailure failure) {
        backendClosed = true;
        if (finished) {
            return;
        }
        if (socket == null) {
            if (!completionPosted) {
                refuse(ProxyModule.BAD_GATEWAY_FORWARDER, failure.message());
            }
            return;
        }
        closeClient(1011, "the backend connection failed");
    }

    private void append(ByteBuffer bytes) {
        if (pending.remaining() == 0) {
            pending = bytes;
            return;
        }
        ByteBuffer joined = ByteBuffer.allocate(pending.remaining() + bytes.remaining());
        joined.put(pending).put(bytes).flip();
        pending = joined;
    }

    private void parseHead() {
        int end = indexOfHeadEnd(pending);
        if (end < 0) {
            if (pending.remaining() > maxHeadBytes) {
                refuse(ProxyModule.BAD_GATEWAY_FORWARDER, "the backend's answer to the WebSocket upgrade is too large");
            }
            return;
        }
        byte[] headBytes = new byte[end - pending.position()];
        pending.get(headBytes);
        pending.position(pending.position() + 4);
        pending = pending.slice();
        String[] lines = new String(headBytes, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        int code;
        try {
            code = status.length >= 2 && status[0].startsWith("HTTP/1.") ? Integer.parseInt(status[1]) : -1;
        } catch (NumberFormatException e) {
            code = -1;
        }
        if (code < 100 || code > 599) {
            refuse(ProxyModule.BAD_GATEWAY_FORWARDER, "malformed status line from the backend: " + lines[0]);
            return;
        }
        if (code != 101) {
            String reason = status.length == 3 && !status[2].isBlank() ? status[2] : "Status";
            refuse(new HttpStatus(code, 0, reason), "the backend refused the WebSocket upgrade with " + lines[0]);
            return;
        }
        Optional<String> accept = Optional.empty();
        boolean upgrade = false;
        String protocol = "";
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                refuse(ProxyModule.BAD_GATEWAY_FORWARDER, "malformed header from the backend: " + lines[i]);
                return;
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("sec-websocket-accept")) {
                accept = Optional.of(value);
            } else if (name.equals("upgrade")) {
                upgrade = value.equalsIgnoreCase("websocket");
            } else if (name.equals("sec-websocket-protocol")) {
                protocol = value;
            }
        }
        if (!upgrade || accept.isEmpty() || !accept.get().equals(expectedAccept())) {
            refuse(
                    ProxyModule.BAD_GATEWAY_FORWARDER,
                    "the backend's 101 is not a valid WebSocket upgrade (Upgrade or Sec-WebSocket-Accept)");
            return;
        }
        if (!protocol.isEmpty() && !offered(protocol)) {
            refuse(
                    ProxyModule.BAD_GATEWAY_FORWARDER,
                    "the backend chose the WebSocket subprotocol '" + protocol + "', which the client did not offer");
            return;
        }
        subprotocol = protocol;
        headParsed = true;
        stream.suspendReads();
        completionPosted = true;
        ctx.postCompletion(0);
    }

    /** Whether the client's {@code Sec-WebSocket-Protocol} offer holds {@code protocol}. */
    private boolean offered(String protocol) {
        for (String value : ctx.request().headers("Sec-WebSocket-Protocol")) {
            for (String token : value.split(",")) {
                if (token.strip().equals(protocol)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int indexOfHeadEnd(ByteBuffer b) {
        for (int i = b.position(); i + 3 < b.limit(); i++) {
            if (b.get(i) == '\r' && b.get(i + 1) == '\n' && b.get(i + 2) == '\r' && b.get(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private String expectedAccept() {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    // --- the client side ----------------------------------------------------------------------------

    private void acceptClient() {
        if (!subprotocol.isEmpty()) {
            ctx.response().setHeader("Sec-WebSocket-Protocol", subprotocol, true);
        }
        Optional<WebSocketContext> accepted = ctx.acceptWebSocket();
        if (accepted.isEmpty()) {
            refuse(HttpStatus.BAD_REQUEST, "not a valid WebSocket upgrade, or webSocket is disabled for this URL");
            return;
        }
        socket = accepted.get();
        if (backendClosed) {
            relayFrames();
            closeClient(1011, "the backend closed the connection");
            return;
        }
        stream.resumeReads();
        relayFrames();
        readClient();
    }

    private void readClient() {
        if (finished || clientClosed || readOutstanding || socket == null) {
            return;
        }
        readOutstanding = true;
        socket.readFragment(this);
    }

    @Override
    public void onFragment(ByteBuffer data, boolean utf8, boolean finalFragment) {
        readOutstanding = false;
        if (finished || backendClosed || closeSentToClient) {
            readClient(); // drained until the client's Close
            return;
        }
        int opcode = clientMessageOpen ? OP_CONTINUATION : (utf8 ? OP_TEXT : OP_BINARY);
        clientMessageOpen = !finalFragment;
        if (stream.write(maskedFrame(finalFragment, opcode, data))) {
            readClient();
        } else {
            waitingBackendWritable = true;
        }
    }

    @Override
    public void onClose(int status, String reason) {
        readOutstanding = false;
        clientClosed = true;
        if (!backendClosed && stream != null) {
            if (status != 1006) {
                ByteBuffer payload = closePayload(status == 1005 ? -1 : status, reason);
                stream.write(maskedFrame(true, OP_CLOSE, payload));
            }
            stream.close();
        }
        end();
    }

    /** Sends the client a Close (once) and reads on until its answer. */
    private void closeClient(int status, String reason) {
        if (clientClosed || socket == null) {
            end();
            return;
        }
        if (!closeSentToClient) {
            closeSentToClient = true;
            socket.sendConnectionClose(status, reason, error -> {
                if (error != null) {
                    socket.closeTcpConnection();
                    clientClosed = true;
                    end();
                }
            });
        }
        readClient();
    }

    // --- frames from the backend ---------------------------------------------------------------------

    private void relayFrames() {
        while (!finished && pending.remaining() >= 2) {
            int p = pending.position();
            int b0 = pending.get(p) & 0xFF;
            int b1 = pending.get(p + 1) & 0xFF;
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            boolean masked = (b1 & 0x80) != 0;
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                if (pending.remaining() < 4) {
                    return;
                }
                length = pending.getShort(p + 2) & 0xFFFF;
                header = 4;
            } else if (length == 127) {
                if (pending.remaining() < 10) {
                    return;
                }
                length = pending.getLong(p + 2);
                header = 10;
            }
            if (length < 0 || length > MAX_FRAME) {
                protocolError(1009, "a frame from the backend is too large");
                return;
            }
            int maskOffset = header;
            if (masked) {
                header += 4;
            }
            if (pending.remaining() < header + length) {
                return;
            }
            byte[] payload = new byte[(int) length];
            for (int i = 0; i < payload.length; i++) {
                byte b = pending.get(p + header + i);
                payload[i] = masked ? (byte) (b ^ pending.get(p + maskOffset + (i & 3))) : b;
            }
            pending.position(p + header + (int) length);
            frame(fin, opcode, ByteBuffer.wrap(payload));
        }
        if (pending.remaining() == 0) {
            pending = ByteBuffer.allocate(0);
        }
    }

    private void frame(boolean fin, int opcode, ByteBuffer payload) {
        switch (opcode) {
            case OP_TEXT, OP_BINARY, OP_CONTINUATION -> {
                if (opcode != OP_CONTINUATION) {
                    backendMessageText = opcode == OP_TEXT;
                }
                if (clientClosed || closeSentToClient) {
                    return;
                }
                writesToClient++;
                if (writesToClient == 1) {
                    stream.suspendReads();
                }
                socket.writeFragment(payload, backendMessageText, fin, error -> {
                    writesToClient--;
                    if (writesToClient == 0 && !finished && !backendClosed) {
                        stream.resumeReads();
                    }
                });
            }
            case OP_PING -> stream.write(maskedFrame(true, OP_PONG, payload));
            case OP_PONG -> {
                // an answer to nothing Weir sent; ignored
            }
            case OP_CLOSE -> {
                int status = payload.remaining() >= 2 ? payload.getShort(0) & 0xFFFF : 1000;
                String reason = payload.remaining() > 2
                        ? StandardCharsets.UTF_8
                                .decode(payload.position(2).slice())
                                .toString()
                        : "";
                payload.position(0);
                if (!backendClosed) {
                    stream.write(maskedFrame(true, OP_CLOSE, payload));
                    stream.close();
                    backendClosed = true;
                }
                closeClient(status == 1005 || status == 1006 || status == 1015 ? 1000 : status, reason);
            }
            default -> protocolError(1002, "the backend sent an unknown opcode " + opcode);
        }
    }

    private void protocolError(int status, String reason) {
        if (!backendClosed) {
            stream.write(maskedFrame(true, OP_CLOSE, closePayload(status, "")));
            stream.close();
            backendClosed = true;
        }
        pending = ByteBuffer.allocate(0);
        closeClient(status, reason);
    }

    private static ByteBuffer closePayload(int status, String reason) {
        if (status < 0) {
            return ByteBuffer.allocate(0);
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(2 + Math.min(text.length, 123));
        b.putShort((short) status).put(text, 0, Math.min(text.length, 123)).flip();
        return b;
    }

    /** A client-to-server frame (RFC 6455 section 5.3: masked with a fresh key). */
    private static ByteBuffer maskedFrame(boolean fin, int opcode, ByteBuffer payload) {
        int length = payload.remaining();
        int header = 2 + (length < 126 ? 0 : length <= 0xFFFF ? 2 : 8) + 4;
        ByteBuffer frame = ByteBuffer.allocate(header + length);
        frame.put((byte) ((fin ? 0x80 : 0) | opcode));
        if (length < 126) {
            frame.put((byte) (0x80 | length));
        } else if (length <= 0xFFFF) {
            frame.put((byte) (0x80 | 126)).putShort((short) length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(length);
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < length; i++) {
            frame.put((byte) (payload.get(payload.position() + i) ^ mask[i & 3]));
        }
        return frame.flip();
    }

    // --- the end ------------------------------------------------------------------------------------

    /** The request is being disposed of: closes the backend connection if it is still open. */
    void abandon() {
        if (stream != null && !backendClosed) {
            backendClosed = true;
            stream.close();
        }
        if (!finished) {
            finished = true;
            onEnd.run();
        }
    }

    /** Answers the client with an error before the upgrade and ends the request. */
    private void refuse(HttpStatus status, String description) {
        if (stream != null && !backendClosed) {
            backendClosed = true;
            stream.close();
        }
        HttpResponse response = ctx.response();
        if (!response.headersSent()) {
            response.clear();
            response.setStatus(status);
            response.setErrorDescription(description);
        }
        end();
    }

    private void end() {
        if (finished) {
            return;
        }
        finished = true;
        finalStatus = RequestNotificationStatus.CONTINUE;
        onEnd.run();
        if (!inNotification && !completionPosted) {
            ctx.indicateCompletion(finalStatus);
        }
    }
}
