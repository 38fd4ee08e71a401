package io.weir.modules.httplogging;

import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real Weir on loopback serving static files, with HttpLoggingModule (through
 * {@link TestLoggingRegistration}) writing into a folder of the test's; reads the log files back.
 */
final class LoggingSite implements AutoCloseable {

    final WeirTestServer server;
    final Path logs;
    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private LoggingSite(WeirTestServer server, Path logs) {
        this.server = server;
        this.logs = logs;
    }

    /**
     * Starts the server.
     *
     * @param root           the site's folder
     * @param logs           the logFile directory
     * @param logFile        extra attributes of the site's {@code <logFile>}, for example {@code period="Hourly"}
     * @param webServerExtra extra XML after the global {@code system.webServer} sections (locations go at the end)
     * @param locations      {@code <location>} elements
     * @return the running site
     */
    static LoggingSite start(Path root, Path logs, String logFile, String webServerExtra, String locations) {
        return start(root, logs, logFile, webServerExtra, locations, false);
    }

    /**
     * Starts the server, with HttpCacheModule (and so the kernel-style cache) before HttpLoggingModule
     * when {@code cached}.
     */
    static LoggingSite start(
            Path root, Path logs, String logFile, String webServerExtra, String locations, boolean cached) {
        String xml = """
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost">
                      <section name="sites" />
                      <section name="log" />
                    </sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" />
                      <section name="modules" />
                      <section name="handlers" />
                      <section name="staticContent" />
                      <section name="httpLogging" />
                      <section name="caching" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost>
                    <sites>
                      <site name="Logged" id="7">
                        <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                        <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                        <logFile %LOGFILE% />
                      </site>
                      <siteDefaults><logFile directory="%LOGS%" /></siteDefaults>
                    </sites>
                    <log centralLogFileMode="Site" />
                  </system.applicationHost>
                  <system.webServer>
                    <globalModules>
                      %CACHE_GLOBAL%
                      <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
                      <add name="HttpLoggingModule" type="io.weir.modules.httplogging.TestLoggingRegistration" />
                    </globalModules>
                    <modules>
                      %CACHE_MODULE%
                      <add name="StaticFileModule" />
                      <add name="HttpLoggingModule" />
                    </modules>
                    <handlers>
                      <add name="StaticFile" path="*" verb="*" modules="StaticFileModule" resourceType="Either" requireAccess="Read" />
                    </handlers>
                    <staticContent>
                      <mimeMap fileExtension=".txt" mimeType="text/plain" />
                    </staticContent>
                    %EXTRA%
                  </system.webServer>
                  %LOCATIONS%
                </configuration>
                """.replace(
                        "%CACHE_GLOBAL%",
                        cached
                                ? "<add name=\"HttpCacheModule\" type=\"io.weir.modules.caching.HttpCacheModuleRegistration\" />"
                                : "")
                .replace("%CACHE_MODULE%", cached ? "<add name=\"HttpCacheModule\" />" : "")
                .replace("%LOGFILE%", logFile)
                .replace("%EXTRA%", webServerExtra)
                .replace("%LOCATIONS%", locations);
        WeirTestServer server = WeirTestServer.start(
                xml,
                Map.of(
                        "ROOT",
                        root.toAbsolutePath().toString(),
                        "LOGS",
                        logs.toAbsolutePath().toString()));
        return new LoggingSite(server, logs);
    }

    URI uri(String pathAndQuery) {
        return server.uri(pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            b.headers(headers);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server gracefully (drain, then terminate: the log is written and closed). */
    @Override
    public void close() {
        server.close();
    }
}
