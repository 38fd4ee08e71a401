package io.weir.modules.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HopByHopFieldsTest {

    @Test
    void hopByHopFieldsAreRecognisedInAnyCase() {
        assertThat(HopByHopFields.inRequest("Transfer-Encoding")).isTrue();
        assertThat(HopByHopFields.inRequest("KEEP-ALIVE")).isTrue();
        assertThat(HopByHopFields.inRequest("host")).isTrue();
        assertThat(HopByHopFields.inRequest("Accept")).isFalse();
        assertThat(HopByHopFields.inRequest("Hosts")).isFalse();
        assertThat(HopByHopFields.inResponse("Content-Length")).isTrue();
        assertThat(HopByHopFields.inResponse("Trailer")).isTrue();
        // the client's Host and Expect are the proxy's business; the backend's response has neither
        assertThat(HopByHopFields.inResponse("Host")).isFalse();
        assertThat(HopByHopFields.inResponse("Content-Type")).isFalse();
    }

    @Test
    void theFieldsConnectionNamesAreHopByHopToo() {
        Set<String> options = HopByHopFields.connectionOptions(List.of("keep-alive, X-Hop", " Upgrade"));
        assertThat(options).containsExactlyInAnyOrder("keep-alive", "x-hop", "upgrade");
        assertThat(HopByHopFields.named(options, "x-HOP")).isTrue();
        assertThat(HopByHopFields.named(options, "X-Other")).isFalse();
        assertThat(HopByHopFields.connectionOptions(List.of())).isEmpty();
        assertThat(HopByHopFields.named(Set.of(), "X-Hop")).isFalse();
    }

    @Test
    void theWebSocketTunnelsOwnFieldsAreRecognisedInAnyCase() {
        assertThat(WebSocketTunnel.ownHeader("Sec-WebSocket-Key")).isTrue();
        assertThat(WebSocketTunnel.ownHeader("sec-websocket-accept")).isTrue();
        assertThat(WebSocketTunnel.ownHeader("Sec-WebSocket-Protocol")).isFalse();
        assertThat(WebSocketTunnel.ownHeader("Sec")).isFalse();
    }
}
