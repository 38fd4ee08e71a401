package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.config.schema.ConfigSchema;
import io.weir.config.schema.SchemaFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module's own configuration section, the IIS way: a schema file in IIS's format (in the
 * {@code schema} folder beside applicationHost.config, in an installed module JAR, or on the class
 * path) plus a {@code <section>} declaration make the section merge, default, validate and lock
 * like a built-in one, at every level (server, site location, web.config); a refused schema file
 * is reported with file, line and reason.
 */
class ModuleSchemaTest {

    private static final String GREETING = "system.webServer/greeting";

    /** The module's schema: an attribute with a default and a validator, a child element, a collection. */
    static final String GREETING_SCHEMA = """
            <configSchema>
              <sectionSchema name="system.webServer/greeting">
                <attribute name="text" type="string" defaultValue="Hello" validationType="nonEmptyString" />
                <attribute name="enabled" type="bool" defaultValue="true" />
                <attribute name="style" type="enum" defaultValue="Plain">
                  <enum name="Plain" value="0" />
                  <enum name="Loud" value="1" />
                </attribute>
                <element name="limits">
                  <attribute name="maxLength" type="uint" defaultValue="100"
                             validationType="integerRange" validationParameter="1,1000" />
                  <attribute name="code" type="uint" defaultValue="200"
                             validationType="integerRange" validationParameter="300,399,exclude" />
                </element>
                <collection addElement="add" removeElement="remove" clearElement="clear">
                  <attribute name="name" type="string" isUniqueKey="true" validationType="requireTrimmedString" />
                  <attribute name="value" type="string" />
                </collection>
              </sectionSchema>
            </configSchema>
            """;

    @TempDir
    Path temp;

    Path www;

    @BeforeEach
    void folders() throws IOException {
        www = Files.createDirectories(temp.resolve("www"));
        Files.createDirectories(www.resolve("app"));
        Files.createDirectories(www.resolve("open"));
    }

    private Path appHost(String overrideModeDefault, String globalModules, String body) throws IOException {
        Path file = temp.resolve("applicationHost.config");
        Files.writeString(file, """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration>
                  <configSections>
                    <sectionGroup name="system.applicationHost">
                      <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                    </sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                      <section name="greeting" overrideModeDefault="@MODE@" />
                    </sectionGroup>
                  </configSections>
                  <system.applicationHost><sites>
                    <site name="S" id="1"><application path="/"><virtualDirectory path="/" physicalPath="www" /></application>
                      <bindings><binding protocol="http" bindingInformation="*:80:" /></bindings></site>
                  </sites></system.applicationHost>
                  <system.webServer><globalModules>@MODULES@</globalModules></system.webServer>
                @BODY@</configuration>
                """.replace("@MODE@", overrideModeDefault)
                .replace("@MODULES@", globalModules)
                .replace("@BODY@", body));
        return file;
    }

    private void schemaFolder(String name, String text) throws IOException {
        Files.writeString(Files.createDirectories(temp.resolve("schema")).resolve(name), text);
    }

    private void webConfig(Path folder, String text) throws IOException {
        Files.writeString(
                folder.resolve("web.config"),
                "<?xml version=\"1.0\"?>\n<configuration>\n" + text + "</configuration>\n");
    }

    private static ConfigElement greeting(ApplicationHostConfig config, String url) {
        return config.effectiveConfig("S", url).section(GREETING);
    }

    @Test
    void withoutASchemaTheSectionIsUnsupportedAndReadsEmpty() throws IOException {
        ApplicationHostConfig config = ApplicationHostConfig.load(
                appHost("Allow", "", "<system.webServer><greeting text=\"Hi\" /></system.webServer>\n"), Map.of());

        assertThat(config.unsupportedSections()).containsExactly(GREETING);
        assertThat(greeting(config, "/").attribute("text")).isEmpty();
    }

