package io.weir.api.provider;

import java.nio.file.Path;

/**
 * The provider of MAP_PATH; mirrors IIS's {@code IMapPathProvider}.
 */
public interface MapPathProvider extends HttpEventProvider {

    /**
     * Returns the URL being mapped.
     *
     * @return the absolute URL path
     */
    String url();

    /**
     * Returns the physical path computed so far.
     *
     * @return the absolute path
     */
    Path physicalPath();

    /**
     * Overrides the physical path. Mirrors {@code SetPhysicalPath}.
     *
     * @param path the absolute path to use
     */
    void setPhysicalPath(Path path);
}
