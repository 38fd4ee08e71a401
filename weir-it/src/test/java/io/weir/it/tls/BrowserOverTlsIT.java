package io.weir.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.api.config.ConfigSource;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig.BindingConfig;
import io.weir.it.browser.HeadlessChromium;
import io.weir.server.WeirServer;
import io.weir.server.tls.CertificateFiles;
import io.weir.server.tls.CertificateIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A real browser over https: headless Chromium loads a page and its images from Weir's static file
 * module over TLS, with a certificate signed by an authority this test creates and accepted by
 * public key, and the test asserts that the page and every image came over the protocol under test
 * (the Performance API's {@code nextHopProtocol}) and that every image decoded: {@code h2} with
 * QUIC off, {@code h3} with Chromium told to use QUIC for the test origin
 * ({@code --origin-to-force-quic-on}).
 */
class BrowserOverTlsIT {

    private static final int IMAGES = 12;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "h3"})
    void chromiumLoadsAPageAndItsImagesOver(String protocol) throws Exception {
        HeadlessChromium.requireInstalled();
        Instant now = Instant.now();
        CertificateIssuer.Issued authority = CertificateIssuer.authority(
                "Weir Browser Test CA", now.minus(1, ChronoUnit.DAYS), now.plus(2, ChronoUnit.DAYS));
        CertificateIssuer.Issued server = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
        Path store = dir.resolve("store");
        CertificateIssuer.writePem(store.resolve("localhost.pem"), server);

        Path root = Files.createDirectories(dir.resolve("site"));
        StringBuilder page =
                new StringBuilder("<!DOCTYPE html><html><head><title>" + protocol + "</title></head><body>\n");
        for (int i = 0; i < IMAGES; i++) {
            String color = String.format("#%06x", (i * 0x13579b) & 0xffffff);
            Files.writeString(
                    root.resolve("img" + i + ".svg"),
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\""
                            + " height=\"30\"><rect width=\"40\" height=\"30\" fill=\"" + color + "\"/></svg>\n");
            page.append("<img src=\"img")
                    .append(i)
                    .append(".svg\" alt=\"")
                    .append(i)
                    .append("\">\n");
        }
        Files.writeString(
                root.resolve("index.html"), page.append("</body></html>\n").toString());

        ApplicationHostConfig config = ApplicationHostConfig.embeddedDefault(Map.of("WEIR_SITE_ROOT", root.toString()))
                .withSiteOverrides("Default Web Site", Optional.of(root), Optional.of("127.0.0.1"), OptionalInt.of(0));
        config = config.withAddedBinding(
                "Default Web Site",
                new BindingConfig(
                        "https",
                        "127.0.0.1",
                        0,
                        "",
                        0,
                        CertificateFiles.thumbprint(server.certificate()),
                        store.toString(),
                        new ConfigSource("BrowserOverTlsIT", 0, 0)));

        try (WeirServer weir = WeirServer.start(config)) {
            int httpsPort = weir.boundAddresses().stream()
                    .filter(a -> weir.tlsEndpoint(a).isPresent())
                    .findFirst()
                    .orElseThrow()
                    .getPort();
            String trust = HeadlessChromium.trusting(authority.certificate(), server.certificate());
            String[] switches = protocol.equals("h3")
                    ? new String[] {
                        trust,
                        "--enable-quic",
                        "--origin-to-force-quic-on=localhost:" + httpsPort,
                        // the server listens on 127.0.0.1 only; "localhost" may resolve to ::1 first
                        "--host-resolver-rules=MAP localhost 127.0.0.1"
                    }
                    : new String[] {trust};
            try (HeadlessChromium chromium = HeadlessChromium.start(dir, switches)) {
                ChromeDriver browser = chromium.driver();
                browser.get("https://localhost:" + httpsPort + "/index.html");
                JavascriptExecutor js = browser;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!Boolean.TRUE.equals(
                                js.executeScript("return Array.from(document.images).every(i => i.complete);"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(browser.getTitle()).isEqualTo(protocol);
                assertThat(js.executeScript("return performance.getEntriesByType('navigation')[0].nextHopProtocol;"))
                        .isEqualTo(protocol);
                @SuppressWarnings("unchecked")
                List<String> protocols = (List<String>) js.executeScript(
                        "return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'img')"
                                + ".map(e => e.nextHopProtocol);");
                assertThat(protocols).hasSize(IMAGES).containsOnly(protocol);
                assertThat((Long) js.executeScript(
                                "return Array.from(document.images).filter(i => i.naturalWidth === 40).length;"))
                        .isEqualTo((long) IMAGES);
                assertThat(js.executeScript("return location.protocol;")).isEqualTo("https:");
            }
        }
    }
}
