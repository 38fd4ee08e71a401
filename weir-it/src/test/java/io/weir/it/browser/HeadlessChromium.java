package io.weir.it.browser;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium ({@code /usr/bin/chromium}) driven by its {@code chromedriver} through
 * Selenium, for the tests that load pages served by Weir in a real browser.
 *
 * <p>{@link #requireInstalled()} skips the calling test with a JUnit assumption naming the packages
 * when they are missing, and fails it when {@code CI=true} ({@code .ci/run} installs them). A
 * browser gets its own profile folder, no QUIC unless the caller passes {@code --enable-quic}, no
 * background traffic, and a 60 s page-load timeout; {@link #close()} quits it and stops the driver.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriverService service;
    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Skips the test (fails it on CI) unless Debian's chromium and chromium-driver are installed. */
    public static void requireInstalled() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(
                    "CI must install Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
        }
        assumeTrue(present, "needs Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER + ")");
    }

    /**
     * Starts a browser (after {@link #requireInstalled()}).
     *
     * @param work      a folder of the test's own: the profile goes in {@code chromium-profile}, the
     *                  driver's log in {@code chromedriver.log}
     * @param arguments Chromium switches added to the defaults (e.g. {@code --enable-quic})
     * @return the running browser; close it
     * @throws IOException when the profile folder cannot be made
     */
    public static HeadlessChromium start(Path work, String... arguments) throws IOException {
        requireInstalled();
        List<String> switches = new ArrayList<>(List.of(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(work.resolve("chromium-profile"))));
        if (!List.of(arguments).contains("--enable-quic")) {
            switches.add("--disable-quic");
        }
        switches.addAll(List.of(arguments));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(switches);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(work.resolve("chromedriver.log").toString()))
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        return new HeadlessChromium(service, driver);
    }

    /**
     * The switch that makes Chromium accept certificates with these public keys for this run only.
     *
     * @param certificates the test's authority and server certificates
     * @return {@code --ignore-certificate-errors-spki-list=} with each key's base64 SHA-256
     */
    public static String trusting(X509Certificate... certificates) {
        List<String> hashes = new ArrayList<>();
        try {
            for (X509Certificate certificate : certificates) {
                hashes.add(Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-256")
                                .digest(certificate.getPublicKey().getEncoded())));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        return "--ignore-certificate-errors-spki-list=" + String.join(",", hashes);
    }

    /** @return the Selenium driver of this browser */
    public ChromeDriver driver() {
        return driver;
    }

    /** Quits the browser and stops its driver. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
