package io.weir.modules.fastcgi;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weir.testkit.WeirTestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real Weir on 127.0.0.1 with the embedded default configuration whose {@code <fastCgi>} section
 * and PHP handler mappings a test chooses, and an HTTP client for it.
 */
final class PhpSite implements AutoCloseable {

    /** Debian's php-cgi. */
    static final String PHP_CGI = "/usr/bin/php-cgi";

    final WeirTestServer server;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private PhpSite(WeirTestServer server) {
        this.server = server;
    }

    /**
     * Skips the test when a program is missing, except on CI ({@code CI=true}), where it fails:
     * {@code .ci/run} installs it.
     *
     * @param program the executable's path
     * @param apt     the Debian package that provides it
     */
    static void require(String program, String apt) {
        boolean present = Files.isExecutable(Path.of(program));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(program + " is missing on CI: .ci/run must install " + apt);
        }
        assumeTrue(present, program + " is not installed (apt-get install " + apt + ")");
    }

    /**
     * Starts the server.
     *
     * @param root         the site's root
     * @param applications the {@code <application>} elements of {@code <fastCgi>}
     * @param handlers     {@code <add>} elements put in front of the stock handler mappings
     * @return the running site
     * @throws Exception if it does not start
     */
    static PhpSite start(Path root, String applications, String handlers) throws Exception {
        return start(root, applications, handlers, UnaryOperator.identity());
    }

    /**
     * Starts the server with a further change to its configuration text.
     *
     * @param root         the site's root
     * @param applications the {@code <application>} elements of {@code <fastCgi>}
     * @param handlers     {@code <add>} elements put in front of the stock handler mappings
     * @param edit         changes the configuration text last (bindings, locations)
     * @return the running site
     * @throws Exception if it does not start
     */
    static PhpSite start(Path root, String applications, String handlers, UnaryOperator<String> edit) throws Exception {
        String xml;
        try (InputStream in = PhpSite.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int from = xml.indexOf("<fastCgi>");
        int to = xml.indexOf("</fastCgi>");
        xml = xml.substring(0, from) + "<fastCgi>\n" + applications + "\n" + xml.substring(to);
        xml = xml.replace(
                "<handlers accessPolicy=\"Read, Script\">", "<handlers accessPolicy=\"Read, Script\">\n" + handlers);
        xml = xml.replace(
                "<add value=\"Default.htm\" />", "<add value=\"index.php\" />\n<add value=\"Default.htm\" />");
        xml = xml.replace(
                "<siteDefaults>\n        <logFile logFormat=\"W3C\" enabled=\"true\"",
                "<siteDefaults>\n        <logFile logFormat=\"W3C\" enabled=\"false\"");
        xml = edit.apply(xml);
        return new PhpSite(WeirTestServer.start(
                xml, Map.of("WEIR_SITE_ROOT", root.toAbsolutePath().toString())));
    }

    /**
     * A PHP handler mapping.
     *
     * @param name            its name
     * @param path            its path pattern
     * @param scriptProcessor its script processor
     * @return the {@code <add>} element
     */
    static String handler(String name, String path, String scriptProcessor) {
        return handler(name, path, scriptProcessor, false);
    }

    /**
     * A PHP handler mapping, with or without {@code allowPathInfo}.
     *
     * @param name            its name
     * @param path            its path pattern
     * @param scriptProcessor its script processor
     * @param allowPathInfo   its {@code allowPathInfo}
     * @return the {@code <add>} element
     */
    static String handler(String name, String path, String scriptProcessor, boolean allowPathInfo) {
        return "<add name=\"" + name + "\" path=\"" + path
                + "\" verb=\"GET,HEAD,POST\" modules=\"FastCgiModule\" scriptProcessor=\"" + scriptProcessor
                + "\" resourceType=\"File\" requireAccess=\"Script\" allowPathInfo=\"" + allowPathInfo + "\" />";
    }

    URI uri(String pathAndQuery) {
        return server.uri(pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        server.close();
    }
}
