package io.weir.config;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.schema.SchemaFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the schema files a configuration is read with, as IIS reads every file of
 * {@code inetsrv\config\schema}: the {@code *.xml} files of the {@code schema} folder beside
 * applicationHost.config (in name order), the {@value #RESOURCE_FOLDER}{@code *.xml} entries of
 * the module JARs named by {@code <globalModules>} ({@code image}), and the same resources on the
 * server's class path (modules installed with {@code type=} only). A file found twice (a JAR both
 * installed and on the class path) is read once. Stateless.
 */
final class SchemaSources {

    /** Where a module JAR keeps its schema files. */
    static final String RESOURCE_FOLDER = SchemaFile.RESOURCE_FOLDER;

    /** The folder beside applicationHost.config that holds schema files. */
    static final String FOLDER = "schema";

    private SchemaSources() {}

    /**
     * Reads the schema files.
     *
     * @param folder      the schema folder (absent or null: none)
     * @param images      the module JARs, absolute (missing files and non-JARs are skipped: the
     *                    module loader reports them)
     * @param classLoader the class path to search, or null for none
     * @return the files, folder first, then images, then the class path
     * @throws ConfigException with file, line, column and reason for a file that is refused
     */
    static List<SchemaFile> read(Path folder, List<Path> images, ClassLoader classLoader) {
        Map<String, SchemaFile> files = new LinkedHashMap<>();
        if (folder != null && Files.isDirectory(folder)) {
            List<Path> found = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                for (Path entry : entries) {
                    if (entry.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml")
                            && Files.isRegularFile(entry)) {
                        found.add(entry);
                    }
                }
            } catch (IOException e) {
                throw new ConfigException(
                        new ConfigSource(folder.toString(), 0, 0),
                        "cannot list the schema folder: " + e.getMessage(),
                        e);
            }
            found.sort(null);
            for (Path file : found) {
                files.putIfAbsent(file.toString(), SchemaFile.read(file));
            }
        }
        for (Path image : images) {
            if (image.getFileName() != null
                    && image.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar")
                    && Files.isRegularFile(image)) {
                readJar(image, files);
            }
        }
        if (classLoader != null) {
            readClassPath(classLoader, files);
        }
        return List.copyOf(files.values());
    }

    private static void readJar(Path jar, Map<String, SchemaFile> files) {
        try {
            for (SchemaFile file : SchemaFile.readJar(jar)) {
                files.putIfAbsent(file.label(), file);
            }
        } catch (IOException e) {
            // an unreadable JAR: the module loader reports it when it loads the module
        }
    }

    private static void readClassPath(ClassLoader classLoader, Map<String, SchemaFile> files) {
        Enumeration<URL> folders;
        try {
            folders = classLoader.getResources(RESOURCE_FOLDER.substring(0, RESOURCE_FOLDER.length() - 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (folders.hasMoreElements()) {
            URL url = folders.nextElement();
            try {
                if (url.getProtocol().equals("file")) {
                    Path folder = Path.of(url.toURI());
                    List<Path> found = new ArrayList<>();
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*.xml")) {
                        entries.forEach(found::add);
                    }
                    found.sort(null);
                    for (Path file : found) {
                        files.putIfAbsent(file.toString(), SchemaFile.read(file));
                    }
                } else if (url.getProtocol().equals("jar")
                        && url.openConnection() instanceof JarURLConnection connection) {
                    readJar(Path.of(connection.getJarFileURL().toURI()), files);
                }
            } catch (IOException | URISyntaxException | IllegalArgumentException e) {
                // a class path entry that cannot be listed has no schema Weir can read
            }
        }
    }
}
