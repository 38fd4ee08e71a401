package io.weir.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.config.merge.VariableExpansion;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpansionTest {

    private final VariableExpansion expansion = new VariableExpansion(
            Map.of("IIS_BIN", "/opt/iis", "Shared", "from-variables"),
            Map.of("SystemDrive", "C:", "SHARED", "from-environment"));

    @Test
    void expandsKnownVariablesWithoutRegardToCase() {
        assertThat(expansion.expand("%IIS_BIN%\\static.dll")).isEqualTo("/opt/iis\\static.dll");
        assertThat(expansion.expand("%iis_bin%/a/%SYSTEMDRIVE%")).isEqualTo("/opt/iis/a/C:");
        assertThat(expansion.expand("no references")).isEqualTo("no references");
    }

    @Test
    void variablesWinOverTheEnvironment() {
        assertThat(expansion.expand("%shared%")).isEqualTo("from-variables");
    }

    @Test
    void unknownReferencesStayVerbatim() {
        assertThat(expansion.expand("%NOPE%\\x")).isEqualTo("%NOPE%\\x");
        assertThat(expansion.expand("100%")).isEqualTo("100%");
        assertThat(expansion.expand("%%IIS_BIN%")).isEqualTo("%%IIS_BIN%");
        assertThat(expansion.expand("%NOPE%%IIS_BIN%")).isEqualTo("%NOPE%/opt/iis");
    }

    @Test
    void expandsOnlyTheAttributesIisExpands() {
        ApplicationHostConfig config = ConfigText.parse("""
                <system.applicationHost><sites>
                  <site name="S" id="1"><application path="/">
                      <virtualDirectory path="/" physicalPath="%ROOT%\\www\\site" />
                      <virtualDirectory path="/rel" physicalPath="content\\..\\rel" />
                      <virtualDirectory path="/unknown" physicalPath="%UNKNOWN%\\x" /></application>
                    <bindings><binding protocol="http" bindingInformation="*:80:" /></bindings></site>
                </sites></system.applicationHost>
                <system.webServer>
                  <globalModules><add name="M" image="%ROOT%\\m.jar" preCondition="%ROOT%" /></globalModules>
                  <handlers><add name="H" path="*" verb="*" scriptProcessor="%ROOT%\\cgi" modules="%ROOT%" /></handlers>
                </system.webServer>
                """, Map.of("ROOT", "/srv"));
        var directories = config.sites().get(0).applications().get(0).virtualDirectories();
        assertThat(directories.get(0).physicalPath()).isEqualTo(Path.of("/srv/www/site"));
        assertThat(directories.get(1).physicalPath()).isEqualTo(ConfigText.BASE.resolve("rel"));
        assertThat(directories.get(2).physicalPath()).isEqualTo(ConfigText.BASE.resolve("%UNKNOWN%/x"));
        GlobalModuleEntry module = config.globalModules().get(0);
        assertThat(module.image()).contains("/srv\\m.jar");
        assertThat(module.preCondition()).isEqualTo("%ROOT%");
        assertThat(module.type()).isEmpty();
        var handler = config.effectiveConfig("S", "/")
                .section("system.webServer/handlers")
                .collection()
                .get(0);
        assertThat(handler.attributes())
                .containsEntry("scriptProcessor", "/srv\\cgi")
                .containsEntry("modules", "%ROOT%");
    }
}
