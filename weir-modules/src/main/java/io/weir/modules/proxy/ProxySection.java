package io.weir.modules.proxy;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigSectionType;
import java.time.Duration;

/**
 * The {@code system.webServer/proxy} section as the reverse proxy uses it, with Application
 * Request Routing's defaults; bound once per effective configuration.
 *
 * @param enabled                 {@code enabled}, default false: absolute rewrites and
 *                                {@code WEIR_PROXY_URL} proxy only when true
 * @param httpVersion             {@code httpVersion}, default PassThrough (the client's version;
 *                                HTTP/2 clients are forwarded as HTTP/1.1)
 * @param keepAlive               {@code keepAlive}, default true: backend connections are pooled
 * @param timeout                 {@code timeout}, default 2 minutes: how long a backend may stay
 *                                silent before the client gets 502.3
 * @param preserveHostHeader      {@code preserveHostHeader}, default false: the backend gets the
 *                                target URL's host, not the client's {@code Host}
 * @param reverseRewriteHostInResponseHeaders {@code reverseRewriteHostInResponseHeaders}, default
 *                                true: a {@code Location} or {@code Content-Location} naming the
 *                                backend is rewritten to the client's host
 * @param xForwardedForHeaderName {@code xForwardedForHeaderName}, default {@code X-Forwarded-For}
 * @param includePortInXForwardedFor {@code includePortInXForwardedFor}, default true
 * @param maxResponseHeaderSize   {@code maxResponseHeaderSize} in KiB, default 96
 * @param responseBufferLimit     {@code responseBufferLimit} in bytes, default 4 MiB: a response
 *                                up to this size is buffered and sent with a
 *                                {@code Content-Length}; beyond it, it is streamed
 * @param logGuidName             {@code logGuidName}, default {@code X-ARR-LOG-ID}: the request
 *                                header carrying a per-request id to the backend
 */
public record ProxySection(
        boolean enabled,
        HttpVersion httpVersion,
        boolean keepAlive,
        Duration timeout,
        boolean preserveHostHeader,
        boolean reverseRewriteHostInResponseHeaders,
        String xForwardedForHeaderName,
        boolean includePortInXForwardedFor,
        int maxResponseHeaderSize,
        long responseBufferLimit,
        String logGuidName) {

    /** Binds {@code system.webServer/proxy}; keep this one instance. */
    public static final ConfigSectionType<ProxySection> SECTION =
            ConfigSectionType.of("system.webServer/proxy", ProxySection::from);

    /**
     * Binds the merged section.
     *
     * @param section the merged {@code proxy} element
     * @return the record
     */
    public static ProxySection from(ConfigElement section) {
        return new ProxySection(
                section.booleanAttribute("enabled", false),
                section.enumAttribute("httpVersion", HttpVersion.class, HttpVersion.PASS_THROUGH),
                section.booleanAttribute("keepAlive", true),
                section.timeSpanAttribute("timeout", Duration.ofMinutes(2)),
                section.booleanAttribute("preserveHostHeader", false),
                section.booleanAttribute("reverseRewriteHostInResponseHeaders", true),
                section.attribute("xForwardedForHeaderName")
                        .orElse("X-Forwarded-For")
                        .strip(),
                section.booleanAttribute("includePortInXForwardedFor", true),
                (int) section.longAttribute("maxResponseHeaderSize", 96),
                section.longAttribute("responseBufferLimit", 4_194_304L),
                section.attribute("logGuidName").orElse("X-ARR-LOG-ID").strip());
    }

    /** ARR's {@code httpVersion} values. */
    public enum HttpVersion {
        /** {@code PassThrough}: the client's version (HTTP/2 and above become HTTP/1.1). */
        PASS_THROUGH,
        /** {@code Http10}: always HTTP/1.0. */
        HTTP10,
        /** {@code Http11}: always HTTP/1.1. */
        HTTP11
    }
}
