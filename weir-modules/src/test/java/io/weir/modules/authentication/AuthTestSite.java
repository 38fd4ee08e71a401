package io.weir.modules.authentication;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Weir over loopback for the authentication and authorization tests: the embedded default
 * configuration written to a file in a folder of its own (so that relative {@code weirUserFile} paths
 * resolve against that folder, as for an administrator's file), plus {@code <location>} levels and
 * extra text before {@code </configuration>}.
 */
public final class AuthTestSite implements AutoCloseable {

    private final WeirTestServer server;

    private AuthTestSite(WeirTestServer server) {
        this.server = server;
    }

    /**
     * Starts a server.
     *
     * @param configFolder where the configuration file is written
     * @param siteRoot     the default site's root
     * @param variables    {@code %NAME%} values for the file
     * @param locations    URL path below the site ("" for the site), then the inner XML of its
     *                     {@code <system.webServer>}, in pairs
     * @return the running site
     * @throws IOException if the file cannot be written
     */
    public static AuthTestSite start(
            Path configFolder, Path siteRoot, Map<String, String> variables, String... locations) throws IOException {
        return startWithGlobalModules(configFolder, siteRoot, variables, "", locations);
    }

    /**
     * Starts a server with extra {@code <globalModules>} entries (test modules on the class path).
     *
     * @param configFolder  where the configuration file is written
     * @param siteRoot      the default site's root
     * @param variables     {@code %NAME%} values for the file
     * @param globalModules XML inserted at the end of {@code <globalModules>}
     * @param locations     as for {@link #start}
     * @return the running site
     * @throws IOException if the file cannot be written
     */
    public static AuthTestSite startWithGlobalModules(
            Path configFolder, Path siteRoot, Map<String, String> variables, String globalModules, String... locations)
            throws IOException {
        String embedded;
        try (InputStream in = AuthTestSite.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            if (in == null) {
                throw new IllegalStateException("the embedded default applicationHost.config is not on the class path");
            }
            embedded = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder levels = new StringBuilder();
        for (int k = 0; k + 1 < locations.length; k += 2) {
            String path = locations[k].isEmpty() ? "Default Web Site" : "Default Web Site/" + locations[k];
            levels.append("  <location path=\"")
                    .append(path)
                    .append("\">\n    <system.webServer>\n      ")
                    .append(locations[k + 1])
                    .append("\n    </system.webServer>\n  </location>\n");
        }
        embedded = embedded.replace("</globalModules>", globalModules + "</globalModules>");
        int end = embedded.lastIndexOf("</configuration>");
        String xml = embedded.substring(0, end) + levels + embedded.substring(end);
        Files.createDirectories(configFolder);
        Path file = Files.writeString(configFolder.resolve("applicationHost.config"), xml, StandardCharsets.UTF_8);
        Map<String, String> all = new HashMap<>(variables);
        all.put("WEIR_SITE_ROOT", siteRoot.toAbsolutePath().normalize().toString());
        return new AuthTestSite(WeirTestServer.start(file, all));
    }

    /**
     * Returns the port.
     *
     * @return the listening port
     */
    public int port() {
        return server.port();
    }

    /**
     * Sends a GET over a fresh connection.
     *
     * @param target      the request target
     * @param headerLines extra header lines, each {@code Name: value}
     * @return the response
     */
    public RawHttp.Response get(String target, String... headerLines) {
        return send("GET", target, headerLines);
    }

    /**
     * Sends a request without a body over a fresh connection.
     *
     * @param method      the verb
     * @param target      the request target
     * @param headerLines extra header lines, each {@code Name: value}
     * @return the response
     */
    public RawHttp.Response send(String method, String target, String... headerLines) {
        StringBuilder request = new StringBuilder(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port())
                .append("\r\nConnection: close\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        if (method.equals("POST") || method.equals("PUT")) {
            request.append("Content-Length: 0\r\n");
        }
        return RawHttp.exchange(port(), request.append("\r\n").toString());
    }

    /**
     * Builds a Basic {@code Authorization} header line.
     *
     * @param user     the user name
     * @param password the password
     * @return {@code Authorization: Basic …} with UTF-8 user-pass
     */
    public static String basic(String user, String password) {
        return "Authorization: Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Stops the server.
     */
    @Override
    public void close() {
        server.close();
    }
}