    @Test
    void theSchemaFolderDeclaresTheSectionWithDefaultsAtEveryLevel() throws IOException {
        schemaFolder("greeting_schema.xml", GREETING_SCHEMA);
        ApplicationHostConfig config = ApplicationHostConfig.load(appHost("Allow", "", """
                        <system.webServer><greeting text="Server"><add name="a" value="1" /></greeting></system.webServer>
                        <location path="S/app"><system.webServer>
                          <greeting style="loud"><limits maxLength="7" /><add name="b" value="2" /></greeting>
                        </system.webServer></location>
                        """), Map.of());
        webConfig(
                www.resolve("open"),
                "<system.webServer><greeting text=\"Folder\"><remove name=\"a\" /><add name=\"c\" /></greeting>"
                        + "</system.webServer>\n");

        assertThat(config.unsupportedSections()).isEmpty();
        assertThat(config.schemas().moduleSections()).containsOnlyKeys(GREETING);
        ConfigElement server = greeting(config, "/");
        assertThat(server.attribute("text")).hasValue("Server");
        assertThat(server.attribute("enabled")).hasValue("true");
        assertThat(server.child("limits")).as("a child no level writes").isEmpty();
        assertThat(names(server)).containsExactly("a");

        ConfigElement location = greeting(config, "/app/page");
        assertThat(location.attribute("text")).hasValue("Server");
        assertThat(location.attribute("style")).as("enum spelled as declared").hasValue("Loud");
        assertThat(location.child("limits").orElseThrow().longAttribute("maxLength", 0))
                .isEqualTo(7L);
        assertThat(location.child("limits").orElseThrow().attribute("code"))
                .as("the schema's default of an attribute no level sets")
                .hasValue("200");
        assertThat(names(location)).containsExactly("a", "b");

        ConfigElement folder = greeting(config, "/open/page");
        assertThat(config.effectiveConfig("S", "/open/page").error()).isEmpty();
        assertThat(folder.attribute("text")).hasValue("Folder");
        assertThat(names(folder)).containsExactly("c");

        ConfigElement unset = ApplicationHostConfig.load(appHost("Allow", "", ""), Map.of())
                .effectiveConfig("S", "/")
                .section(GREETING);
        assertThat(unset.attribute("text"))
                .as("the schema's default when no level sets it")
                .hasValue("Hello");
    }

    @Test
    void overrideModeDefaultDenyLocksTheSectionInWebConfigUnlessALocationAllowsIt() throws IOException {
        schemaFolder("greeting_schema.xml", GREETING_SCHEMA);
        ApplicationHostConfig config = ApplicationHostConfig.load(appHost("Deny", "", """
                        <location path="S/open" overrideMode="Allow"><system.webServer>
                          <greeting text="Unlocked" />
                        </system.webServer></location>
                        """), Map.of());
        webConfig(www.resolve("app"), "<system.webServer>\n<greeting text=\"Mine\" /></system.webServer>\n");
        webConfig(www.resolve("open"), "<system.webServer>\n<greeting text=\"Mine\" /></system.webServer>\n");

        ConfigException locked = config.effectiveConfig("S", "/app/x").error().orElseThrow();
        assertThat(locked.source().file())
                .isEqualTo(www.resolve("app/web.config").toString());
        assertThat(locked.source().line()).isEqualTo(4);
        assertThat(locked.reason()).contains(GREETING, "locked", "overrideModeDefault=\"Deny\"");
        assertThat(config.effectiveConfig("S", "/open/x").error()).isEmpty();
        assertThat(greeting(config, "/open/x").attribute("text")).hasValue("Mine");
        assertThat(config.effectiveConfig("S", "/").error()).isEmpty();
    }

    @Test
    void valuesAreCheckedAgainstTheModulesSchema() throws IOException {
        schemaFolder("greeting_schema.xml", GREETING_SCHEMA);
        ApplicationHostConfig config = ApplicationHostConfig.load(appHost("Allow", "", ""), Map.of());
        List<String> bad = List.of(
                "<greeting text=\"\" />",
                "<greeting colour=\"red\" />",
                "<greeting style=\"Quiet\" />",
                "<greeting><limits maxLength=\"5000\" /></greeting>",
                "<greeting><limits code=\"302\" /></greeting>",
                "<greeting><add name=\" padded\" /></greeting>",
                "<greeting><add name=\"x\" /><add name=\"x\" /></greeting>",
                "<greeting><unknown /></greeting>");
        List<String> reasons = new ArrayList<>();
        for (String element : bad) {
            webConfig(www.resolve("app"), "<system.webServer>\n" + element + "</system.webServer>\n");
            config.invalidate(www.resolve("app/web.config"));
            ConfigException e = config.effectiveConfig("S", "/app/x")
                    .error()
                    .orElseThrow(() -> new AssertionError("accepted: " + element));
            assertThat(e.source().file())
                    .isEqualTo(www.resolve("app/web.config").toString());
            assertThat(e.source().line()).isEqualTo(4);
            reasons.add(e.reason());
        }
        assertThat(reasons.get(0)).contains("text", "must not be empty");
        assertThat(reasons.get(3)).contains("between 1 and 1000");
        assertThat(reasons.get(4)).contains("must not be between 300 and 399");
        assertThat(reasons.get(5)).contains("white space");
    }

