package io.weir.core.inspect;

import java.nio.file.Path;

/**
 * Where a URL of a site maps: its application and the physical path, as IIS's
 * {@code IHttpContext::MapPath} answers it.
 *
 * @param applicationPath the virtual path of the application that serves the URL ({@code "/"} for the root)
 * @param physicalPath    the physical path of the URL
 * @param contentRoot     the physical path of the virtual directory that maps the URL
 */
public record MappedUrl(String applicationPath, Path physicalPath, Path contentRoot) {}
