package io.weir.modules.authentication;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.api.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code system.webServer/security/authentication/basicAuthentication} section as
 * BasicAuthenticationModule uses it: IIS's attributes with IIS's defaults, plus two of Weir's. Bound
 * once per distinct effective configuration by {@link io.weir.api.http.HttpContext#config}.
 *
 * <p>IIS's {@code logonMethod} (how a Windows logon is made) is accepted and ignored.
 *
 * @param enabled            {@code enabled}, default false
 * @param realm              {@code realm}, default empty: the challenge then names the request's host
 * @param defaultLogonDomain {@code defaultLogonDomain}, default empty: when set, a user name sent
 *                           without a {@code DOMAIN\} prefix is looked up as
 *                           {@code defaultLogonDomain\name}
 * @param userFile           Weir's {@code weirUserFile}: the user store (see the package description),
 *                           absolute; empty when the attribute is absent (every logon then fails)
 * @param allowPlainHttp     Weir's {@code weirAllowPlainHttp}, default false: whether Basic is offered
 *                           and accepted on a connection without TLS
 */
public record BasicAuthenticationSection(
        boolean enabled, String realm, String defaultLogonDomain, Optional<Path> userFile, boolean allowPlainHttp) {

    /** Binds the section; keep this one instance (the server caches per instance). */
    public static final ConfigSectionType<BasicAuthenticationSection> SECTION = ConfigSectionType.of(
            "system.webServer/security/authentication/basicAuthentication", BasicAuthenticationSection::from);

    /** Weir's attribute naming the user store. */
    public static final String USER_FILE_ATTRIBUTE = "weirUserFile";
    /** Weir's attribute allowing Basic over plain HTTP. */
    public static final String ALLOW_PLAIN_HTTP_ATTRIBUTE = "weirAllowPlainHttp";

    /**
     * Binds the merged section element. A relative {@code weirUserFile} resolves against the folder of
     * the configuration file that set it (the working directory when that file is not on disk, as for
     * the embedded configuration); {@code %VAR%} references were expanded by the configuration reader.
     *
     * @param section the merged {@code basicAuthentication} element (empty when no file sets it)
     * @return the record
     * @throws ConfigException if an attribute is malformed, or the realm holds a control character
     */
    public static BasicAuthenticationSection from(ConfigElement section) {
        String realm = section.stringAttribute("realm", "");
        for (int i = 0; i < realm.length(); i++) {
            char c = realm.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new ConfigException(section.attributeSource("realm"), "realm must not hold control characters");
            }
        }
        Optional<Path> userFile = Optional.empty();
        String written = section.stringAttribute(USER_FILE_ATTRIBUTE, "").trim();
        if (!written.isEmpty()) {
            userFile = Optional.of(resolve(written.replace('\\', '/'), section.attributeSource(USER_FILE_ATTRIBUTE)));
        }
        return new BasicAuthenticationSection(
                section.booleanAttribute("enabled", false),
                realm,
                section.stringAttribute("defaultLogonDomain", "").trim(),
                userFile,
                section.booleanAttribute(ALLOW_PLAIN_HTTP_ATTRIBUTE, false));
    }

    private static Path resolve(String written, ConfigSource source) {
        try {
            Path path = Path.of(written);
            if (path.isAbsolute()) {
                return path.normalize();
            }
            Path base = Path.of("").toAbsolutePath();
            try {
                Path file = Path.of(source.file()).toAbsolutePath();
                if (Files.isRegularFile(file) && file.getParent() != null) {
                    base = file.getParent();
                }
            } catch (InvalidPathException e) {
                // a label such as "<schema defaults>": the working directory
            }
            return base.resolve(path).normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(
                    source, USER_FILE_ATTRIBUTE + " '" + written + "' is not a valid path: " + e.getReason());
        }
    }
}