    @Test
    void aModuleJarShipsItsSchema() throws IOException {
        Path jar = temp.resolve("greeting.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("META-INF/weir/schema/greeting_schema.xml"));
            out.write(GREETING_SCHEMA.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        ApplicationHostConfig config = ApplicationHostConfig.load(
                appHost(
                        "Allow",
                        "<add name=\"Greeting\" image=\"greeting.jar\" />",
                        "<system.webServer><greeting text=\"FromJar\" /></system.webServer>\n"),
                Map.of());

        assertThat(config.unsupportedSections()).isEmpty();
        assertThat(config.schemas().moduleSections().get(GREETING))
                .endsWith("greeting.jar!/META-INF/weir/schema/greeting_schema.xml");
        assertThat(greeting(config, "/").attribute("text")).hasValue("FromJar");
    }

    @Test
    void theClassPathIsSearchedForSchemaResources() throws IOException {
        Path classes = Files.createDirectories(temp.resolve("classes/META-INF/weir/schema"));
        Files.writeString(classes.resolve("greeting_schema.xml"), GREETING_SCHEMA);
        Path jar = temp.resolve("other.jar");
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/weir/schema/"));
            out.closeEntry();
            out.putNextEntry(new JarEntry("META-INF/weir/schema/other.xml"));
            out.write("""
                    <configSchema><sectionSchema name="system.webServer/other">
                      <attribute name="on" type="bool" defaultValue="false" />
                    </sectionSchema></configSchema>
                    """.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(
                new URL[] {temp.resolve("classes").toUri().toURL(), jar.toUri().toURL()}, null)) {
            List<SchemaFile> files = SchemaSources.read(null, List.of(jar), loader);
            assertThat(files)
                    .extracting(f -> f.sections().keySet().iterator().next())
                    .containsExactly("system.webServer/other", GREETING);
        }
    }

    @Test
    void aMalformedSchemaFileIsRefusedWithFileLineAndReason() throws IOException {
        Path config = appHost("Allow", "", "");
        record Case(String text, int line, String reason) {}
        List<Case> cases = List.of(
                new Case(
                        "<configSchema>\n<sectionSchema name=\"a/b\">\n<attribute name=\"x\" type=\"bool\">\n"
                                + "</configSchema>\n",
                        3,
                        "<attribute> opened here is never closed"),
                new Case(
                        "<configSchema>\n<sectionSchema name=\"a/b\">\n<attribute name=\"x\" type=\"uint\"\n"
                                + " validationType=\"evenNumber\" />\n</sectionSchema></configSchema>\n",
                        4,
                        "unknown validationType 'evenNumber'"),
                new Case(
                        "<configSchema>\n<sectionSchema name=\"a/b\">\n<attribute name=\"x\" type=\"double\" />\n"
                                + "</sectionSchema></configSchema>\n",
                        3,
                        "unknown attribute type 'double'"),
                new Case(
                        "<configSchema>\n<sectionSchema name=\"a/b\">\n<attribute name=\"x\" type=\"uint\""
                                + " validationType=\"integerRange\" validationParameter=\"ten,20\" />\n"
                                + "</sectionSchema></configSchema>\n",
                        3,
                        "validationParameter of integerRange"),
                new Case(
                        "<configSchema>\n<sectionSchema name=\"a/b\">\n<attribute name=\"x\" type=\"string\" />\n"
                                + "<attribute name=\"x\" type=\"string\" />\n</sectionSchema></configSchema>\n",
                        4,
                        "attribute 'x' is declared twice"),
                new Case(
                        "<configSchema>\n<sectionSchema name=\"a/b\">\n<collection>\n<attribute name=\"x\""
                                + " type=\"string\" />\n</collection></sectionSchema></configSchema>\n",
                        3,
                        "missing the required attribute 'addElement'"),
                new Case("<schema />\n", 1, "must be <configSchema>"));
        for (Case c : cases) {
            schemaFolder("bad.xml", c.text());
            assertThatThrownBy(() -> ApplicationHostConfig.load(config, Map.of()))
                    .as(c.text())
                    .isInstanceOfSatisfying(ConfigException.class, e -> {
                        assertThat(e.source().file())
                                .isEqualTo(temp.resolve("schema/bad.xml").toString());
                        assertThat(e.source().line()).as(e.getMessage()).isEqualTo(c.line());
                        assertThat(e.reason()).contains(c.reason());
                    });
        }
    }

    @Test
    void twoFilesDeclaringOneAttributeAreRefused() throws IOException {
        schemaFolder("a.xml", GREETING_SCHEMA);
        schemaFolder("b.xml", GREETING_SCHEMA);

        assertThatThrownBy(() -> ApplicationHostConfig.load(appHost("Allow", "", ""), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.source().file())
                            .isEqualTo(temp.resolve("schema/b.xml").toString());
                    assertThat(e.reason())
                            .contains(
                                    GREETING,
                                    "already declared",
                                    temp.resolve("schema/a.xml") + ":2",
                                    "attribute 'text'");
                });
    }

    /**
     * A second file's {@code <sectionSchema>} of the same name extends the section, as IIS merges a
     * section's declarations across its schema files: a new attribute, an attribute of a child
     * element, an attribute of the collection's items; what the first file declared stays.
     */
    @Test
    void aSchemaFileExtendsASectionAnotherFileDeclares() throws IOException {
        schemaFolder("a_greeting.xml", GREETING_SCHEMA);
        schemaFolder("b_greeting_owner.xml", """
                <configSchema>
                  <sectionSchema name="system.webServer/greeting">
                    <attribute name="owner" type="string" defaultValue="nobody" />
                    <element name="limits">
                      <attribute name="minLength" type="uint" defaultValue="1" validationType="integerRange"
                                 validationParameter="1,10" />
                    </element>
                    <collection addElement="add">
                      <attribute name="note" type="string" defaultValue="-" />
                    </collection>
                  </sectionSchema>
                </configSchema>
                """);
        ApplicationHostConfig config = ApplicationHostConfig.load(appHost("Allow", "", """
                        <system.webServer><greeting owner="me"><limits minLength="3" />
                          <add name="a" note="n" /><add name="b" /></greeting></system.webServer>
                        """), Map.of());

        ConfigElement g = greeting(config, "/");
        assertThat(g.attribute("owner")).contains("me");
        assertThat(g.attribute("text")).contains("Hello");
        assertThat(g.child("limits").flatMap(l -> l.attribute("minLength"))).contains("3");
        assertThat(g.child("limits").flatMap(l -> l.attribute("maxLength"))).contains("100");
        assertThat(g.collection())
                .extracting(i -> i.attribute("note").orElse("?"))
                .containsExactly("n", "-");
        assertThat(config.schemas().moduleSections()).containsOnlyKeys(GREETING);

        // the added attribute's validator applies
        assertThatThrownBy(() -> ApplicationHostConfig.load(
                        appHost(
                                "Allow",
                                "",
                                "<system.webServer><greeting><limits minLength=\"11\" /></greeting></system.webServer>\n"),
                        Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.reason()).contains("minLength"));
    }

    /**
     * A schema file extends a section Weir implements, as IIS's documented way of adding an
     * {@code owner} attribute to {@code <site>}: without the file the attribute is refused, with it
     * the attribute loads, and Weir's own attributes of the section stay as they were.
     */
    @Test
    void aSchemaFileExtendsASectionWeirImplements() throws IOException {
        Path file = appHost("Allow", "", "");
        Files.writeString(
                file,
                Files.readString(file)
                        .replace("<site name=\"S\" id=\"1\">", "<site name=\"S\" id=\"1\" owner=\"Master Chief\">"));
        assertThatThrownBy(() -> ApplicationHostConfig.load(file, Map.of()))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.reason()).contains("owner"));

