package io.weir.modules.iprestriction;

import static io.weir.modules.LoopbackSite.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weir.modules.LoopbackSite;
import io.weir.testkit.RawHttp;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IpRestrictionModule over loopback (the client is 127.0.0.1): one {@code <location>} per
 * attribute, IIS's statuses and substatuses on the local detailed error page.
 */
class IpRestrictionModuleHttpTest {

    private static final String PUBLIC = "public text";

    @TempDir
    static Path root;

    private static LoopbackSite site;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        String[] folders = {
            "open",
            "deny",
            "only10",
            "subnet",
            "prefix",
            "firstallow",
            "firstdeny",
            "unauth",
            "notfound",
            "abort",
            "proxy",
            "noproxy",
            "domain",
            "revdns",
            "allowlisted"
        };
        for (String folder : folders) {
            write(root, folder + "/a.txt", PUBLIC);
        }
        site = LoopbackSite.serving(
                root,
                "deny",
                ip("", "<add ipAddress=\"127.0.0.1\" allowed=\"false\" />"),
                "only10",
                ip(
                        "allowUnlisted=\"false\"",
                        "<add ipAddress=\"10.0.0.0\" subnetMask=\"255.0.0.0\" allowed=\"true\" />"),
                "allowlisted",
                ip("allowUnlisted=\"false\"", "<add ipAddress=\"127.0.0.1\" allowed=\"true\" />"),
                "subnet",
                ip("", "<add ipAddress=\"127.0.0.0\" subnetMask=\"255.0.0.0\" />"),
                "prefix",
                ip("", "<add ipAddress=\"127.1.2.3\" subnetMask=\"8\" />"),
                "firstallow",
                ip(
                        "",
                        "<add ipAddress=\"127.0.0.1\" allowed=\"true\" />"
                                + "<add ipAddress=\"127.0.0.0\" subnetMask=\"8\" allowed=\"false\" />"),
                "firstdeny",
                ip(
                        "",
                        "<add ipAddress=\"127.0.0.0\" subnetMask=\"8\" allowed=\"false\" />"
                                + "<add ipAddress=\"127.0.0.1\" allowed=\"true\" />"),
                "unauth",
                ip("denyAction=\"Unauthorized\"", "<add ipAddress=\"127.0.0.1\" />"),
                "notfound",
                ip("denyAction=\"NotFound\"", "<add ipAddress=\"127.0.0.1\" />"),
                "abort",
                ip("denyAction=\"AbortRequest\"", "<add ipAddress=\"127.0.0.1\" />"),
                "proxy",
                ip(
                        "enableProxyMode=\"true\"",
                        "<add ipAddress=\"203.0.113.0\" subnetMask=\"24\" />"
                                + "<add ipAddress=\"2001:db8::\" subnetMask=\"32\" />"),
                "noproxy",
                ip("", "<add ipAddress=\"203.0.113.0\" subnetMask=\"24\" />"),
                "domain",
                ip("allowUnlisted=\"true\"", "<add domainName=\"*.example.com\" allowed=\"false\" />"),
                "revdns",
                ip("enableReverseDns=\"true\"", ""));
        port = site.uri("/").getPort();
    }

    private static String ip(String attributes, String rules) {
        return "<security><ipSecurity " + attributes + ">" + rules + "</ipSecurity></security>";
    }

    @AfterAll
    static void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static RawHttp.Response get(String target, String... headerLines) {
        StringBuilder request = new StringBuilder("GET ")
                .append(target)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return RawHttp.exchange(port, request.append("\r\n").toString());
    }

    private static void assertDenied(RawHttp.Response response, int code, int subStatus) {
        assertThat(response.status()).as(response.statusLine()).isEqualTo(code);
        assertThat(response.bodyText())
                .contains("HTTP Error " + code + "." + subStatus + " - ")
                .contains("<th>Module</th><td>IpRestrictionModule</td>")
                .contains("<th>Notification</th><td>BEGIN_REQUEST</td>")
                .doesNotContain(PUBLIC);
    }

    private static void assertServed(RawHttp.Response response) {
        assertThat(response.status()).as(response.statusLine()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo(PUBLIC);
    }

    @Test
    void theDefaultSectionAllowsEveryone() {
        assertServed(get("/open/a.txt"));
    }

    @Test
    void aDeniedAddressGets403_503() {
        assertDenied(get("/deny/a.txt"), 403, 503);
        assertThat(get("/deny/a.txt").bodyText()).contains("127.0.0.1");
    }

    @Test
    void allowUnlistedFalseDeniesAnAddressNoRuleAllows() {
        assertDenied(get("/only10/a.txt"), 403, 503);
        assertServed(get("/allowlisted/a.txt"));
    }

    @Test
    void subnetMasksWorkDottedAndAsAPrefix() {
        assertDenied(get("/subnet/a.txt"), 403, 503);
        assertDenied(get("/prefix/a.txt"), 403, 503);
    }

    @Test
    void theFirstMatchingRuleDecidesInCollectionOrder() {
        assertServed(get("/firstallow/a.txt"));
        assertDenied(get("/firstdeny/a.txt"), 403, 503);
    }

    @Test
    void denyActionChoosesTheStatusCode() {
        assertDenied(get("/unauth/a.txt"), 401, 503);
        assertDenied(get("/notfound/a.txt"), 404, 503);
    }

    @Test
    void denyActionAbortRequestResetsTheConnectionWithoutAResponse() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write("GET /abort/a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(SocketException.class).hasMessageContaining("reset");
        }
        assertServed(get("/open/a.txt"));
    }

    @Test
    void proxyModeChecksEveryForwardedAddress() {
        assertServed(get("/proxy/a.txt"));
        assertServed(get("/proxy/a.txt", "X-Forwarded-For: 198.51.100.7"));
        assertDenied(get("/proxy/a.txt", "X-Forwarded-For: 203.0.113.9"), 403, 503);
        assertDenied(get("/proxy/a.txt", "X-Forwarded-For: 198.51.100.7, 203.0.113.9:4711"), 403, 503);
        assertDenied(get("/proxy/a.txt", "X-Forwarded-For: 198.51.100.7", "X-Forwarded-For: 203.0.113.9"), 403, 503);
        assertDenied(get("/proxy/a.txt", "X-Forwarded-For: [2001:db8::5]:80"), 403, 503);
        assertDenied(get("/proxy/a.txt", "X-Forwarded-For: 2001:db8:0:1::9"), 403, 503);
        assertServed(get("/proxy/a.txt", "X-Forwarded-For: 2001:db9::9"));
    }

    @Test
    void proxyModeAnswersAMalformedForwardedForWith400_10() {
        RawHttp.Response response = get("/proxy/a.txt", "X-Forwarded-For: unknown");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyText()).contains("HTTP Error 400.10 - ").doesNotContain(PUBLIC);
        assertThat(get("/proxy/a.txt", "X-Forwarded-For: evil.example.com").status())
                .isEqualTo(400);
        assertThat(get("/proxy/a.txt", "X-Forwarded-For: 300.1.1.1").status()).isEqualTo(400);
    }

    @Test
    void withoutProxyModeTheForwardedHeaderIsIgnored() {
        assertServed(get("/noproxy/a.txt", "X-Forwarded-For: 203.0.113.9"));
        assertServed(get("/noproxy/a.txt", "X-Forwarded-For: unknown"));
    }

    @Test
    void domainNameRulesAreNotEvaluatedWithoutReverseDns() {
        assertServed(get("/domain/a.txt"));
    }

    @Test
    void enableReverseDnsIsRefusedAsAConfigurationError() {
        RawHttp.Response response = get("/revdns/a.txt");
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.bodyText())
                .contains("HTTP Error 500.19 - ")
                .contains("enableReverseDns")
                .doesNotContain(PUBLIC);
    }
}
