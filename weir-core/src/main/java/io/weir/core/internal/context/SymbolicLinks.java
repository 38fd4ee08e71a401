package io.weir.core.internal.context;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code system.webServer/weirSymbolicLinks} section: whether files are served through
 * symbolic links. IIS (and nginx by default) follow links, so a link in a content folder can
 * publish any file the server can read; this Weir section, modelled on nginx's
 * {@code disable_symlinks}, can refuse links that resolve outside the content root, or all links.
 * It may be set per site, application or folder (a {@code location} or a web.config).
 *
 * <p>The content root is the physical path of the virtual directory that maps the URL. A refused
 * file counts as absent: the request is answered as for a missing file (404.0 from the static
 * file handler). Checking resolves the path on disk ({@link Path#toRealPath}) on each request
 * that looks a file up, so it costs a few system calls when it is on, none when it is off.
 *
 * @param mode the {@code mode} attribute
 */
public record SymbolicLinks(Mode mode) {

    /** The {@code mode} values. */
    public enum Mode {
        /** Links are followed wherever they lead (IIS's and nginx's behaviour; the default). */
        FOLLOW,
        /** A file whose real path is outside the content root's real path is refused. */
        REFUSE_OUTSIDE_ROOT,
        /** A file reached through a link anywhere below the content root is refused. */
        REFUSE_ALL
    }

    /** Binds {@code system.webServer/weirSymbolicLinks}. */
    public static final ConfigSectionType<SymbolicLinks> SECTION =
            ConfigSectionType.of("system.webServer/weirSymbolicLinks", section -> {
                String mode = section.attribute("mode").orElse("Follow");
                return new SymbolicLinks(
                        switch (mode) {
                            case "Follow" -> Mode.FOLLOW;
                            case "RefuseOutsideRoot" -> Mode.REFUSE_OUTSIDE_ROOT;
                            case "RefuseAll" -> Mode.REFUSE_ALL;
                            default ->
                                throw new ConfigException(
                                        section.source(),
                                        "weirSymbolicLinks mode must be Follow, RefuseOutsideRoot or RefuseAll, not '"
                                                + mode + "'");
                        });
            });

    /**
     * Tells whether a file may be served under this rule.
     *
     * @param file the file's physical path (absolute, normalized)
     * @param root the content root it was mapped under
     * @return true when the mode is {@code Follow}, or the file passes the mode's check; false
     *         when it does not, or its real path cannot be read
     */
    public boolean allows(Path file, Path root) {
        if (mode == Mode.FOLLOW) {
            return true;
        }
        try {
            Path real = file.toRealPath();
            Path realRoot = root.toRealPath();
            if (mode == Mode.REFUSE_OUTSIDE_ROOT) {
                return real.startsWith(realRoot);
            }
            // every component below the root must be what it names, not a link
            Path expected = file.startsWith(root) ? realRoot.resolve(root.relativize(file)) : file;
            return real.equals(expected);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
