package io.weir.config;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.SiteConfig.ApplicationConfig;
import io.weir.config.SiteConfig.BindingConfig;
import io.weir.config.SiteConfig.VirtualDirectoryConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns the merged {@code system.applicationHost/sites} section into {@link SiteConfig}s,
 * applying {@code applicationDefaults} and {@code virtualDirectoryDefaults} and checking what IIS
 * checks: unique site ids, a root application {@code "/"} per site, a root virtual directory
 * {@code "/"} per application, well-formed {@code bindingInformation}. Stateless.
 */
final class SitesSection {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[0-9A-Za-z]+)?");

    private SitesSection() {}

    /**
     * Reads the sites.
     *
     * @param section       the merged sites section
     * @param baseDirectory what relative physical paths resolve against
     * @return the sites, in order
     * @throws ConfigException for anything IIS would refuse
     */
    static List<SiteConfig> read(ConfigElement section, Path baseDirectory) {
        Map<String, String> applicationDefaults = section.child("applicationDefaults")
                .map(ConfigElement::attributes)
                .orElse(Map.of());
        Map<String, String> virtualDirectoryDefaults = section.child("virtualDirectoryDefaults")
                .map(ConfigElement::attributes)
                .orElse(Map.of());
        Map<Long, ConfigElement> ids = new HashMap<>();
        List<SiteConfig> sites = new ArrayList<>();
        for (ConfigElement site : section.collection()) {
            String name = site.attribute("name").orElse("");
            if (name.isBlank() || name.contains("/") || name.contains("\\")) {
                throw new ConfigException(
                        site.attributeSource("name"),
                        "site name '" + name + "' is invalid: it must be non-empty and contain no '/' or '\\'");
            }
            long id = site.longAttribute("id", -1);
            if (site.attribute("id").isEmpty()) {
                throw new ConfigException(site.source(), "site '" + name + "' is missing the required attribute 'id'");
            }
            if (id < 1 || id > 0xFFFF_FFFFL) {
                throw new ConfigException(
                        site.attributeSource("id"), "site id must be between 1 and 4294967295, not " + id);
            }
            ConfigElement sameId = ids.putIfAbsent(id, site);
            if (sameId != null) {
                throw new ConfigException(
                        site.attributeSource("id"),
                        "site '" + name + "' has id " + id + ", already used by site '"
                                + sameId.attribute("name").orElse("") + "' at " + sameId.source());
            }
            boolean serverAutoStart = site.booleanAttribute("serverAutoStart", true);
            List<ApplicationConfig> applications = new ArrayList<>();
            for (ConfigElement application : site.collection()) {
                applications.add(
                        application(name, application, applicationDefaults, virtualDirectoryDefaults, baseDirectory));
            }
            if (applications.stream().noneMatch(a -> a.path().equals("/"))) {
                throw new ConfigException(site.source(), "site '" + name + "' has no root application (path \"/\")");
            }
            applications.sort(
                    (a, b) -> Boolean.compare(!a.path().equals("/"), !b.path().equals("/")));
            List<BindingConfig> bindings = new ArrayList<>();
            for (ConfigElement binding :
                    site.child("bindings").map(ConfigElement::collection).orElse(List.of())) {
                bindings.add(binding(binding));
            }
            sites.add(new SiteConfig(
                    name,
                    id,
                    serverAutoStart,
                    List.copyOf(bindings),
                    List.copyOf(applications),
                    hsts(site.child("hsts")
                            .or(() -> section.child("siteDefaults").flatMap(d -> d.child("hsts")))),
                    site.source()));
        }
        return List.copyOf(sites);
    }

    /** A site's {@code hsts} element (or siteDefaults'); IIS's defaults when neither has one. */
    private static SiteConfig.Hsts hsts(Optional<ConfigElement> element) {
        if (element.isEmpty()) {
            return SiteConfig.Hsts.NONE;
        }
        ConfigElement e = element.get();
        return new SiteConfig.Hsts(
                e.booleanAttribute("enabled", false),
                e.longAttribute("max-age", 0),
                e.booleanAttribute("includeSubDomains", false),
                e.booleanAttribute("preload", false),
                e.booleanAttribute("redirectHttpToHttps", false));
    }

    private static ApplicationConfig application(
            String siteName,
            ConfigElement application,
            Map<String, String> applicationDefaults,
            Map<String, String> virtualDirectoryDefaults,
            Path baseDirectory) {
        String path = application.attribute("path").orElse("");
        if (!path.startsWith("/")) {
            throw new ConfigException(
                    application.attributeSource("path"),
                    "application path '" + path + "' of site '" + siteName + "' must start with '/'");
        }
        String pool = application
                .attribute("applicationPool")
                .orElse(applicationDefaults.getOrDefault("applicationPool", ""));
        List<VirtualDirectoryConfig> directories = new ArrayList<>();
        for (ConfigElement directory : application.collection()) {
            directories.add(virtualDirectory(directory, virtualDirectoryDefaults, baseDirectory));
        }
        if (directories.stream().noneMatch(d -> d.path().equals("/"))) {
            throw new ConfigException(
                    application.source(),
                    "application '" + path + "' of site '" + siteName + "' has no root virtual directory (path \"/\")");
        }
        return new ApplicationConfig(path, pool, List.copyOf(directories), application.source());
    }

    private static VirtualDirectoryConfig virtualDirectory(
            ConfigElement directory, Map<String, String> virtualDirectoryDefaults, Path baseDirectory) {
        String path = directory.attribute("path").orElse("");
        if (!path.startsWith("/")) {
            throw new ConfigException(
                    directory.attributeSource("path"), "virtual directory path '" + path + "' must start with '/'");
        }
        Optional<String> physical = directory
                .attribute("physicalPath")
                .or(() -> Optional.ofNullable(virtualDirectoryDefaults.get("physicalPath")));
        if (physical.isEmpty() || physical.get().isBlank()) {
            throw new ConfigException(
                    directory.source(), "virtual directory '" + path + "' is missing the attribute 'physicalPath'");
        }
        return new VirtualDirectoryConfig(
                path,
                physicalPath(physical.get(), baseDirectory, directory.attributeSource("physicalPath")),
                directory.source());
    }

    /**
     * Resolves an expanded physical path: {@code \} becomes {@code /}, a relative path resolves
     * against the base directory, and the result is normalized.
     */
    static Path physicalPath(String expanded, Path baseDirectory, ConfigSource source) {
        try {
            return baseDirectory
                    .resolve(expanded.replace('\\', '/'))
                    .toAbsolutePath()
                    .normalize();
        } catch (InvalidPathException e) {
            throw new ConfigException(source, "physicalPath '" + expanded + "' is not a valid path: " + e.getReason());
        }
    }

    private static BindingConfig binding(ConfigElement binding) {
        String protocol = binding.attribute("protocol").orElse("");
        String information = binding.attribute("bindingInformation").orElse("");
        ConfigSource source = binding.attributeSource("bindingInformation");
        boolean web = protocol.equalsIgnoreCase("http") || protocol.equalsIgnoreCase("https");
        try {
            BindingConfig parsed = parseBindingInformation(protocol, information, binding.source());
            String hash = binding.attribute("certificateHash")
                    .orElse("")
                    .replace(" ", "")
                    .toUpperCase(Locale.ROOT);
            if (!hash.isEmpty() && !hash.matches("[0-9A-F]{40}")) {
                throw new ConfigException(
                        binding.attributeSource("certificateHash"),
                        "certificateHash '" + hash + "' is not a SHA-1 thumbprint (40 hexadecimal digits)");
            }
            return new BindingConfig(
                    parsed.protocol(),
                    parsed.ip(),
                    parsed.port(),
                    parsed.host(),
                    binding.longAttribute("sslFlags", 0),
                    hash,
                    binding.attribute("certificateStoreName").orElse("My"),
                    binding.booleanAttribute("weirNegotiateClientCertificate", false),
                    binding.attribute("weirSslCtlStoreName")
                            .filter(n -> !n.isBlank())
                            .orElse("Root"),
                    binding.source());
        } catch (IllegalArgumentException e) {
            if (!web) {
                // net.tcp ("808:*"), net.pipe ("*") ...: kept as written for other listeners.
                return new BindingConfig(protocol, "", 0, information, binding.source());
            }
            throw new ConfigException(
                    source,
                    "bindingInformation '" + information + "' of a " + protocol + " binding is invalid: "
                            + e.getMessage() + " (expected IP:port:host, e.g. *:80:)");
        }
    }

    /**
     * Parses {@code IP:port:host}: IP {@code *} or empty for all addresses, IPv6 in brackets, port
     * 0 to 65535, host possibly empty.
     */
    static BindingConfig parseBindingInformation(String protocol, String information, ConfigSource source) {
        String ip;
        String rest;
        if (information.startsWith("[")) {
            int close = information.indexOf(']');
            if (close < 0 || close + 1 >= information.length() || information.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("an IPv6 address must be written in brackets followed by ':'");
            }
            ip = information.substring(1, close);
            if (!IPV6.matcher(ip).matches() || !ip.contains(":")) {
                throw new IllegalArgumentException("'" + ip + "' is not an IPv6 address");
            }
            rest = information.substring(close + 2);
        } else {
            int colon = information.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("it has no port");
            }
            ip = information.substring(0, colon);
            if (ip.isEmpty() || ip.equals("*")) {
                ip = "*";
            } else if (!IPV4.matcher(ip).matches() || !validIpv4(ip)) {
                throw new IllegalArgumentException("'" + ip + "' is not an IP address or '*'");
            }
            rest = information.substring(colon + 1);
        }
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("the host part is missing (end with ':' for any host)");
        }
        String portText = rest.substring(0, colon);
        String host = rest.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + portText + "' is not a port number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        if (host.contains(":") || host.contains("/") || host.contains(" ")) {
            throw new IllegalArgumentException("'" + host + "' is not a host name");
        }
        return new BindingConfig(protocol, ip, port, host, source);
    }

    private static boolean validIpv4(String ip) {
        for (String part : ip.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
