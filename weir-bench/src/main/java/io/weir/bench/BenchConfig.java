package io.weir.bench;

import io.weir.config.ApplicationHostConfig;
import io.weir.examples.helloworld.HelloWorldModuleRegistration;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * The configuration the micro-benchmarks run: Weir's embedded default (port 0) with the Hello World
 * example enabled under {@code /hello}, as {@code candidate.sh} serves it to wrk, plus
 * {@value #CONTINUE_MODULES} modules that only return CONTINUE, enabled under {@code /continue}.
 */
final class BenchConfig {

    /** How many CONTINUE modules run under {@code /continue}. */
    static final int CONTINUE_MODULES = 32;

    private BenchConfig() {}

    /**
     * Parses the configuration for a site folder.
     *
     * @param siteRoot the site's root folder
     * @return the configuration
     */
    static ApplicationHostConfig parse(Path siteRoot) {
        return ApplicationHostConfig.parse(
                "bench applicationHost.config",
                new ByteArrayInputStream(xml().getBytes(StandardCharsets.UTF_8)),
                siteRoot,
                Map.of("WEIR_SITE_ROOT", siteRoot.toString()));
    }

    /**
     * Parses the configuration with the reverse proxy on and every URL mapped to a backend (the
     * direct configuration of {@code weir-bench/proxy-peers.sh}).
     *
     * @param siteRoot the site's root folder
     * @param backend  the backend's base URL, {@code http://host:port}
     * @return the configuration
     */
    static ApplicationHostConfig parseProxy(Path siteRoot, String backend) {
        String hello = """
                  <location path="Default Web Site/hello">
                    <system.webServer>
                      <modules>
                        <add name="HelloWorldModule" />
                      </modules>
                    </system.webServer>
                  </location>
                """;
        String xml = xml();
        if (!xml.contains(hello)) {
            throw new IllegalStateException("the Hello World location changed shape");
        }
        // /hello goes to the backend, not to the Hello World module
        xml = xml.replace(hello, "").replace("<proxy enabled=\"false\" />", "<proxy enabled=\"true\" />");
        String staticFile = "<add name=\"StaticFile\" path=\"*\"";
        if (!xml.contains(staticFile) || !xml.contains("<proxy enabled=\"true\" />")) {
            throw new IllegalStateException("the embedded applicationHost.config changed shape");
        }
        xml = xml.replace(
                staticFile,
                "<add name=\"Backend\" path=\"*\" verb=\"*\" modules=\"ApplicationRequestRouting\" scriptProcessor=\""
                        + backend + "\" resourceType=\"Unspecified\" requireAccess=\"None\" />\n        "
                        + staticFile);
        return ApplicationHostConfig.parse(
                "bench proxy applicationHost.config",
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                siteRoot,
                Map.of("WEIR_SITE_ROOT", siteRoot.toString()));
    }

    private static String xml() {
        String xml;
        try (InputStream in = ApplicationHostConfig.class.getResourceAsStream("applicationHost.config")) {
            if (in == null) {
                throw new IllegalStateException("weir-config's embedded applicationHost.config is missing");
            }
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder global = new StringBuilder();
        StringBuilder enabled = new StringBuilder();
        for (int i = 0; i < CONTINUE_MODULES; i++) {
            global.append("  <add name=\"Continue")
                    .append(i)
                    .append("\" type=\"")
                    .append(ContinueModuleRegistration.class.getName())
                    .append("\" />\n");
            enabled.append("        <add name=\"Continue").append(i).append("\" />\n");
        }
        return xml.replace("bindingInformation=\"*:8080:\"", "bindingInformation=\"127.0.0.1:0:\"")
                .replace(
                        "</globalModules>",
                        "  <add name=\"HelloWorldModule\" type=\"" + HelloWorldModuleRegistration.class.getName()
                                + "\" />\n" + global + "    </globalModules>")
                .replace("</configuration>", """
                          <location path="Default Web Site/hello">
                            <system.webServer>
                              <modules>
                                <add name="HelloWorldModule" />
                              </modules>
                            </system.webServer>
                          </location>
                          <location path="Default Web Site/continue">
                            <system.webServer>
                              <modules>
                        %s        <add name="HelloWorldModule" />
                              </modules>
                            </system.webServer>
                          </location>
                        </configuration>""".formatted(enabled));
    }
}
