package io.weir.api.http;

import java.util.List;

/**
 * How a response may be cached by the server's output caches; mirrors the parts of IIS's
 * {@code IHttpCachePolicy} that apply to Weir. Used on the request's event loop only.
 */
public interface HttpCachePolicy {

    /**
     * Opts this response out of the transport-level (kernel-cache-like) response cache; mirrors
     * {@code IHttpResponse::DisableKernelCache}.
     */
    void disableKernelCache();

    /**
     * Tells whether the transport-level cache may still store this response.
     *
     * @return false after {@link #disableKernelCache()}
     */
    boolean isKernelCacheEnabled();

    /**
     * Adds a request header by which cached copies vary; mirrors {@code AppendVaryByHeader}.
     *
     * @param header the header name
     */
    void appendVaryByHeader(String header);

    /**
     * Returns the headers by which cached copies vary.
     *
     * @return the header names, in the order added
     */
    List<String> varyByHeaders();
}
