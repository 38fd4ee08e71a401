package io.weir.cli.command;

import io.weir.api.config.ConfigException;
import io.weir.cli.Verbosity;
import io.weir.config.ApplicationHostConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code weir init [DIR]}: writes {@code applicationHost.config} in the working directory, a copy
 * of the embedded default configuration (with its comments) whose site "Default Web Site" is rooted
 * at {@code DIR} and listens on {@code --port}. Every later command run in that directory finds the
 * file without {@code --config}: {@code serve}, {@code list} and {@code explain} read it, the
 * editing commands ({@code install module}, {@code add site}, {@code set config}, ...) change it.
 *
 * <p>The site's folder is written relative to the file's folder when it lies inside it (so the
 * folder can be moved or committed), else as an absolute path; it is created when missing, with an
 * {@code index.html} so that the first request has something to show. An existing file is never
 * replaced unless {@code --force} is given. The written file is loaded as the server would load it
 * before the command reports success.
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Writes applicationHost.config in the current directory: the embedded default configuration, with"
                    + " its comments, serving DIR as the site \"Default Web Site\". Every weir command run in this"
                    + " directory then uses it (serve, list and explain read it; install, add, delete and set edit it)."
        },
        footer = {"", "Examples:", "  weir init", "  weir init public --port 9000"},
        sortOptions = false)
public final class InitCommand implements Callable<Integer> {

    /** The embedded default configuration, as a class-path resource of weir-config. */
    static final String EMBEDDED_RESOURCE = "/io/weir/config/applicationHost.config";

    private static final String ROOT_PLACEHOLDER = "physicalPath=\"%" + ConfigOptions.SITE_ROOT_VARIABLE + "%\"";
    private static final String DEFAULT_BINDING = "bindingInformation=\"*:8080:\"";

    @Spec
    private CommandSpec spec;

    @Mixin
    private Verbosity verbosity;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "DIR",
            defaultValue = "wwwroot",
            description = "The folder the site serves (default: ${DEFAULT-VALUE}); created when missing.")
    private Path root;

    @Option(
            names = "--port",
            paramLabel = "N",
            defaultValue = "8080",
            description = "The site's port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    private int port;

    @Option(names = "--force", description = "Replace an existing applicationHost.config.")
    private boolean force;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65_535) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--port must be between 0 and 65535, got " + port);
        }
        Path file = Path.of(EditOptions.DEFAULT_FILE).toAbsolutePath().normalize();
        if (Files.exists(file) && !force) {
            err.println("weir: " + file + " already exists; it was not changed (--force replaces it)");
            err.flush();
            return ConfigEdit.REFUSED;
        }
        Path folder = file.getParent();
        Path site = root.toAbsolutePath().normalize();
        if (Files.exists(site) && !Files.isDirectory(site)) {
            err.println("weir: " + root + " is not a folder; nothing was written");
            err.flush();
            return ConfigEdit.REFUSED;
        }
        String text = configurationText(
                site.startsWith(folder) && !site.equals(folder)
                        ? folder.relativize(site).toString().replace('\\', '/')
                        : site.toString(),
                port);
        boolean created = !Files.isDirectory(site);
        if (created) {
            Files.createDirectories(site);
            Files.writeString(site.resolve("index.html"), """
                    <!doctype html>
                    <meta charset="utf-8">
                    <title>Weir</title>
                    <p>This folder is served by Weir. Replace this file with your site.</p>
                    """, StandardCharsets.UTF_8);
        }
        Path temporary = Files.createTempFile(folder, ".applicationHost", ".config");
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try {
                ApplicationHostConfig.load(temporary, Map.of());
            } catch (ConfigException e) {
                err.println("weir: the written configuration does not load ("
                        + e.source().line() + ":" + e.source().column() + ": " + e.reason() + "); nothing was written");
                err.flush();
                return ConfigEdit.REFUSED;
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        out.println("Wrote " + file + ": site \"" + ServeCommand.DEFAULT_SITE + "\" on port " + port + ", serving "
                + site + (created ? " (created, with an index.html)" : ""));
        out.println("Every weir command run in " + folder + " now uses it: weir serve, weir list sites,"
                + " weir install module ...");
        out.flush();
        return 0;
    }

    /**
     * The embedded default configuration's text, with its site rooted at {@code physicalPath} on
     * {@code port} and a first comment that says where the file came from.
     *
     * @param physicalPath the folder, as written in the file
     * @param port         the port of the site's http binding
     * @return the text
     * @throws IOException when the embedded default cannot be read
     */
    static String configurationText(String physicalPath, int port) throws IOException {
        String text;
        try (InputStream in = ApplicationHostConfig.class.getResourceAsStream(EMBEDDED_RESOURCE)) {
            if (in == null) {
                throw new IOException(
                        "the embedded default configuration " + EMBEDDED_RESOURCE + " is not on the class path");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!text.contains(ROOT_PLACEHOLDER) || !text.contains(DEFAULT_BINDING)) {
            throw new IOException(
                    "the embedded default configuration no longer has " + ROOT_PLACEHOLDER + " and " + DEFAULT_BINDING);
        }
        int start = text.indexOf("<!--");
        int end = text.indexOf("-->", start);
        String header = """
                <!--
                  Written by "weir init" from Weir's built-in configuration. Every weir command run in this
                  folder uses this file: "weir serve" serves it (and applies edits without a restart),
                  "weir list sites" and "weir explain /" read it, "weir install module", "weir add site" and
                  "weir set config" edit it. Elsewhere, name it with the config option ("weir help serve").

                  It is written in IIS's configuration vocabulary (applicationHost.config). A relative
                  physicalPath is relative to this file's folder.
                """;
        return text.substring(0, start)
                + header
                + text.substring(end)
                        .replace(ROOT_PLACEHOLDER, "physicalPath=\"" + xmlAttribute(physicalPath) + "\"")
                        .replace(DEFAULT_BINDING, "bindingInformation=\"*:" + port + ":\"");
    }

    private static String xmlAttribute(String value) {
        return value.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
    }
}
