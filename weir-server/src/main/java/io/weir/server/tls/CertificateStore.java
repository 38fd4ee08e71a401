package io.weir.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Weir's certificate stores: a folder holding one sub-folder per store name ({@code My},
 * {@code WebHosting}, ... as Windows' LocalMachine stores), each holding PEM or PKCS#12 files. A
 * binding names its certificate as IIS does, by store name and SHA-1 thumbprint
 * ({@code certificateStoreName}, {@code certificateHash}); the file's name does not matter. A
 * PKCS#12 file's password, when it has one, is the first line of a file of the same name with
 * {@code .password} appended. Stateless: every call reads the folder (blocking).
 */
public final class CertificateStore {

    /** One certificate found in a store, for listings. @param store the store name @param certificate the certificate */
    public record Entry(String store, ServerCertificate certificate) {}

    private final Path root;

    /** @param root the folder of stores */
    public CertificateStore(Path root) {
        this.root = root;
    }

    /** @return the folder of stores */
    public Path root() {
        return root;
    }

    /**
     * Finds the file of a certificate by thumbprint.
     *
     * @param storeName  the store (sub-folder)
     * @param thumbprint 40 hex digits, any case
     * @return the file; empty when no file of the store holds that certificate
     * @throws IOException when the store folder cannot be listed
     */
    public Optional<Path> find(String storeName, String thumbprint) throws IOException {
        Path folder = root.resolve(storeName);
        if (!Files.isDirectory(folder)) {
            throw new IOException("certificate store '" + storeName + "' does not exist: no folder " + folder);
        }
        for (Path file : files(folder)) {
            try {
                ServerCertificate c = CertificateFiles.parse(file, password(file));
                if (c.thumbprint().equalsIgnoreCase(thumbprint)) {
                    return Optional.of(file);
                }
            } catch (IOException e) {
                // not a readable certificate file: it cannot be the one asked for
            }
        }
        return Optional.empty();
    }

    /**
     * Lists every readable certificate of every store (files that cannot be read are skipped).
     *
     * @return the entries, by store then file name
     * @throws IOException when the folder cannot be listed
     */
    public List<Entry> list() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        List<Path> stores = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, Files::isDirectory)) {
            dirs.forEach(stores::add);
        }
        stores.sort(null);
        for (Path store : stores) {
            for (Path file : files(store)) {
                try {
                    out.add(new Entry(store.getFileName().toString(), CertificateFiles.parse(file, password(file))));
                } catch (IOException e) {
                    // listed by nothing: not a certificate this store can serve
                }
            }
        }
        return out;
    }

    /**
     * Returns the password of a PKCS#12 file in a store: the first line of {@code FILE.password}.
     *
     * @param file a certificate file
     * @return the password; empty when there is no such file
     * @throws IOException when the password file exists but cannot be read
     */
    public static char[] password(Path file) throws IOException {
        Path sidecar = file.resolveSibling(file.getFileName() + ".password");
        if (!Files.isRegularFile(sidecar)) {
            return new char[0];
        }
        List<String> lines = Files.readAllLines(sidecar, StandardCharsets.UTF_8);
        return lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
    }

    private static List<Path> files(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(
                folder, p -> Files.isRegularFile(p) && CertificateFiles.isCertificateFile(p))) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
    }
}
