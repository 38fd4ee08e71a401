package io.weir.api.http;

import java.nio.file.Path;

/**
 * The configuration metadata of the URL a request is for; mirrors IIS's {@code IMetadataInfo},
 * which {@code IHttpContext::GetMetadata} returns. One object per site and URL path, kept with the
 * server's per-URL entry ({@link HttpContext#urlInfo()}): it lives as long as that entry (dropped
 * after 2 minutes unused, at 10,000 URLs, when the configuration changes and when the server
 * stops), and so does what modules store in its container. Thread-safe.
 *
 * <p>IIS's {@code GetVrToken} (the impersonation token of the virtual directory's
 * {@code userName}) has no counterpart: Weir serves every request as the server's own user. The
 * site's id and the URL's mapped file are on the context ({@link HttpContext#site()},
 * {@link HttpContext#physicalPath()}).
 */
public interface HttpMetadataInfo {

    /**
     * Returns the configuration path of the URL, the path IIS reads configuration for; mirrors
     * {@code GetMetaPath}.
     *
     * @return {@code MACHINE/WEBROOT/APPHOST/}, the site's name, then the URL path without its
     *         trailing slash, for example {@code "MACHINE/WEBROOT/APPHOST/Default Web Site/app/page.htm"},
     *         or {@code "MACHINE/WEBROOT/APPHOST/Default Web Site"} for {@code /}
     */
    String metaPath();

    /**
     * Returns the physical path of the virtual directory that holds the URL; mirrors
     * {@code GetVrPath}.
     *
     * @return the virtual directory's {@code physicalPath}, absolute, after {@code %VAR%}
     *         expansion
     */
    Path vrPath();

    /**
     * Returns the store that lives with this metadata; mirrors {@code GetModuleContextContainer}.
     * Set-once per module; what modules stored is cleaned up when the entry is dropped.
     *
     * @return the container, never null
     */
    HttpModuleContextContainer moduleContextContainer();
}
