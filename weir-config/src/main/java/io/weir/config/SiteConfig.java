package io.weir.config;

import io.weir.api.config.ConfigSource;
import java.util.List;

/**
 * One {@code system.applicationHost/sites/site}.
 *
 * @param name            the site's name
 * @param id              the site's id
 * @param serverAutoStart whether it starts with the server
 * @param bindings        its bindings, in order
 * @param applications    its applications, in order ("/" first when present)
 * @param source          where the site was written
 */
public record SiteConfig(String name, long id, boolean serverAutoStart, List<BindingConfig> bindings,
        List<ApplicationConfig> applications, ConfigSource source) {

    /**
     * One {@code binding}: {@code protocol} and {@code bindingInformation} = {@code IP:port:host}.
     *
     * @param protocol "http" or "https"
     * @param ip       "*" for all addresses, else a literal address (IPv6 without brackets)
     * @param port     the port, 0 for any free port
     * @param host     the Host header to match, "" for any
     * @param source   where it was written
     */
    public record BindingConfig(String protocol, String ip, int port, String host, ConfigSource source) {
    }

    /**
     * One {@code application}.
     *
     * @param path               its virtual path, "/" for the root application
     * @param applicationPool    its pool's name, "" when none
     * @param virtualDirectories its virtual directories, paths relative to the application
     * @param source             where it was written
     */
    public record ApplicationConfig(String path, String applicationPool, List<VirtualDirectoryConfig> virtualDirectories,
            ConfigSource source) {
    }

    /**
     * One {@code virtualDirectory}.
     *
     * @param path         relative to its application, "/" for the application root
     * @param physicalPath absolute, expanded and normalized
     * @param source       where it was written
     */
    public record VirtualDirectoryConfig(String path, java.nio.file.Path physicalPath, ConfigSource source) {
    }
}
