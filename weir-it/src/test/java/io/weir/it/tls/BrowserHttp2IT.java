package io.weir.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.weir.api.config.ConfigSource;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig.BindingConfig;
import io.weir.server.WeirServer;
import io.weir.server.tls.CertificateFiles;
import io.weir.server.tls.CertificateIssuer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser over https: headless Chromium (Debian's {@code chromium} with its
 * {@code chromedriver}, driven by Selenium) loads a page and its images from Weir's static file
 * module over TLS with a certificate signed by a certificate authority this test creates, and the
 * test asserts that the page and every image came over HTTP/2 (the Performance API's
 * {@code nextHopProtocol}) and that every image decoded.
 */
class BrowserHttp2IT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int IMAGES = 12;

    @TempDir
    Path dir;

    @Test
    void chromiumLoadsAPageAndItsImagesOverHttp2() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must install chromium and chromium-driver (Debian packages) for this test");
        }
        assumeTrue(present, "needs Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver)");

        Instant now = Instant.now();
        CertificateIssuer.Issued authority = CertificateIssuer.authority(
                "Weir Browser Test CA", now.minus(1, ChronoUnit.DAYS), now.plus(2, ChronoUnit.DAYS));
        CertificateIssuer.Issued server = CertificateIssuer.server(
                authority, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(1, ChronoUnit.DAYS));
        Path store = dir.resolve("store");
        CertificateIssuer.writePem(store.resolve("localhost.pem"), server);

        Path root = Files.createDirectories(dir.resolve("site"));
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html><head><title>h2</title></head><body>\n");
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
                        new ConfigSource("BrowserHttp2IT", 0, 0)));

        try (WeirServer weir = WeirServer.start(config)) {
            int httpsPort = weir.boundAddresses().stream()
                    .filter(a -> weir.tlsEndpoint(a).isPresent())
                    .findFirst()
                    .orElseThrow()
                    .getPort();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments(
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")),
                    // trust the test's authority (and its certificate) for this run only, by public key
                    "--ignore-certificate-errors-spki-list=" + spki(authority.certificate()) + ","
                            + spki(server.certificate()));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
                browser.get("https://localhost:" + httpsPort + "/index.html");
                JavascriptExecutor js = browser;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!Boolean.TRUE.equals(
                                js.executeScript("return Array.from(document.images).every(i => i.complete);"))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(browser.getTitle()).isEqualTo("h2");
                assertThat(js.executeScript("return performance.getEntriesByType('navigation')[0].nextHopProtocol;"))
                        .isEqualTo("h2");
                @SuppressWarnings("unchecked")
                List<String> protocols = (List<String>) js.executeScript(
                        "return performance.getEntriesByType('resource').filter(e => e.initiatorType === 'img')"
                                + ".map(e => e.nextHopProtocol);");
                assertThat(protocols).hasSize(IMAGES).containsOnly("h2");
                assertThat((Long) js.executeScript(
                                "return Array.from(document.images).filter(i => i.naturalWidth === 40).length;"))
                        .isEqualTo((long) IMAGES);
                assertThat(js.executeScript("return location.protocol;")).isEqualTo("https:");
            } finally {
                browser.quit();
                service.stop();
            }
        }
    }

    /** The base64 SHA-256 of a certificate's SubjectPublicKeyInfo, as Chromium's SPKI list takes it. */
    private static String spki(X509Certificate certificate) throws Exception {
        return Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256")
                        .digest(certificate.getPublicKey().getEncoded()));
    }
}
