package io.weir.cli.command;

import io.weir.cli.Verbosity;
import io.weir.server.tls.CertificateIssuer;
import io.weir.server.tls.DevelopmentCertificate;
import io.weir.server.tls.ServerCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code weir dev-cert [--export FILE]}: shows the development certificate {@code weir serve
 * --https-port} serves (creating it when absent, as IIS Express's setup does), and writes its
 * certificate (not its key) as PEM for a browser's or a client's trust store.
 */
@Command(
        name = "dev-cert",
        mixinStandardHelpOptions = true,
        description = "Shows (creating it first if needed) the self-signed localhost certificate of"
                + " `weir serve --https-port`; --export writes the certificate as PEM for a trust store.",
        footer = {
            "",
            "Example:",
            "  weir dev-cert --export localhost.crt",
            "  curl --cacert localhost.crt https://localhost:44300/"
        },
        sortOptions = false)
public final class DevCertCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Option(names = "--export", paramLabel = "FILE", description = "Write the certificate (PEM, no key) to FILE.")
    private Path export;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ServerCertificate certificate =
                    DevelopmentCertificate.ensure(DevelopmentCertificate.dataFolder(System.getenv()));
            out.println("Development certificate " + certificate.file());
            out.println("  thumbprint " + certificate.thumbprint());
            out.println("  subject    " + certificate.subject() + ", DNS " + String.join(", ", certificate.dnsNames()));
            out.println("  valid until " + certificate.notAfter());
            if (export != null) {
                CertificateIssuer.writeCertificatesPem(export, List.of(certificate.certificate()));
                out.println("Wrote the certificate to " + export);
            }
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("weir: " + e.getMessage());
            err.flush();
            return 1;
        }
    }
}
