package io.weir.cli.command;

import io.weir.api.config.ConfigException;
import io.weir.cli.edit.ApplicationHostText;
import io.weir.cli.edit.ConfigDocument;
import io.weir.cli.edit.ConfigFileText;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.EffectiveConfig;
import io.weir.config.SiteConfig;
import io.weir.config.SiteConfig.ApplicationConfig;
import io.weir.config.SiteConfig.VirtualDirectoryConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * How {@code weir set config --commit site|app|url} edits a web.config, with the guarantees of
 * {@link ConfigEdit} (on any failure nothing is written):
 * <ol>
 *   <li>applicationHost.config is loaded as the server would load it; a file Weir refuses is
 *       reported (exit 2) and nothing is edited;</li>
 *   <li>the web.config of the level appcmd's {@code /commit} names is read (or started as an empty
 *       {@code <configuration>} when the folder has none) and edited as text;</li>
 *   <li>the edited web.config is loaded with everything above it
 *       ({@link ApplicationHostConfig#withProposedWebConfig}), as the server would read it: a
 *       locked section ({@code overrideModeDefault="Deny"}, {@code <location overrideMode="Deny">}),
 *       a locked attribute or item, a section beyond its {@code allowDefinition}, a bad value or a
 *       duplicate entry refuses the edit with the file, line, column and reason (exit 1), where
 *       IIS would answer 500.19;</li>
 *   <li>the bytes go to a temporary file in the folder, moved over the web.config, unless it
 *       changed since it was read.</li>
 * </ol>
 */
final class WebConfigEdit {

    /** appcmd's {@code /commit} levels below applicationHost.config. */
    enum Commit {
        /** The web.config at the site's root. */
        SITE,
        /** The web.config at the root of the application that holds the URL. */
        APP,
        /** The web.config in the URL's own folder. */
        URL
    }

    private static final String EMPTY =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration>\n</configuration>\n";

    /** The web.config a commit level writes, its site, and the URL of its folder. */
    record Target(String site, Path file, String url) {}

    private WebConfigEdit() {}

    /**
     * Finds the web.config a commit level writes for a URL of a site, as IIS maps the URL to a
     * folder through the site's applications and virtual directories.
     *
     * @param site   the site
     * @param url    the URL path ({@code "/"} for the site root)
     * @param commit the level
     * @return the file and its folder's URL; empty when no virtual directory holds the URL
     */
    static Optional<Target> target(SiteConfig site, String url, Commit commit) {
        String path = url.length() > 1 && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        if (commit == Commit.SITE) {
            path = "/";
        } else if (commit == Commit.APP) {
            ApplicationConfig app = null;
            for (ApplicationConfig a : site.applications()) {
                if (covers(a.path(), path)
                        && (app == null || a.path().length() > app.path().length())) {
                    app = a;
                }
            }
            if (app == null) {
                return Optional.empty();
            }
            path = app.path();
        }
        String best = null;
        Path folder = null;
        for (ApplicationConfig application : site.applications()) {
            String prefix = application.path().equals("/") ? "" : application.path();
            for (VirtualDirectoryConfig directory : application.virtualDirectories()) {
                String full = prefix + (directory.path().equals("/") ? "" : directory.path());
                String virtual = full.isEmpty() ? "/" : full;
                if (covers(virtual, path) && (best == null || virtual.length() > best.length())) {
                    best = virtual;
                    folder = directory.physicalPath();
                }
            }
        }
        if (folder == null) {
            return Optional.empty();
        }
        String rest = path.substring(best.equals("/") ? 0 : best.length());
        for (String segment : rest.split("/")) {
            if (!segment.isEmpty()) {
                folder = folder.resolve(segment);
            }
        }
        return Optional.of(new Target(site.name(), folder.resolve("web.config"), path));
    }

    private static boolean covers(String parent, String url) {
        if (parent.equals("/")) {
            return true;
        }
        String p = parent.toLowerCase(Locale.ROOT);
        String u = url.toLowerCase(Locale.ROOT);
        return u.equals(p) || u.startsWith(p + "/");
    }

    /**
     * Runs an edit on a web.config.
     *
     * @param spec    the command, for its output streams
     * @param options {@code --config} (the applicationHost.config above the web.config) and {@code --var}
     * @param target  which web.config, from the loaded applicationHost.config; a
     *                {@link ConfigEdit.Refused} when there is none
     * @param edit    the edit, given the web.config's text ({@code <location>} path "" is its root)
     * @return the exit status, as {@link ConfigEdit#run}
     */
    static int run(CommandSpec spec, EditOptions options, TargetFinder target, ConfigEdit.Edit edit) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path appHost = options.file();
        err.println("Configuration: " + options.origin());
        err.flush();
        String label = appHost.toString();
        ApplicationHostConfig before;
        try {
            before = ApplicationHostConfig.load(appHost, options.variables());
        } catch (ConfigException e) {
            err.println("weir: " + e.source() + ": " + e.reason());
            err.println("weir: " + label + " is left as it is; fix it first");
            err.flush();
            return ConfigOptions.CONFIG_ERROR;
        }
        Path file = null;
        try {
            Target found = target.find(before);
            file = found.file();
            boolean exists = Files.isRegularFile(file);
            ConfigFileText text = exists ? ConfigFileText.read(file) : null;
            String original = exists ? text.text() : EMPTY;
            ConfigDocument document;
            try {
                document = new ConfigDocument(original, exists ? text.lineEnd() : "\n");
            } catch (IllegalArgumentException e) {
                throw new ConfigEdit.Refused(
                        "cannot follow the structure of " + file + " to edit it: " + e.getMessage());
            }
            List<String> messages = edit.apply(before, new ApplicationHostText(document));
            String edited = document.text();
            if (!edited.equals(original)) {
                byte[] bytes = exists ? text.encode(edited) : edited.getBytes(StandardCharsets.UTF_8);
                ApplicationHostConfig after = before.withProposedWebConfig(file, bytes);
                EffectiveConfig effective = after.effectiveConfig(found.site(), found.url());
                if (effective.error().isPresent()) {
                    ConfigException e = effective.error().get();
                    throw new ConfigEdit.Refused("the edit is refused: with it, "
                            + e.source().file() + " would not load"
                            + " (IIS answers 500.19): line " + e.source().line() + ", column "
                            + e.source().column()
                            + ": " + e.reason());
                }
                edit.verify(after);
                if (exists ? !Arrays.equals(Files.readAllBytes(file), text.bytes()) : Files.exists(file)) {
                    throw new ConfigEdit.Refused(file + " changed while it was being edited; nothing was written, run"
                            + " the command again");
                }
                if (exists) {
                    text.replace(bytes);
                } else {
                    create(file, bytes);
                }
            }
            messages.forEach(out::println);
            out.flush();
            return 0;
        } catch (ConfigEdit.Refused | IOException e) {
            err.println("weir: " + e.getMessage());
            err.println("weir: " + (file == null ? label : file) + " was not changed");
            err.flush();
            return ConfigEdit.REFUSED;
        }
    }

    private static void create(Path file, byte[] bytes) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new IOException("no folder " + folder + " for the web.config");
        }
        Path temp = Files.createTempFile(folder, ".web.config.", ".weir-edit");
        try {
            Files.write(temp, bytes);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Finds the web.config to edit in the loaded applicationHost.config. */
    interface TargetFinder {
        /**
         * @param config the loaded applicationHost.config
         * @return the web.config and its folder's URL
         * @throws ConfigEdit.Refused when the level has no web.config folder
         */
        Target find(ApplicationHostConfig config) throws ConfigEdit.Refused;
    }
}
