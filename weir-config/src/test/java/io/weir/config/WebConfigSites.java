package io.weir.config;

import io.weir.config.merge.VariableExpansion;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Builds a site in a temporary folder with web.config files, for the web.config tests. */
final class WebConfigSites {

    /** Declarations as IIS Express declares them (docs/reference/configuration-system.md, "Declaring sections"). */
    static final String DECLARATIONS = """
            <configSections>
              <sectionGroup name="system.applicationHost">
                <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
              </sectionGroup>
              <sectionGroup name="system.webServer">
                <section name="globalModules" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                <section name="modules" allowDefinition="MachineToApplication" overrideModeDefault="Deny" />
                <section name="handlers" overrideModeDefault="Deny" />
                <section name="defaultDocument" overrideModeDefault="Allow" />
                <section name="directoryBrowse" overrideModeDefault="Allow" />
                <section name="staticContent" overrideModeDefault="Allow" />
                <section name="httpErrors" overrideModeDefault="Allow" />
                <section name="httpProtocol" overrideModeDefault="Allow" />
                <section name="httpRedirect" overrideModeDefault="Allow" />
                <section name="asp" overrideModeDefault="Deny" />
                <sectionGroup name="security">
                  <section name="requestFiltering" overrideModeDefault="Allow" />
                  <section name="ipSecurity" overrideModeDefault="Deny" />
                  <sectionGroup name="authentication">
                    <section name="anonymousAuthentication" overrideModeDefault="Deny" />
                    <section name="basicAuthentication" overrideModeDefault="Deny" />
                  </sectionGroup>
                </sectionGroup>
              </sectionGroup>
            </configSections>
            """;

    private WebConfigSites() {}

    /**
     * Writes an applicationHost.config with site "S" rooted at {@code root} plus {@code extraApplications}
     * (inside the site element) and {@code body} (after the sites), and parses it.
     */
    static ApplicationHostConfig appHost(Path root, String extraApplications, String body) {
        String text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n" + DECLARATIONS
                + "<system.applicationHost><sites>\n"
                + "<site name=\"S\" id=\"1\"><application path=\"/\"><virtualDirectory path=\"/\" physicalPath=\""
                + root + "\" /></application>" + extraApplications
                + "<bindings><binding protocol=\"http\" bindingInformation=\"*:80:\" /></bindings></site>\n"
                + "</sites></system.applicationHost>\n" + body + "</configuration>\n";
        write(root.resolveSibling("applicationHost.config"), text);
        return ApplicationHostConfig.parse(
                root.resolveSibling("applicationHost.config").toString(),
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                root.getParent(),
                new VariableExpansion(Map.of(), Map.of()));
    }

    /** Writes {@code <configuration>body</configuration>} as {@code folder/web.config}; the body starts on line 2. */
    static Path webConfig(Path folder, String body) {
        return write(folder.resolve("web.config"), "<configuration>\n" + body + "</configuration>\n");
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path folder(Path parent, String relative) {
        try {
            return Files.createDirectories(parent.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> values(EffectiveConfig config, String section, String child, String attribute) {
        var element = config.section(section);
        var holder = child == null ? element : element.child(child).orElseThrow();
        return holder.collection().stream()
                .map(e -> e.attribute(attribute).orElse("?"))
                .toList();
    }
}
