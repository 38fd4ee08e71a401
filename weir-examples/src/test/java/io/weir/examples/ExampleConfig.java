package io.weir.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the applicationHost.config text of a test: Weir's embedded default configuration (the
 * built-in modules, the {@code StaticFile} handler mapping, the MIME map; "Default Web Site" serving
 * {@code %WEIR_SITE_ROOT%}), bound to a free loopback port, plus the example modules a test adds.
 * That is what a user of the examples does: copy the default, add a module.
 *
 * <pre>{@code
 * String xml = new ExampleConfig()
 *         .globalModule("HelloWorldModule", "image=\"" + jar + "\"")
 *         .moduleAt("Default Web Site/hello", "HelloWorldModule")
 *         .toXml();
 * }</pre>
 */
public final class ExampleConfig {

    /** Where weir-config keeps the embedded default (on the tests' class path through the testkit). */
    private static final String DEFAULT_RESOURCE = "/io/weir/config/applicationHost.config";

    private final List<String> globalModules = new ArrayList<>();
    private final List<String> rootModules = new ArrayList<>();
    private final List<String> locations = new ArrayList<>();
    private final List<String> handlers = new ArrayList<>();

    /** Starts with only the built-in modules. */
    public ExampleConfig() {}

    /**
     * Adds a {@code <globalModules>} entry.
     *
     * @param name       the module's name
     * @param attributes the other attributes, already quoted: {@code image="..."} and/or {@code type="..."}
     * @return this
     */
    public ExampleConfig globalModule(String name, String attributes) {
        globalModules.add("      <add name=\"" + name + "\" " + attributes + " />\n");
        return this;
    }

    /**
     * Enables a request-level module for the whole site, after the built-in ones.
     *
     * @param name the module's name, as in its {@code <globalModules>} entry
     * @return this
     */
    public ExampleConfig module(String name) {
        rootModules.add("        <add name=\"" + name + "\" />\n");
        return this;
    }

    /**
     * Enables a request-level module under one location only.
     *
     * @param locationPath the location, for example {@code Default Web Site/hello}
     * @param name         the module's name
     * @return this
     */
    public ExampleConfig moduleAt(String locationPath, String name) {
        locations.add("""
                  <location path="%s">
                    <system.webServer>
                      <modules>
                        <add name="%s" />
                      </modules>
                    </system.webServer>
                  </location>
                """.formatted(locationPath, name));
        return this;
    }

    /**
     * Adds a handler mapping before the built-in {@code StaticFile} one (so it is matched first).
     *
     * @param name       the mapping's name
     * @param verb       the verbs, for example {@code POST,PUT}
     * @param moduleName the module that handles the matched requests
     * @return this
     */
    public ExampleConfig handler(String name, String verb, String moduleName) {
        handlers.add(
                "        <add name=\"%s\" path=\"*\" verb=\"%s\" modules=\"%s\" resourceType=\"Unspecified\" requireAccess=\"None\" />\n"
                        .formatted(name, verb, moduleName));
        return this;
    }

    /**
     * Returns the configuration text.
     *
     * @return the XML
     * @throws IllegalStateException if the embedded default no longer has the shape this class edits
     */
    public String toXml() {
        String xml = embeddedDefault();
        xml = replaceOnce(xml, "bindingInformation=\"*:8080:\"", "bindingInformation=\"127.0.0.1:0:\"");
        xml = replaceOnce(xml, "    </globalModules>", String.join("", globalModules) + "    </globalModules>");
        xml = replaceOnce(xml, "      </modules>", String.join("", rootModules) + "      </modules>");
        xml = replaceOnce(
                xml,
                "        <add name=\"StaticFile\"",
                String.join("", handlers) + "        <add name=\"StaticFile\"");
        xml = replaceOnce(xml, "</configuration>", String.join("", locations) + "</configuration>");
        return xml;
    }

    private static String embeddedDefault() {
        try (InputStream in = ExampleConfig.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_RESOURCE + " is not on the class path (weir-config)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String replaceOnce(String text, String target, String replacement) {
        int at = text.indexOf(target);
        if (at < 0 || text.indexOf(target, at + 1) >= 0) {
            throw new IllegalStateException("the embedded default configuration must contain '" + target
                    + "' exactly once; update ExampleConfig");
        }
        return text.substring(0, at) + replacement + text.substring(at + target.length());
    }
}
