package io.weir.cli.command;

import io.weir.api.config.ConfigException;
import io.weir.cli.Verbosity;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.CertificateStoreSettings;
import io.weir.server.tls.CentralCertificateStore;
import io.weir.server.tls.CertificateFiles;
import io.weir.server.tls.CertificateStore;
import io.weir.server.tls.ServerCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code weir list sslcerts}: the certificates of the configuration's certificate stores and of its
 * central certificate store, as IIS Manager's Server Certificates list shows them: store,
 * thumbprint, subject, DNS names, expiry, and the file.
 */
@Command(
        name = "sslcerts",
        mixinStandardHelpOptions = true,
        description = "Lists the certificates of the certificate stores and the central certificate store:"
                + " thumbprint, subject, DNS names, expiry, file.",
        sortOptions = false)
public final class ListSslCertsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Mixin
    private ConfigOptions configOptions;

    @Override
    public Integer call() {
        ApplicationHostConfig config;
        try {
            config = configOptions.load(null);
        } catch (ConfigException e) {
            return configOptions.report(e);
        }
        PrintWriter out = spec.commandLine().getOut();
        CertificateStoreSettings settings = config.certificateStores();
        int count = 0;
        try {
            for (CertificateStore.Entry entry : new CertificateStore(settings.storePath()).list()) {
                print(out, entry.store(), entry.certificate());
                count++;
            }
            if (settings.centralStorePath().isPresent()
                    && Files.isDirectory(settings.centralStorePath().get())) {
                var central = new CentralCertificateStore(
                        settings.centralStorePath().get(),
                        settings.centralPasswordFile(),
                        settings.centralPasswordVariable(),
                        System.getenv());
                try (DirectoryStream<Path> files = Files.newDirectoryStream(central.folder(), "*.pfx")) {
                    for (Path file : files) {
                        try {
                            print(out, "(central)", CertificateFiles.parse(file, central.password()));
                            count++;
                        } catch (IOException e) {
                            out.println("SSLCERT (central) " + file + ": " + e.getMessage());
                        }
                    }
                }
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println("weir: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        if (count == 0) {
            out.println("No certificate in " + settings.storePath()
                    + settings.centralStorePath().map(p -> " nor in " + p).orElse(""));
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, String store, ServerCertificate c) {
        boolean expired = c.notAfter().isBefore(Instant.now());
        out.println("SSLCERT " + c.thumbprint() + " (store:" + store + ",subject:" + c.subject() + ",dns:"
                + String.join(" ", c.dnsNames()) + ",expires:" + c.notAfter() + (expired ? " EXPIRED" : "") + ")");
        out.println("  " + c.file());
    }
}
