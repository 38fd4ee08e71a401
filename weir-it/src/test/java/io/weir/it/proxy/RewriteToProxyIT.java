package io.weir.it.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.testkit.RawHttp;
import io.weir.testkit.WeirTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * URL Rewrite and Application Request Routing together, with the real RewriteModule (no stand-in):
 * the global rule IIS Manager writes for a new server farm, a distributed rule in a web.config
 * proxying an API folder to a backend, and a rewrite to an absolute URL when the proxy is off.
 */
class RewriteToProxyIT {

    static final String[] ADDRESSES = {"127.0.0.1", "127.0.0.2", "127.0.0.3"};

    /** The rule IIS Manager adds to globalRules when a server farm is created. */
    static final String FARM_RULE = """
            <rule name="ARR_farm_loadbalance" patternSyntax="Wildcard" stopProcessing="true">
              <match url="*" />
              <action type="Rewrite" url="http://farm/{R:0}" />
            </rule>""";

    @TempDir
    Path root;

    final Backends.JdkBackend[] backends = new Backends.JdkBackend[3];
    WeirTestServer weir;

    @AfterEach
    void stop() {
        if (weir != null) {
            weir.close();
        }
        for (Backends.JdkBackend b : backends) {
            if (b != null) {
                b.close();
            }
        }
    }

    static String config(String proxyEnabled, String globalRules, String webFarms) {
        return """
                <configuration>
                  <configSections>
                    <section name="webFarms" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                    <sectionGroup name="system.applicationHost"><section name="sites" /></sectionGroup>
                    <sectionGroup name="system.webServer">
                      <section name="globalModules" /><section name="modules" /><section name="handlers" />
                      <section name="httpErrors" overrideModeDefault="Allow" />
                      <section name="staticContent" overrideModeDefault="Allow" />
                      <section name="proxy" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />
                      <sectionGroup name="rewrite">
                        <section name="allowedServerVariables" overrideModeDefault="Deny" />
                        <section name="rules" overrideModeDefault="Allow" />
                        <section name="outboundRules" overrideModeDefault="Allow" />
                        <section name="globalRules" overrideModeDefault="Deny" allowDefinition="AppHostOnly" />
                        <section name="providers" overrideModeDefault="Allow" />
                        <section name="rewriteMaps" overrideModeDefault="Allow" />
                      </sectionGroup>
                    </sectionGroup>
                  </configSections>
                  <webFarms>@FARMS@</webFarms>
                  <system.applicationHost><sites>
                    <site name="Test" id="1">
                      <application path="/"><virtualDirectory path="/" physicalPath="%ROOT%" /></application>
                      <bindings><binding protocol="http" bindingInformation="127.0.0.1:0:" /></bindings>
                    </site>
                  </sites></system.applicationHost>
                  <system.webServer>
                    <globalModules>
                      <add name="StaticFileModule" type="io.weir.modules.staticfile.StaticFileModuleRegistration" />
                      <add name="CustomErrorModule" type="io.weir.modules.customerror.CustomErrorModuleRegistration" />
                      <add name="RewriteModule" type="io.weir.modules.rewrite.RewriteModuleRegistration" />
                      <add name="ApplicationRequestRouting" type="io.weir.modules.proxy.ProxyModuleRegistration" />
                    </globalModules>
                    <modules>
                      <add name="StaticFileModule" />
                      <add name="CustomErrorModule" />
                      <add name="RewriteModule" />
                      <add name="ApplicationRequestRouting" />
                    </modules>
                    <handlers accessPolicy="Read, Script">
                      <add name="StaticFile" path="*" verb="*" modules="StaticFileModule" resourceType="Either" requireAccess="Read" />
                    </handlers>
                    <httpErrors errorMode="Detailed" existingResponse="Auto" />
                    <staticContent><mimeMap fileExtension=".html" mimeType="text/html" /></staticContent>
                    <proxy enabled="@ENABLED@" timeout="00:00:10" />
                    <rewrite><globalRules>@RULES@</globalRules></rewrite>
                  </system.webServer>
                </configuration>
                """.replace("@FARMS@", webFarms).replace("@RULES@", globalRules).replace("@ENABLED@", proxyEnabled);
    }

    void start(String proxyEnabled, String globalRules, String webFarms) {
        weir = WeirTestServer.start(config(proxyEnabled, globalRules, webFarms), Map.of("ROOT", root.toString()));
    }

    static Map<String, String> fields(RawHttp.Response r) {
        return ReverseProxyIT.fields(r);
    }

