package io.weir.it.conformance;

import io.weir.examples.echo.EchoModuleRegistration;
import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server the conformance suite talks to: Weir's embedded default configuration (static files,
 * the built-in modules) serving a folder, plus the EchoModule example mapped for POST and PUT on
 * {@code *.echo} URLs so that requests with bodies have a handler that reads them; everywhere else a
 * body goes to the static file handler, which does not read it. Extra {@code system.webServer}
 * elements can be added.
 */
final class ConformanceServer {

    private ConformanceServer() {}

    static WeirTestServer start(Path root, String webServerExtra) {
        String xml;
        try (InputStream in = ConformanceServer.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        xml = once(
                xml,
                "    </globalModules>",
                "      <add name=\"EchoModule\" type=\"" + EchoModuleRegistration.class.getName()
                        + "\" />\n    </globalModules>");
        xml = once(xml, "      </modules>", "        <add name=\"EchoModule\" />\n      </modules>");
        xml = once(
                xml,
                "        <add name=\"StaticFile\"",
                "        <add name=\"Echo\" path=\"*.echo\" verb=\"POST,PUT\" modules=\"EchoModule\""
                        + " resourceType=\"Unspecified\" requireAccess=\"None\" />\n        <add name=\"StaticFile\"");
        xml = once(xml, "    </handlers>", "    </handlers>\n" + webServerExtra);
        return WeirTestServer.start(xml, Map.of("WEIR_SITE_ROOT", root.toString()));
    }

    private static String once(String text, String target, String replacement) {
        int at = text.indexOf(target);
        if (at < 0 || text.indexOf(target, at + 1) >= 0) {
            throw new IllegalStateException(
                    "the embedded default configuration must contain '" + target + "' exactly once");
        }
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }

    /** What the server did with some bytes: its responses in order, and whether it closed afterwards. */
    record Outcome(List<RawHttp.Response> responses, boolean closed) {
        int status() {
            return responses.isEmpty() ? -1 : responses.get(0).status();
        }

        List<Integer> statuses() {
            return responses.stream().map(RawHttp.Response::status).toList();
        }

        @Override
        public String toString() {
            return statuses() + (closed ? " then closed" : " connection open");
        }
    }

    /**
     * Sends bytes on a new connection, reads the responses it expects, then checks whether the
     * server closes within a second.
     */
    static Outcome exchange(int port, byte[] request, int expectedResponses) {
        try (RawHttp http = RawHttp.connect(port)) {
            http.timeout(Duration.ofSeconds(10));
            try {
                http.send(request);
            } catch (UncheckedIOException closedWhileSending) {
                // the server may refuse before everything was sent
            }
            List<RawHttp.Response> responses = new ArrayList<>();
            for (int i = 0; i < expectedResponses; i++) {
                try {
                    RawHttp.Response r = http.readResponse();
                    responses.add(r);
                    if (r.status() == 100) {
                        i--;
                    }
                } catch (UncheckedIOException closed) {
                    return new Outcome(responses, true);
                }
            }
            http.timeout(Duration.ofSeconds(1));
            return new Outcome(responses, http.awaitClose());
        }
    }

    static Outcome exchange(int port, String request, int expectedResponses) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), expectedResponses);
    }
}
