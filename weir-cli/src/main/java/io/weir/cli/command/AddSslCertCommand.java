package io.weir.cli.command;

import io.weir.cli.Verbosity;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.NewElement;
import io.weir.cli.edit.TextElement;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.SiteConfig;
import io.weir.server.tls.CertificateFiles;
import io.weir.server.tls.CertificateIssuer;
import io.weir.server.tls.ServerCertificate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code weir add sslcert --file F [--password P] [--store My] [--site S --bindingInformation
 * *:443:host [--sni]]}, or {@code weir add sslcert --central --site S --bindingInformation
 * *:443:host}: in the spirit of {@code netsh http add sslcert} and IIS Manager's
 * certificate import. Checks the certificate (readable, key matching, not expired), copies it into
 * the configuration's certificate store as {@code THUMBPRINT.pem} (key and chain, owner-only), and
 * with {@code --site} adds an https binding naming it by thumbprint to that site; with
 * {@code --central} adds a binding served from the central certificate store ({@code sslFlags=3}).
 */
@Command(
        name = "sslcert",
        mixinStandardHelpOptions = true,
        description = "Imports a certificate (PEM or PKCS#12) into the certificate store and, with --site,"
                + " adds an https binding that uses it.",
        footer = {
            "",
            "Example:",
            "  weir add sslcert --file site.pfx --password-file pfx.txt --site \"Default Web Site\""
                    + " --bindingInformation *:443:www.example.com --sni"
        },
        sortOptions = false)
public final class AddSslCertCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Option(
            names = "--file",
            paramLabel = "FILE",
            description = "The certificate: PEM (key and certificates) or PKCS#12 (.pfx, .p12).")
    private Path file;

    @Option(
            names = "--central",
            description = "Instead of a file: with --site, add a binding served from the central certificate store"
                    + " (sslFlags=3: SNI and the store's HOST.pfx), as netsh's add sslcert ccs=PORT.")
    private boolean central;

    @Option(names = "--password", paramLabel = "TEXT", description = "The PKCS#12 (or encrypted key) password.")
    private String password;

    @Option(names = "--password-file", paramLabel = "FILE", description = "A file whose first line is the password.")
    private Path passwordFile;

    @Option(
            names = "--store",
            paramLabel = "NAME",
            defaultValue = "My",
            description = "The certificate store (a folder under weirCertificateStorePath); default My.")
    private String store;

    @Option(
            names = "--site",
            paramLabel = "NAME",
            description = "Add an https binding using the certificate to this site.")
    private String site;

    @Option(
            names = {"--bindingInformation", "--binding-information"},
            paramLabel = "IP:PORT:HOST",
            defaultValue = "*:443:",
            description = "With --site: the binding's IP:PORT:HOST; default *:443:.")
    private String bindingInformation;

    @Option(names = "--sni", description = "With --site: set sslFlags=1 (the host name is matched by SNI).")
    private boolean sni;

    @Mixin
    private EditOptions editOptions;

    @Override
    public Integer call() {
        if (central) {
            if (site == null || file != null) {
                throw new ParameterException(spec.commandLine(), "--central needs --site and takes no --file");
            }
            return addBinding(null);
        }
        if (file == null) {
            throw new ParameterException(spec.commandLine(), "give --file (or --central with --site)");
        }
        char[] secret;
        try {
            secret = passwordFile != null
                    ? Files.readAllLines(passwordFile).stream()
                            .findFirst()
                            .orElse("")
                            .toCharArray()
                    : password != null ? password.toCharArray() : new char[0];
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--password-file " + passwordFile + ": " + e.getMessage());
        }
        ServerCertificate certificate;
        try {
            certificate = CertificateFiles.read(file, secret, Instant.now());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--file: " + e.getMessage());
        }
        if (site == null) {
            return ConfigEdit.run(
                    spec,
                    editOptions,
                    (ApplicationHostConfig before, ApplicationHostText text) ->
                            List.of(importInto(before, certificate)));
        }
        return addBinding(certificate);
    }

    /** Adds the https binding to --site: naming the certificate, or (null) served from the central store. */
    private int addBinding(ServerCertificate certificate) {
        return ConfigEdit.run(spec, editOptions, (ApplicationHostConfig before, ApplicationHostText text) -> {
            SiteConfig target =
                    before.site(site).orElseThrow(() -> new ConfigEdit.Refused("no site named '" + site + "'"));
            for (SiteConfig s : before.sites()) {
                for (SiteConfig.BindingConfig b : s.bindings()) {
                    String info =
                            (b.ip().contains(":") ? "[" + b.ip() + "]" : b.ip()) + ":" + b.port() + ":" + b.host();
                    if (b.protocol().equalsIgnoreCase("https") && info.equalsIgnoreCase(bindingInformation)) {
                        throw new ConfigEdit.Refused("the binding https/" + bindingInformation
                                + " is already used by site '" + s.name() + "' (" + b.source() + ")");
                    }
                }
            }
            TextElement siteElement = text
                    .document()
                    .findAll(e -> e.name().equals("site")
                            && e.value("name").orElse("").equalsIgnoreCase(target.name()))
                    .stream()
                    .findFirst()
                    .orElseThrow(() ->
                            new ConfigEdit.Refused("site '" + site + "' is not written in " + editOptions.file()));
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("protocol", "https");
            attributes.put("bindingInformation", bindingInformation);
            if (certificate == null) {
                attributes.put("sslFlags", "3");
            } else {
                if (sni) {
                    attributes.put("sslFlags", "1");
                }
                attributes.put("certificateHash", certificate.thumbprint());
                attributes.put("certificateStoreName", store);
            }
            NewElement binding = new NewElement("binding", attributes, List.of());
            List<TextElement> bindings = siteElement.children("bindings");
            if (bindings.isEmpty()) {
                text.document().appendChild(siteElement, new NewElement("bindings", Map.of(), List.of(binding)));
            } else {
                text.document().appendChild(bindings.get(0), binding);
            }
            List<String> messages = new ArrayList<>();
            if (certificate != null) {
                messages.add(importInto(before, certificate));
            }
            messages.add("BINDING https/" + bindingInformation + " added to site \"" + target.name() + "\" ("
                    + (certificate == null
                            ? "central certificate store, sslFlags:3"
                            : "certificateHash:" + certificate.thumbprint())
                    + ")");
            return messages;
        });
    }

    private String importInto(ApplicationHostConfig config, ServerCertificate certificate) throws ConfigEdit.Refused {
        Path target = config.certificateStores().storePath().resolve(store).resolve(certificate.thumbprint() + ".pem");
        try {
            CertificateIssuer.writePem(target, new CertificateIssuer.Issued(certificate.key(), certificate.chain()));
        } catch (IOException e) {
            throw new ConfigEdit.Refused("cannot write " + target + ": " + e.getMessage());
        }
        return "SSLCERT " + certificate.thumbprint() + " imported into store " + store + " (" + target + "; subject "
                + certificate.subject() + ", expires " + certificate.notAfter() + ")";
    }
}
