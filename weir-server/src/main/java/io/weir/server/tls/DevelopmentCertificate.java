package io.weir.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The self-signed development certificate for {@code localhost} that {@code weir serve
 * --https-port} serves, as IIS Express serves its own on ports 44300-44399: created on first use
 * in Weir's data folder ({@code -Dweir.data}, else {@code $WEIR_DATA_HOME}, else
 * {@code $XDG_STATE_HOME/weir}, else {@code ~/.local/state/weir}, the folder of the access logs too) as
 * {@code certificates/dev/localhost.pem} (key and certificate, readable by the owner only), valid
 * for one year, and made again when it has less than 30 days left. Blocking (file I/O).
 */
public final class DevelopmentCertificate {

    /** The store name (a sub-folder of the data folder's {@code certificates}) that holds it. */
    public static final String STORE = "dev";

    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private DevelopmentCertificate() {}

    /**
     * Returns Weir's data folder.
     *
     * @param environment the process environment
     * @return {@code -Dweir.data}, else {@code $WEIR_DATA_HOME}, else {@code $XDG_STATE_HOME/weir}, else
     *         {@code ~/.local/state/weir}
     */
    public static Path dataFolder(Map<String, String> environment) {
        String configured = System.getProperty("weir.data");
        if (configured == null || configured.isBlank()) {
            configured = environment.get("WEIR_DATA_HOME");
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        String state = environment.get("XDG_STATE_HOME");
        Path base = state != null && !state.isBlank() && Path.of(state).isAbsolute()
                ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("weir").toAbsolutePath().normalize();
    }

    /**
     * @param dataFolder Weir's data folder
     * @return the folder of the development certificate's store
     */
    public static Path storeFolder(Path dataFolder) {
        return dataFolder.resolve("certificates").resolve(STORE);
    }

    /**
     * Returns the development certificate, creating it (or a new one, when it expires within 30
     * days or cannot be read) first.
     *
     * @param dataFolder Weir's data folder
     * @return the certificate and its file
     * @throws IOException when the folder or file cannot be written
     */
    public static ServerCertificate ensure(Path dataFolder) throws IOException {
        Path file = storeFolder(dataFolder).resolve("localhost.pem");
        Instant now = Instant.now();
        if (Files.isRegularFile(file)) {
            try {
                ServerCertificate existing = CertificateFiles.read(file, new char[0], now);
                if (existing.notAfter().isAfter(now.plus(RENEW_BEFORE))) {
                    return existing;
                }
            } catch (IOException e) {
                // unreadable or expired: made again below
            }
        }
        CertificateIssuer.Issued issued = CertificateIssuer.server(
                null, List.of("localhost"), now.minus(1, ChronoUnit.HOURS), now.plus(365, ChronoUnit.DAYS));
        CertificateIssuer.writePem(file, issued);
        return CertificateFiles.read(file, new char[0], now);
    }
}
