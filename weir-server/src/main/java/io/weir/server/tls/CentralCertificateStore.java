package io.weir.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * IIS's Centralized Certificate Store: a folder of PKCS#12 files named after the host they serve
 * ({@code www.example.com.pfx}), a wildcard certificate named with {@code _} for {@code *}
 * ({@code _.example.com.pfx} serves {@code a.example.com}, one label deep), all with one password.
 * As IIS does, the exact name wins over the wildcard. The password comes from a file (its first
 * line) or else from an environment variable. Thread-safe; lookups read the folder (blocking).
 */
public final class CentralCertificateStore {

    private final Path folder;
    private final Optional<Path> passwordFile;
    private final String passwordVariable;
    private final Map<String, String> environment;

    /**
     * @param folder           the store folder
     * @param passwordFile     a file whose first line is the password, or empty
     * @param passwordVariable the environment variable holding the password when there is no file
     * @param environment      the environment to read it from
     */
    public CentralCertificateStore(
            Path folder, Optional<Path> passwordFile, String passwordVariable, Map<String, String> environment) {
        this.folder = folder;
        this.passwordFile = passwordFile;
        this.passwordVariable = passwordVariable;
        this.environment = environment;
    }

    /** @return the store folder */
    public Path folder() {
        return folder;
    }

    /**
     * Finds the file serving a host name.
     *
     * @param host a DNS name as the client sent it in SNI
     * @return {@code host.pfx}, else {@code _.parent.pfx}; empty when neither exists or the name is
     *         not a plain host name
     */
    public Optional<Path> fileFor(String host) {
        if (host == null
                || host.isEmpty()
                || host.contains("/")
                || host.contains("\\")
                || host.startsWith(".")
                || host.contains("..")) {
            return Optional.empty();
        }
        String name = host.toLowerCase(Locale.ROOT);
        Path exact = folder.resolve(name + ".pfx");
        if (Files.isRegularFile(exact)) {
            return Optional.of(exact);
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            Path wildcard = folder.resolve("_" + name.substring(dot) + ".pfx");
            if (Files.isRegularFile(wildcard)) {
                return Optional.of(wildcard);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the store's password.
     *
     * @return the password; empty when neither the file nor the variable is set
     * @throws IOException when the password file cannot be read
     */
    public char[] password() throws IOException {
        if (passwordFile.isPresent()) {
            List<String> lines = Files.readAllLines(passwordFile.get(), StandardCharsets.UTF_8);
            return lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
        }
        String value = environment.get(passwordVariable);
        return value == null ? new char[0] : value.toCharArray();
    }
}
