package io.weir.config;

import io.weir.config.merge.VariableExpansion;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Builds small applicationHost.config texts for tests; line 1 is the XML declaration. */
final class ConfigText {

    /** The test files' label. */
    static final String LABEL = "test.config";
    /** What relative paths resolve against in tests. */
    static final Path BASE = Path.of("base-dir").toAbsolutePath();

    /** Lines 1-16: declaration, opening tag and configSections; a test's body starts on line 17. */
    static final String HEADER = """
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
                  <section name="defaultDocument" />
                  <section name="directoryBrowse" />
                  <section name="staticContent" />
                  <section name="httpErrors" />
                </sectionGroup>
              </configSections>
            """;

    /** Four lines: a minimal valid site "S" (id 1) on *:80:, to which tests add locations and sections. */
    static final String SITE = """
            <system.applicationHost><sites>
              <site name="S" id="1"><application path="/"><virtualDirectory path="/" physicalPath="www" /></application>
                <bindings><binding protocol="http" bindingInformation="*:80:" /></bindings></site>
            </sites></system.applicationHost>
            """;

    private ConfigText() {}

    /** Parses HEADER + body + closing tag with an empty environment. */
    static ApplicationHostConfig parse(String body) {
        return parse(body, Map.of());
    }

    static ApplicationHostConfig parse(String body, Map<String, String> variables) {
        return parseDocument(HEADER + body + "</configuration>\n", variables);
    }

    static ApplicationHostConfig parseDocument(String document, Map<String, String> variables) {
        return ApplicationHostConfig.parse(
                LABEL,
                new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8)),
                BASE,
                new VariableExpansion(variables, Map.of()));
    }
}