        schemaFolder("site_owner.xml", """
                <configSchema>
                  <sectionSchema name="system.applicationHost/sites">
                    <collection addElement="site">
                      <attribute name="owner" type="string" />
                      <attribute name="id" type="uint" />
                    </collection>
                  </sectionSchema>
                </configSchema>
                """);
        ApplicationHostConfig config = ApplicationHostConfig.load(file, Map.of());

        ConfigElement site = config.effectiveConfig("S", "/")
                .section(ConfigSchema.SITES)
                .collection()
                .get(0);
        assertThat(site.attribute("owner")).contains("Master Chief");
        assertThat(site.attribute("id")).contains("1");
        assertThat(config.schemas().builtInDeclaredByFiles()).containsExactly(ConfigSchema.SITES);
        assertThat(config.schemas()
                        .section(ConfigSchema.SITES)
                        .orElseThrow()
                        .collection()
                        .orElseThrow()
                        .item()
                        .attribute("id"))
                .as("Weir's declaration of an attribute the file repeats governs")
                .isEqualTo(ConfigSchema.section(ConfigSchema.SITES)
                        .orElseThrow()
                        .collection()
                        .orElseThrow()
                        .item()
                        .attribute("id"));
    }

    /**
     * URL Rewrite's own schema file, dropped unchanged into the schema folder, loads; Weir's
     * declarations of the rewrite sections govern, and they agree with the file's.
     */
    @Test
    void urlRewritesOwnSchemaFileLoadsUnchangedAndAgreesWithWeirsRewriteSections() throws IOException {
        Path rewriteSchema = CompatInputs.file("iis-express/rewrite_schema.xml");
        Files.createDirectories(temp.resolve("schema"));
        Files.copy(rewriteSchema, temp.resolve("schema/rewrite_schema.xml"));
        ApplicationHostConfig config = ApplicationHostConfig.load(appHost("Allow", "", ""), Map.of());

        Set<String> rewriteSections = Set.of(
                ConfigSchema.REWRITE_GLOBAL_RULES,
                ConfigSchema.REWRITE_RULES,
                ConfigSchema.REWRITE_OUTBOUND_RULES,
                ConfigSchema.REWRITE_MAPS,
                ConfigSchema.REWRITE_ALLOWED_SERVER_VARIABLES,
                ConfigSchema.REWRITE_PROVIDERS);
        assertThat(config.schemas().builtInDeclaredByFiles()).containsExactlyInAnyOrderElementsOf(rewriteSections);
        assertThat(config.schemas().notes())
                .as("rewrite_schema.xml's default=\"None\" (not IIS's defaultValue) is named, not refused")
                .anySatisfy(note -> assertThat(note).contains("rewrite_schema.xml:", "'default'"));

        SchemaFile file = SchemaFile.read(rewriteSchema);
        assertThat(file.sections().keySet()).containsAll(rewriteSections);
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (String section : rewriteSections) {
            compared += SchemaDefaultsTest.compare(
                    section,
                    section,
                    "",
                    file.sections().get(section),
                    ConfigSchema.section(section).orElseThrow(),
                    differences,
                    Set.copyOf(ConfigSchema.weirExtensions()));
        }
        assertThat(differences)
                .as("Weir's rewrite sections against rewrite_schema.xml")
                .isEmpty();
        assertThat(compared).isGreaterThan(60);
    }

    @Test
    void theSchemaOfAParsedTextComesFromTheFolderBesideIt() {
        String text = "<?xml version=\"1.0\"?>\n<configuration><configSections><sectionGroup name=\"system.webServer\">"
                + "<section name=\"greeting\" /></sectionGroup></configSections>"
                + "<system.webServer><greeting text=\"x\" /></system.webServer></configuration>\n";
        ApplicationHostConfig without = ApplicationHostConfig.parse(
                "t.config", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), temp, Map.of());
        assertThat(without.unsupportedSections()).containsExactly(GREETING);
    }

    private static List<String> names(ConfigElement section) {
        return section.collection().stream()
                .map(e -> e.stringAttribute("name", ""))
                .toList();
    }
}
