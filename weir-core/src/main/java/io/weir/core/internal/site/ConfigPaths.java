package io.weir.core.internal.site;

import io.weir.config.SiteConfig;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps physical folders to IIS configuration paths ({@code MACHINE/WEBROOT/APPHOST/site/url}), the
 * names GL_CONFIGURATION_CHANGE gives a changed web.config. Stateless; any thread.
 */
public final class ConfigPaths {

    /** IIS's configuration path of applicationHost.config, what GL_CONFIGURATION_CHANGE names for it. */
    public static final String APPHOST_CONFIG_PATH = "MACHINE/WEBROOT/APPHOST";

    private ConfigPaths() {}

    /**
     * Maps a physical folder to IIS's configuration path of the URL it serves, as a web.config in
     * that folder would be named: the deepest virtual directory (of the given started sites) whose
     * folder contains it.
     *
     * @param sites  the sites served
     * @param folder an absolute folder
     * @return e.g. {@code "MACHINE/WEBROOT/APPHOST/Default Web Site/docs"}, or empty when no site serves it
     */
    public static Optional<String> configPathOf(Iterable<ServedSite> sites, Path folder) {
        Path f = folder.toAbsolutePath().normalize();
        String best = null;
        int bestDepth = -1;
        for (ServedSite site : sites) {
            for (SiteConfig.ApplicationConfig app : site.config().applications()) {
                for (SiteConfig.VirtualDirectoryConfig vd : app.virtualDirectories()) {
                    Path root = vd.physicalPath().toAbsolutePath().normalize();
                    if (f.startsWith(root) && root.getNameCount() > bestDepth) {
                        String url = joinUrl(
                                joinUrl(app.path(), vd.path()),
                                root.relativize(f).toString());
                        best = APPHOST_CONFIG_PATH + "/" + site.siteName() + (url.equals("/") ? "" : url);
                        bestDepth = root.getNameCount();
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static String joinUrl(String a, String b) {
        String left = a.replace('\\', '/');
        String right = b.replace('\\', '/');
        while (left.endsWith("/")) {
            left = left.substring(0, left.length() - 1);
        }
        while (right.startsWith("/")) {
            right = right.substring(1);
        }
        return right.isEmpty() ? (left.isEmpty() ? "/" : left) : left + "/" + right;
    }
}
