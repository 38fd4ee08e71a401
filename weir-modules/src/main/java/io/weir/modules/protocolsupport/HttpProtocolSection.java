package io.weir.modules.protocolsupport;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code system.webServer/httpProtocol} section as ProtocolSupportModule uses it, with IIS's
 * schema defaults; bound once per effective configuration.
 *
 * @param allowKeepAlive  {@code allowKeepAlive}, default true; false closes the connection after
 *                        every response ({@code Connection: close})
 * @param customHeaders   {@code customHeaders}: added to every response
 * @param redirectHeaders {@code redirectHeaders}: added to redirect responses only
 */
public record HttpProtocolSection(boolean allowKeepAlive, List<Header> customHeaders, List<Header> redirectHeaders) {

    /** Binds {@code system.webServer/httpProtocol}; keep this one instance. */
    public static final ConfigSectionType<HttpProtocolSection> SECTION =
            ConfigSectionType.of("system.webServer/httpProtocol", HttpProtocolSection::from);

    /**
     * Copies the lists.
     *
     * @param allowKeepAlive  see the class description
     * @param customHeaders   see the class description
     * @param redirectHeaders see the class description
     */
    public HttpProtocolSection {
        customHeaders = List.copyOf(customHeaders);
        redirectHeaders = List.copyOf(redirectHeaders);
    }

    /**
     * Binds the merged section.
     *
     * @param section the merged {@code httpProtocol} element
     * @return the record
     * @throws ConfigException when a header has no name, or a name or value that cannot be sent
     *                         (not a token, or CR, LF or NUL in the value)
     */
    public static HttpProtocolSection from(ConfigElement section) {
        return new HttpProtocolSection(
                section.booleanAttribute("allowKeepAlive", true),
                headers(section.child("customHeaders")),
                headers(section.child("redirectHeaders")));
    }

    /**
     * Tells whether the section changes nothing (no headers, keep-alive allowed): the module then
     * does nothing for the request.
     *
     * @return true for the default section
     */
    public boolean changesNothing() {
        return allowKeepAlive && customHeaders.isEmpty() && redirectHeaders.isEmpty();
    }

    private static List<Header> headers(Optional<ConfigElement> element) {
        if (element.isEmpty()) {
            return List.of();
        }
        List<Header> headers = new ArrayList<>();
        for (ConfigElement item : element.get().collection()) {
            String name = item.attribute("name").orElse("").trim();
            String value = item.attribute("value").orElse("");
            if (name.isEmpty() || !isToken(name)) {
                throw new ConfigException(
                        item.attributeSource("name"), "header name '" + name + "' is not an HTTP token");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0) {
                throw new ConfigException(
                        item.attributeSource("value"), "the value of header '" + name + "' holds CR, LF or NUL");
            }
            headers.add(new Header(name, value));
        }
        return headers;
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * One {@code <add name value>}.
     *
     * @param name  the header name (the collection's key, compared without case)
     * @param value the value, sent as written
     */
    public record Header(String name, String value) {}
}
