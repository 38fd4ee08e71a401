package io.weir.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a server's TLS certificates come from, read from Weir's attributes on
 * {@code system.applicationHost/sites} (IIS keeps these facts in Windows' certificate store and in
 * the registry; Weir keeps them in folders). Immutable.
 *
 * @param storePath                 the folder of certificate stores: a binding's
 *                                  {@code certificateStoreName} names a sub-folder of it ({@code My}
 *                                  by default) holding PEM or PKCS#12 files, looked up by SHA-1
 *                                  thumbprint ({@code weirCertificateStorePath}, default
 *                                  {@code certificates} beside applicationHost.config)
 * @param centralStorePath          the central certificate store folder of {@code host.pfx} files,
 *                                  wildcards as {@code _.example.com.pfx}
 *                                  ({@code weirCentralCertificateStorePath}); empty when not set
 * @param centralPasswordFile       a file whose first line is the central store's PFX password
 *                                  ({@code weirCentralCertificateStorePasswordFile}); empty when not set
 * @param centralPasswordVariable   the environment variable holding that password when no file is
 *                                  named ({@code weirCentralCertificateStorePasswordVariable},
 *                                  default {@code WEIR_CCS_PASSWORD})
 * @param provider                  {@code "OpenSsl"} (BoringSSL through netty-tcnative, the default;
 *                                  the JDK's provider is used with a warning when it cannot load) or
 *                                  {@code "Jdk"}
 * @param h2c                       whether http bindings also speak HTTP/2 without TLS (prior
 *                                  knowledge and {@code Upgrade: h2c}) ({@code weirH2c}, default false)
 * @param http3                     whether https listeners also serve HTTP/3 over QUIC on their UDP
 *                                  port, as Windows Server 2022 does ({@code weirHttp3}, default true;
 *                                  a binding's {@code sslFlags} DisableQUIC turns it off for its listener)
 */
public record CertificateStoreSettings(
        Path storePath,
        Optional<Path> centralStorePath,
        Optional<Path> centralPasswordFile,
        String centralPasswordVariable,
        String provider,
        boolean h2c,
        boolean http3) {}
