package io.weir.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.http.DataChunk;
import io.weir.config.ApplicationHostConfig;
import io.weir.core.ListenAddress;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.ResponseHead;
import io.weir.server.netty.TransportSettings;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop over HTTP/2: the connection gets GOAWAY(NO_ERROR) naming the last stream the
 * client opened, the stream in flight still gets its whole response, and the stop ends once it
 * has been sent.
 */
class Http2DrainTest {

    @TempDir
    Path dir;

    private final BlockingQueue<Exchange> held = new LinkedBlockingQueue<>();

    private void dispatch(Exchange exchange) {
        if (exchange.rawUri().startsWith("/hold")) {
            held.add(exchange);
            return;
        }
        byte[] body = "quick\n".getBytes(StandardCharsets.UTF_8);
        exchange.write(
                new ResponseHead(200, "OK", List.of(), body.length, false), List.of(DataChunk.ofBytes(body)), true);
    }

    @Test
    void gracefulStopSendsGoAwayAndLetsTheStreamInFlightFinish() throws Exception {
        ApplicationHostConfig config = ApplicationHostConfig.parse(
                "test", new ByteArrayInputStream("""
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost">
                      <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites weirH2c="true" /></system.applicationHost>
                </configuration>
                """.getBytes(StandardCharsets.UTF_8)), dir, Map.of());
        WeirServer server = WeirServer.startTransport(
                this::dispatch,
                config,
                List.of(new ListenAddress("http", "127.0.0.1", 0)),
                TransportSettings.defaults());
        int port = server.boundAddresses().get(0).getPort();
        try (RawH2 client = new RawH2(port)) {
            assertThat(client.get(1, "/quick")).isEqualTo("200");
            client.request(3, "GET", "/hold", true);
            client.flush();
            Exchange inFlight = held.poll(10, TimeUnit.SECONDS);
            assertThat(inFlight).isNotNull();

            CompletableFuture<Void> stopped = CompletableFuture.runAsync(() -> server.stop(Duration.ofSeconds(20)));
            RawH2.Frame goAway = client.await(RawH2.GOAWAY, 0, 10_000);
            assertThat(goAway).isNotNull().isNotSameAs(RawH2.CLOSED);
            assertThat(ByteBuffer.wrap(goAway.payload()).getInt() & 0x7fffffff)
                    .as("last stream id")
                    .isEqualTo(3);
            assertThat(goAway.errorCode()).as("NO_ERROR").isZero();
            assertThat(stopped).as("the stop waits for the stream in flight").isNotDone();

            byte[] body = "finished after GOAWAY\n".getBytes(StandardCharsets.UTF_8);
            inFlight.write(
                    new ResponseHead(200, "OK", List.of(), body.length, false), List.of(DataChunk.ofBytes(body)), true);
            RawH2.Frame headers = client.await(RawH2.HEADERS, 3, 10_000);
            assertThat(headers).isNotNull().isNotSameAs(RawH2.CLOSED);
            assertThat(client.status(headers)).isEqualTo("200");
            RawH2.Frame data = client.await(RawH2.DATA, 3, 10_000);
            assertThat(new String(data.payload(), StandardCharsets.UTF_8)).isEqualTo("finished after GOAWAY\n");
            stopped.get(15, TimeUnit.SECONDS);
            assertThat(client.awaitClosed(10_000)).isTrue();
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }
}
