package io.weir.testkit;

import io.weir.api.ModuleRegistration;
import io.weir.config.ApplicationHostConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A small applicationHost.config for testing modules: one site, {@value #SITE}, with one root
 * application, one http binding on {@code 127.0.0.1}, the modules under test in
 * {@code <globalModules>} and enabled in {@code <modules>} in the order added, any configuration
 * sections they read, and a handler table whose last entry, {@value #CATCH_ALL_HANDLER}, maps every
 * path and verb to all of the modules (only those that registered EXECUTE_REQUEST_HANDLER run
 * there). The same object starts the in-memory {@link PipelineHarness} and the loopback
 * {@link WeirTestServer}, so one module is tested both ways with the same configuration.
 *
 * <pre>{@code
 * WeirTestConfig config = WeirTestConfig.create()
 *         .module("GreetingModule", GreetingModuleRegistration.class)
 *         .section("system.webServer/greeting", "<greeting text=\"hi\" />");
 * try (PipelineHarness weir = PipelineHarness.start(config)) { ... }
 * try (WeirTestServer server = WeirTestServer.start(config)) { ... }
 * }</pre>
 *
 * <p>No built-in module is loaded (weir-testkit does not depend on weir-modules); for a test with
 * the static-file handler and the rest, start from a full configuration instead. Not thread-safe;
 * build it, then start servers from it.
 */
public final class WeirTestConfig {

    /** The name of the single site. */
    public static final String SITE = "Default Web Site";

    /** The name of the handler mapping that sends every path and verb to the modules under test. */
    public static final String CATCH_ALL_HANDLER = "ModulesUnderTest";

    private static final String ROOT_VARIABLE = "WEIR_SITE_ROOT";

    private final List<String> globalModules = new ArrayList<>();
    private final List<String> enabled = new ArrayList<>();
    private final Map<String, ModuleRegistration> instances = new LinkedHashMap<>();
    private final List<String> handlers = new ArrayList<>();
    private final Map<String, List<String>> sections = new LinkedHashMap<>();
    private final Map<String, String> variables = new LinkedHashMap<>();
    private Path siteRoot = Path.of("").toAbsolutePath();
    private final List<String> siteElements = new ArrayList<>();

    private WeirTestConfig() {}

    /** @return an empty configuration: the site and no module */
    public static WeirTestConfig create() {
        return new WeirTestConfig();
    }

    /**
     * Adds a module whose registration class is on the test's class path ({@code type=}); it is
     * instantiated with its public no-argument constructor.
     *
     * @param name         the module's name, as {@code <globalModules>} and {@code <modules>} name it
     * @param registration the registration class
     * @return this
     */
    public WeirTestConfig module(String name, Class<? extends ModuleRegistration> registration) {
        Objects.requireNonNull(registration, "registration");
        return add(name, "type=\"" + attr(registration.getName()) + "\"");
    }

    /**
     * Adds a module given as a registration instance, for example a lambda; it is registered once per
     * server started from this configuration, on the starting thread. The server reports its origin
     * as {@code io.weir.testkit.InstanceModuleRegistration}.
     *
     * @param name         the module's name
     * @param registration the registration
     * @return this
     */
    public WeirTestConfig module(String name, ModuleRegistration registration) {
        Objects.requireNonNull(registration, "registration");
        add(name, "type=\"" + InstanceModuleRegistration.class.getName() + "\"");
        instances.put(name, registration);
        return this;
    }

    /**
     * Adds a module from a module JAR ({@code image=}), loaded in a class loader of its own that sees
     * only {@code io.weir.api} of the server, as {@code weir serve} loads it.
     *
     * @param name the module's name
     * @param jar  the module JAR (its {@code META-INF/services/io.weir.api.ModuleRegistration} names
     *             one registration)
     * @return this
     */
    public WeirTestConfig moduleImage(String name, Path jar) {
        return add(name, "image=\"" + attr(jar.toAbsolutePath().normalize().toString()) + "\"");
    }

    private WeirTestConfig add(String name, String origin) {
        Objects.requireNonNull(name, "name");
        if (enabled.contains(name)) {
            throw new IllegalArgumentException("module '" + name + "' is already added");
        }
        globalModules.add("<add name=\"" + attr(name) + "\" " + origin + " />");
        enabled.add(name);
        return this;
    }

    /**
     * Adds a handler mapping ahead of {@value #CATCH_ALL_HANDLER}; mappings are tried in the order
     * added, the first whose path and verb match wins (IIS's rule). It maps without touching the
     * disk ({@code resourceType="Unspecified"}, {@code requireAccess="None"}).
     *
     * @param name    the mapping's name
     * @param path    the path pattern, for example {@code "*.greet"} or {@code "/api/*"}
     * @param verb    the verbs, for example {@code "GET,HEAD"} or {@code "*"}
     * @param modules the modules that run in EXECUTE_REQUEST_HANDLER, comma-separated, in order
     * @return this
     */
    public WeirTestConfig handler(String name, String path, String verb, String modules) {
        return handler(name, path, verb, modules, false);
    }

    /**
     * Adds a handler mapping as {@link #handler(String, String, String, String)} does, with its
     * {@code allowPathInfo}: when true, a file-name pattern such as {@code "*.greet"} also matches
     * {@code /a.greet/more}, whose path information is {@code /more}.
     *
     * @param name          the mapping's name
     * @param path          the path pattern
     * @param verb          the verbs
     * @param modules       the modules that run in EXECUTE_REQUEST_HANDLER, comma-separated, in order
     * @param allowPathInfo the mapping's {@code allowPathInfo}
     * @return this
     */
    public WeirTestConfig handler(String name, String path, String verb, String modules, boolean allowPathInfo) {
        handlers.add("<add name=\"" + attr(name) + "\" path=\"" + attr(path) + "\" verb=\"" + attr(verb)
                + "\" modules=\"" + attr(modules) + "\" resourceType=\"Unspecified\" requireAccess=\"None\""
                + " allowPathInfo=\"" + allowPathInfo + "\" />");
        return this;
    }

    /**
     * Adds a configuration section the modules read, declared in {@code <configSections>} (with
     * IIS's defaults: {@code overrideModeDefault="Allow"}) and written at server level. A section of
     * the module's own is merged and readable through {@code HttpContext.config} when its schema
     * file is on the class path ({@code META-INF/weir/schema/*.xml}, as the module's JAR ships it);
     * without one it is listed as unsupported and reads as empty, see docs/configuration.md.
     *
     * @param sectionPath the section's full name: {@code "system.webServer/greeting"}, or with one
     *                    section group more, {@code "system.webServer/security/greeting"}
     * @param elementXml  the section element itself, for example {@code "<greeting text=\"hi\" />"}
     * @return this
     * @throws IllegalArgumentException when the path is not under {@code system.webServer/} or is one
     *                                  of the sections this class writes itself
     */
    public WeirTestConfig section(String sectionPath, String elementXml) {
        String prefix = "system.webServer/";
        if (!sectionPath.startsWith(prefix) || sectionPath.length() == prefix.length()) {
            throw new IllegalArgumentException("not a system.webServer section: " + sectionPath);
        }
        String relative = sectionPath.substring(prefix.length());
        if (List.of("globalModules", "modules", "handlers").contains(relative)) {
            throw new IllegalArgumentException(sectionPath + " is written by WeirTestConfig itself");
        }
        if (relative.split("/").length > 2) {
            throw new IllegalArgumentException("at most one section group under system.webServer: " + sectionPath);
        }
        sections.computeIfAbsent(relative, k -> new ArrayList<>()).add(elementXml);
        return this;
    }

    /**
     * Sets the folder the site serves ({@code %WEIR_SITE_ROOT%}); the default is the working
     * directory. Only modules that map URLs to files care.
     *
     * @param root the folder
     * @return this
     */
    public WeirTestConfig siteRoot(Path root) {
        this.siteRoot = root.toAbsolutePath().normalize();
        return this;
    }

    /**
     * Adds a child element to the site's {@code <site>} element, before its bindings; for example
     * {@code "<limits connectionTimeout=\"00:00:01\" />"}.
     *
     * @param elementXml the element, as applicationHost.config text
     * @return this
     */
    public WeirTestConfig siteElement(String elementXml) {
        siteElements.add(elementXml);
        return this;
    }

    /**
     * Defines {@code %NAME%} for the configuration text (ahead of the environment).
     *
     * @param name  the variable
     * @param value its value
     * @return this
     */
    public WeirTestConfig variable(String name, String value) {
        variables.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** @return the modules given as instances, by name (read by the servers started from this) */
    Map<String, ModuleRegistration> instances() {
        return Map.copyOf(instances);
    }

    /** @return the {@code %NAME%} values: the site root and those given with {@link #variable} */
    public Map<String, String> variables() {
        Map<String, String> all = new LinkedHashMap<>(variables);
        all.putIfAbsent(ROOT_VARIABLE, siteRoot.toString());
        return all;
    }

    /**
     * Parses the configuration (what the servers started from this do).
     *
     * @return the configuration snapshot
     * @throws io.weir.api.config.ConfigException when a section's XML is refused
     */
    public ApplicationHostConfig load() {
        return ApplicationHostConfig.parse(
                "WeirTestConfig",
                new ByteArrayInputStream(toXml().getBytes(StandardCharsets.UTF_8)),
                siteRoot,
                variables());
    }

    /**
     * Writes the configuration as applicationHost.config text, with {@code %WEIR_SITE_ROOT%} for
     * the site's folder; useful to see what a test runs, or to save it for {@code weir serve}.
     *
     * @return the XML
     */
    public String toXml() {
        StringBuilder declared = new StringBuilder();
        StringBuilder written = new StringBuilder();
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : sections.entrySet()) {
            String[] parts = e.getKey().split("/");
            if (parts.length == 1) {
                declared.append("      <section name=\"").append(attr(parts[0])).append("\" />\n");
                e.getValue().forEach(x -> written.append("    ").append(x).append('\n'));
            } else {
                grouped.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
            }
        }
        for (Map.Entry<String, List<String>> g : grouped.entrySet()) {
            declared.append("      <sectionGroup name=\"")
                    .append(attr(g.getKey()))
                    .append("\">\n");
            written.append("    <").append(g.getKey()).append(">\n");
            for (String section : g.getValue()) {
                declared.append("        <section name=\"")
                        .append(attr(section))
                        .append("\" />\n");
                sections.get(g.getKey() + "/" + section)
                        .forEach(x -> written.append("      ").append(x).append('\n'));
            }
            declared.append("      </sectionGroup>\n");
            written.append("    </").append(g.getKey()).append(">\n");
        }
        StringBuilder xml = new StringBuilder();
        xml.append("""
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost">
                      <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                    </sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                      <section name="modules" allowDefinition="MachineToApplication" overrideModeDefault="Deny" />
                      <section name="handlers" overrideModeDefault="Deny" />
                """);
        xml.append(declared);
        xml.append("""
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost>
                    <sites>
                      <site name="@SITE@" id="1" serverAutoStart="true">
                        <application path="/">
                          <virtualDirectory path="/" physicalPath="%WEIR_SITE_ROOT%" />
                        </application>
                        @SITE_ELEMENTS@<bindings>
                          <binding protocol="http" bindingInformation="127.0.0.1:8080:" />
                        </bindings>
                      </site>
                    </sites>
                  </system.applicationHost>
                  <system.webServer>
                    <globalModules>
                """.replace("@SITE@", SITE).replace(
                "@SITE_ELEMENTS@",
                siteElements.stream().map(e -> e + "\n      ").collect(Collectors.joining())));
        globalModules.forEach(g -> xml.append("      ").append(g).append('\n'));
        xml.append("    </globalModules>\n    <modules>\n");
        enabled.forEach(n -> xml.append("      <add name=\"").append(attr(n)).append("\" />\n"));
        xml.append("    </modules>\n    <handlers accessPolicy=\"Read, Script\">\n");
        handlers.forEach(h -> xml.append("      ").append(h).append('\n'));
        xml.append("      <add name=\"")
                .append(CATCH_ALL_HANDLER)
                .append("\" path=\"*\" verb=\"*\" modules=\"")
                .append(attr(String.join(",", enabled)))
                .append("\" resourceType=\"Unspecified\" requireAccess=\"None\" />\n");
        xml.append("    </handlers>\n");
        xml.append(written);
        xml.append("  </system.webServer>\n</configuration>\n");
        return xml.toString();
    }

    private static String attr(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
