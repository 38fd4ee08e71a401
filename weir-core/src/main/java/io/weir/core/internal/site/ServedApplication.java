package io.weir.core.internal.site;

import io.weir.api.http.HttpApplication;
import io.weir.api.http.HttpModuleContextContainer;
import io.weir.core.internal.stored.ContextContainer;
import java.nio.file.Path;
import java.util.List;

/**
 * An application of a served site, with its virtual directories sorted longest path first.
 */
public final class ServedApplication implements HttpApplication {

    /** A virtual directory: {@code urlPrefix} (absolute within the site, no trailing '/') maps to {@code root}. */
    record VirtualDirectory(String urlPrefix, Path root) {}

    private final ServedSite site;
    private final String virtualPath;
    private final String prefix;
    private final List<VirtualDirectory> directories;
    private final ContextContainer container;

    ServedApplication(
            ServedSite site, String virtualPath, List<VirtualDirectory> directories, ServedApplication earlier) {
        this.site = site;
        this.virtualPath = virtualPath;
        this.prefix = virtualPath.equals("/") ? "" : virtualPath;
        this.directories = directories;
        this.container = earlier != null ? earlier.container : new ContextContainer();
    }

    List<VirtualDirectory> directories() {
        return directories;
    }

    /**
     * Identifies the application's definition across configuration reloads: its site's id and
     * name, its virtual path and its virtual directories with their folders. Two generations whose
     * applications have the same key run "the same" application: it is neither stopped nor started
     * by the reload (no APPLICATION_STOP/START) and keeps its module context container.
     *
     * @return the key
     */
    public String definitionKey() {
        return site.siteId() + "|" + site.siteName() + "|" + virtualPath + "|" + directories;
    }

    /** @return the site this application belongs to */
    public ServedSite site() {
        return site;
    }

    String prefix() {
        return prefix;
    }

    /**
     * Returns the physical root of the virtual directory that maps a URL path of this application:
     * the folder the symbolic-link rule keeps files inside.
     *
     * @param urlPath an absolute path with no "." or ".." segments
     * @return the virtual directory's physical path
     */
    public Path contentRoot(String urlPath) {
        for (VirtualDirectory d : directories) {
            if (SiteRouter.isPrefix(d.urlPrefix(), urlPath)) {
                return d.root();
            }
        }
        return directories.get(directories.size() - 1).root();
    }

    /**
     * Maps a decoded, normalized URL path of this application to a physical path (without MAP_PATH
     * modules, which the request context applies on top).
     *
     * @param urlPath an absolute path with no "." or ".." segments
     * @return the physical path; it stays inside the virtual directory's root
     */
    public Path mapPath(String urlPath) {
        for (VirtualDirectory d : directories) {
            if (SiteRouter.isPrefix(d.urlPrefix(), urlPath)) {
                String rest = urlPath.substring(d.urlPrefix().length());
                while (rest.startsWith("/")) {
                    rest = rest.substring(1);
                }
                if (rest.isEmpty()) {
                    return d.root();
                }
                Path mapped = d.root().resolve(rest).normalize();
                return mapped.startsWith(d.root()) ? mapped : d.root();
            }
        }
        return directories
                .get(directories.size() - 1)
                .root()
                .resolve(urlPath.substring(1))
                .normalize();
    }

    @Override
    public Path applicationPhysicalPath() {
        return mapPath(virtualPath);
    }

    @Override
    public String virtualPath() {
        return virtualPath;
    }

    @Override
    public String applicationId() {
        return "/LM/W3SVC/" + site.siteId() + "/ROOT" + prefix;
    }

    @Override
    public String appConfigPath() {
        return "MACHINE/WEBROOT/APPHOST/" + site.siteName() + prefix;
    }

    @Override
    public HttpModuleContextContainer moduleContextContainer() {
        return container;
    }

    @Override
    public String toString() {
        return site.siteName() + virtualPath;
    }
}