    static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: site.example\r\n\r\n";
    }

    @Test
    void theRuleIisManagerWritesForANewFarmRoutesToTheFarmsServers() {
        StringBuilder farm = new StringBuilder("<webFarm name=\"farm\" enabled=\"true\">");
        for (int i = 0; i < 3; i++) {
            backends[i] = new Backends.JdkBackend("s" + (i + 1), 0, ADDRESSES[i]);
            farm.append("<server address=\"")
                    .append(ADDRESSES[i])
                    .append("\" enabled=\"true\">")
                    .append("<applicationRequestRouting httpPort=\"")
                    .append(backends[i].port())
                    .append("\" /></server>");
        }
        farm.append(
                        "<applicationRequestRouting><loadBalancing algorithm=\"WeightedRoundRobin\" /></applicationRequestRouting>")
                .append("</webFarm>");
        start("true", FARM_RULE, farm.toString());

        Map<String, Integer> byServer = new HashMap<>();
        try (RawHttp http = RawHttp.connect(weir.port())) {
            for (int i = 0; i < 9; i++) {
                http.send(get("/shop/item" + i + "?colour=red&n=" + i));
                RawHttp.Response r = http.readResponse();
                assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
                Map<String, String> seen = fields(r);
                assertThat(seen.get("target")).isEqualTo("/shop/item" + i + "?colour=red&n=" + i);
                assertThat(seen.get("h.x-original-url")).isEqualTo("/shop/item" + i + "?colour=red&n=" + i);
                byServer.merge(seen.get("backend"), 1, Integer::sum);
            }
        }
        assertThat(byServer).containsEntry("s1", 3).containsEntry("s2", 3).containsEntry("s3", 3);
    }

    @Test
    void aDistributedRuleProxiesAnApiFolderWithItsQueryStringAndXOriginalUrl() throws IOException {
        backends[0] = new Backends.JdkBackend("api");
        Files.writeString(root.resolve("index.html"), "local page");
        Files.writeString(root.resolve("web.config"), """
                <configuration>
                  <system.webServer>
                    <rewrite>
                      <rules>
                        <rule name="API to backend" stopProcessing="true">
                          <match url="^api/(.*)" />
                          <action type="Rewrite" url="http://127.0.0.1:%d/{R:1}" />
                        </rule>
                      </rules>
                    </rewrite>
                  </system.webServer>
                </configuration>
                """.formatted(backends[0].port()));
        start("true", "", "");

        RawHttp.Response r = RawHttp.exchange(
                weir.port(),
                "GET /api/orders/42?expand=lines&page=2 HTTP/1.1\r\nHost: site.example\r\n"
                        + "X-Original-URL: /forged\r\n\r\n");
        assertThat(r.status()).as(r.bodyText()).isEqualTo(200);
        Map<String, String> seen = fields(r);
        assertThat(seen.get("backend")).isEqualTo("api");
        assertThat(seen.get("target")).isEqualTo("/orders/42?expand=lines&page=2");
        // ARR sends the URL as the client asked for it, once; a client's own X-Original-URL is not passed on
        assertThat(seen.get("h.x-original-url")).isEqualTo("/api/orders/42?expand=lines&page=2");
        // includePortInXForwardedFor is true by default, as in ARR
        assertThat(seen.get("h.x-forwarded-for")).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(seen.get("h.host")).isEqualTo("127.0.0.1:" + backends[0].port());

        RawHttp.Response post = RawHttp.exchange(
                weir.port(), "POST /api/orders HTTP/1.1\r\nHost: site.example\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(post.status()).isEqualTo(200);
        assertThat(fields(post))
                .containsEntry("method", "POST")
                .containsEntry("target", "/orders")
                .containsEntry("length", "5");

        RawHttp.Response local = RawHttp.exchange(weir.port(), get("/index.html"));
        assertThat(local.status()).isEqualTo(200);
        assertThat(local.bodyText()).isEqualTo("local page");
        assertThat(backends[0].requests.get()).isEqualTo(2);
    }

    @Test
    void withTheProxyDisabledARewriteToAnAbsoluteUrlFailsAsUrlRewriteDoesWithoutArr() throws IOException {
        backends[0] = new Backends.JdkBackend("api");
        Files.writeString(root.resolve("web.config"), """
                <configuration>
                  <system.webServer>
                    <rewrite>
                      <rules>
                        <rule name="API to backend" stopProcessing="true">
                          <match url="^api/(.*)" />
                          <action type="Rewrite" url="http://127.0.0.1:%d/{R:1}" />
                        </rule>
                      </rules>
                    </rewrite>
                  </system.webServer>
                </configuration>
                """.formatted(backends[0].port()));
        start("false", FARM_RULE.replace("match url=\"*\"", "match url=\"farm/*\""), "");

        RawHttp.Response distributed = RawHttp.exchange(weir.port(), get("/api/orders"));
        assertThat(distributed.status()).isEqualTo(500);
        assertThat(distributed.bodyText()).contains("500.50").contains("API to backend");

        RawHttp.Response global = RawHttp.exchange(weir.port(), get("/farm/x"));
        assertThat(global.status()).isEqualTo(500);
        assertThat(global.bodyText()).contains("500.51").contains("ARR_farm_loadbalance");
        assertThat(backends[0].requests.get()).isZero();
    }
}
