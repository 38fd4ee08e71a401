package io.weir.core.internal.context;

import io.weir.api.RequestNotification;
import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.http.HttpStatus;
import io.weir.config.SiteConfig;
import io.weir.core.internal.handler.WebCoreChecks;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * The web core's checks of the secure channel, made before BEGIN_REQUEST (so before any module,
 * URL Rewrite included, as in IIS, where "Require SSL" answers 403.4 before a rewrite rule could
 * redirect):
 * <ol>
 *   <li>the site's {@code hsts} with {@code enabled} and {@code redirectHttpToHttps}: a request
 *       over plain HTTP is answered 301 with the same URL on https (the port of the site's https
 *       binding for the request's host, left out when it is 443);</li>
 *   <li>{@code system.webServer/security/access@sslFlags} of the request's URL:
 *     <ul>
 *       <li>{@code Ssl} or {@code Ssl128} over plain HTTP: 403.4 (SSL required);</li>
 *       <li>{@code Ssl128} over TLS with a cipher of fewer than 128 secret key bits: 403.5;</li>
 *       <li>{@code SslRequireCert} and no client certificate: 403.7;</li>
 *       <li>{@code SslNegotiateCert} or {@code SslRequireCert} and a client certificate that has
 *           expired or is not yet valid: 403.17; one whose chain does not lead to an authority the
 *           binding trusts ({@code CERT_FLAGS} bit 2, set by the transport as http.sys sets it):
 *           403.16.</li>
 *     </ul></li>
 * </ol>
 * Stateless; runs on the request's event loop.
 */
final class SecureChannelChecks {

    /** {@code sslFlags} bit: TLS required. */
    static final int SSL = 8;
    /** {@code sslFlags} bit: client certificates are accepted. */
    static final int SSL_NEGOTIATE_CERT = 32;
    /** {@code sslFlags} bit: a client certificate is required. */
    static final int SSL_REQUIRE_CERT = 64;
    /** {@code sslFlags} bit: TLS with at least 128-bit keys required. */
    static final int SSL_128 = 256;

    /** IIS's 403.4: SSL required. */
    static final HttpStatus SSL_REQUIRED = new HttpStatus(403, 4, "Forbidden");
    /** IIS's 403.5: SSL 128 required. */
    static final HttpStatus SSL_128_REQUIRED = new HttpStatus(403, 5, "Forbidden");
    /** IIS's 403.7: client certificate required. */
    static final HttpStatus CERTIFICATE_REQUIRED = new HttpStatus(403, 7, "Forbidden");
    /** IIS's 403.16: client certificate untrusted or invalid. */
    static final HttpStatus CERTIFICATE_UNTRUSTED = new HttpStatus(403, 16, "Forbidden");
    /** IIS's 403.17: client certificate expired or not yet valid. */
    static final HttpStatus CERTIFICATE_EXPIRED = new HttpStatus(403, 17, "Forbidden");

    /** {@code system.webServer/security/access}: its {@code sslFlags} as bits. */
    static final ConfigSectionType<Integer> ACCESS = ConfigSectionType.of(
            "system.webServer/security/access",
            section -> parseSslFlags(section.stringAttribute("sslFlags", "None"), section));

    private SecureChannelChecks() {}

    /**
     * Runs the checks on a top-level request whose configuration is valid.
     *
     * @param context the request
     * @return true when the request was answered (a redirect or an error) and only the final send
     *         and the end stages run
     */
    static boolean answer(RequestContext context) {
        boolean secure = context.exchange.isSecure();
        SiteConfig.Hsts hsts = context.site.config().hsts();
        if (!secure && hsts.enabled() && hsts.redirectHttpToHttps()) {
            context.response.redirect(httpsUrl(context), HttpStatus.MOVED_PERMANENTLY, false);
            return true;
        }
        int flags = context.config(ACCESS);
        if (flags == 0) {
            return false;
        }
        HttpStatus refusal = null;
        String description = null;
        if (!secure && (flags & (SSL | SSL_128)) != 0) {
            refusal = SSL_REQUIRED;
            description = "The page requires a secure channel (https); access@sslFlags is " + describe(flags);
        } else if (secure && (flags & SSL_128) != 0 && secretKeyBits(context) < 128) {
            refusal = SSL_128_REQUIRED;
            description = "The page requires a cipher with at least 128-bit keys";
        } else if ((flags & (SSL_NEGOTIATE_CERT | SSL_REQUIRE_CERT)) != 0) {
            List<X509Certificate> chain = context.exchange.clientCertificates();
            if (chain.isEmpty()) {
                if ((flags & SSL_REQUIRE_CERT) != 0) {
                    refusal = CERTIFICATE_REQUIRED;
                    description = "The page requires a client certificate and the client sent none";
                }
            } else if (!validNow(chain.get(0))) {
                refusal = CERTIFICATE_EXPIRED;
                description = "The client certificate has expired or is not yet valid";
            } else if (!trusted(context)) {
                refusal = CERTIFICATE_UNTRUSTED;
                description = "The client certificate is not issued by an authority the binding trusts";
            }
        }
        if (refusal == null) {
            return false;
        }
        context.response.setStatus(refusal);
        context.response.setErrorDescription(description);
        context.recordError(WebCoreChecks.WEB_CORE, RequestNotification.BEGIN_REQUEST, false);
        return true;
    }

    /**
     * The request's URL on https: the host of its Host header, the port of the site's https binding
     * for that host (one with that host name first, else one for any host), left out when 443.
     */
    static String httpsUrl(RequestContext context) {
        String host = context.request.header("Host").orElse("");
        if (host.isEmpty()) {
            host = context.exchange.localAddress().getAddress().getHostAddress();
        }
        String name = host;
        if (name.startsWith("[")) {
            int close = name.indexOf(']');
            name = close > 0 ? name.substring(0, close + 1) : name;
        } else if (name.indexOf(':') >= 0) {
            name = name.substring(0, name.indexOf(':'));
        }
        String bare = name.startsWith("[") ? name.substring(1, name.length() - 1) : name;
        int port = 443;
        SiteConfig.BindingConfig any = null;
        SiteConfig.BindingConfig exact = null;
        for (SiteConfig.BindingConfig b : context.site.config().bindings()) {
            if (!b.protocol().equalsIgnoreCase("https")) {
                continue;
            }
            if (exact == null && b.host().equalsIgnoreCase(bare)) {
                exact = b;
            } else if (any == null && b.host().isEmpty()) {
                any = b;
            }
        }
        SiteConfig.BindingConfig chosen = exact != null ? exact : any;
        if (chosen != null && chosen.port() != 0) {
            port = chosen.port();
        }
        return "https://" + name + (port == 443 ? "" : ":" + port) + context.exchange.rawUri();
    }

    private static int secretKeyBits(RequestContext context) {
        String bits = context.exchange.transportVariable("HTTPS_SECRETKEYSIZE");
        try {
            return bits == null || bits.isEmpty() ? 0 : Integer.parseInt(bits);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean validNow(X509Certificate certificate) {
        Date now = new Date();
        return !now.before(certificate.getNotBefore()) && !now.after(certificate.getNotAfter());
    }

    /** CERT_FLAGS bit 2 ("the issuer is not trusted") is the transport's verdict on the chain. */
    private static boolean trusted(RequestContext context) {
        String flags = context.exchange.transportVariable("CERT_FLAGS");
        try {
            return flags != null && !flags.isEmpty() && (Integer.parseInt(flags) & 2) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String describe(int flags) {
        StringBuilder out = new StringBuilder();
        String[] names = {"Ssl", "SslNegotiateCert", "SslRequireCert", "Ssl128"};
        int[] bits = {SSL, SSL_NEGOTIATE_CERT, SSL_REQUIRE_CERT, SSL_128};
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                out.append(out.isEmpty() ? "" : ", ").append(names[i]);
            }
        }
        return out.toString();
    }

    /** Parses {@code sslFlags} as IIS writes it: names separated by commas, or a number. */
    static int parseSslFlags(String text, ConfigElement section) {
        int value = 0;
        for (String raw : text.split(",")) {
            String f = raw.trim().toLowerCase(Locale.ROOT);
            value |= switch (f) {
                case "", "none" -> 0;
                case "ssl" -> SSL;
                case "sslnegotiatecert" -> SSL_NEGOTIATE_CERT;
                case "sslrequirecert" -> SSL_REQUIRE_CERT;
                case "ssl128" -> SSL_128;
                default -> {
                    if (f.chars().allMatch(Character::isDigit) && f.length() < 10) {
                        yield Integer.parseInt(f);
                    }
                    throw new ConfigException(
                            section.attributeSource("sslFlags"), "unknown access sslFlags flag '" + raw.trim() + "'");
                }
            };
        }
        return value;
    }
}
