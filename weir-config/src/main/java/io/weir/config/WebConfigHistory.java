package io.weir.config;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;
import io.weir.config.xml.ConfigXmlReader;
import io.weir.config.xml.XmlElement;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What hot reload remembers of web.config files across cache drops: the last good version of each
 * folder's web.config (its XML and its configSource files' XML, kept so that it can be parsed again
 * without I/O), and which refused versions were already logged. Shared by the {@link ConfigTree}s
 * of one snapshot and handed on to the snapshot that replaces it
 * ({@link ApplicationHostConfig#withWebConfigHistoryOf}). Whether a version is valid is the tree's
 * decision; this class only reads files and remembers. Thread-safe.
 */
final class WebConfigHistory {

    /** The last version of a folder's web.config that was valid: its XML and its configSource files' XML. */
    private record GoodVersion(Path file, XmlElement root, Map<Path, XmlElement> sources) {}

    /**
     * A web.config read from disk: the file, and what re-reading it later without I/O needs (its
     * root element and the root elements of the configSource files it read).
     *
     * @param file        the structure or the error
     * @param root        the parsed root element, null when the XML was not well-formed or unreadable
     * @param sources     configSource file to its root element, for those read successfully
     * @param sourceFiles every configSource file it named (read or not)
     * @param version     identifies the bytes of the file and its configSource files
     */
    record ReadWebConfig(
            WebConfigFile file,
            XmlElement root,
            Map<Path, XmlElement> sources,
            List<Path> sourceFiles,
            String version) {}

    /** Reads configSource files from disk, keeping their root elements and a digest of their bytes. */
    private static final class RecordingSourceReader implements ConfigurationFile.SourceReader {
        final Map<Path, XmlElement> roots = new LinkedHashMap<>();
        final List<Path> paths = new ArrayList<>();
        final StringBuilder digest = new StringBuilder();

        @Override
        public XmlElement read(Path target) throws IOException {
            paths.add(target);
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(target);
            } catch (IOException e) {
                digest.append('|').append(target).append(":missing");
                throw e;
            }
            digest.append('|').append(target).append(':').append(digest(bytes));
            XmlElement root = ConfigXmlReader.read(target.toString(), new ByteArrayInputStream(bytes));
            roots.put(target, root);
            return root;
        }
    }

    /** Absolute, normalized folder to the last good version of its web.config. */
    private final ConcurrentHashMap<Path, GoodVersion> lastGood = new ConcurrentHashMap<>();
    /** web.config, version and message of every refusal logged since its last good version was read. */
    private final Set<String> refusalsLogged = ConcurrentHashMap.newKeySet();

    /**
     * Reads a web.config and the configSource files it names from disk.
     *
     * @param file    the web.config
     * @param context its place in the configuration
     * @return the file as read (its structure or why it was refused), never null
     */
    static ReadWebConfig read(Path file, ConfigurationFile.Context context) {
        return read(file, null, context);
    }

    /**
     * Reads a web.config, or takes its content from a proposed edit.
     *
     * @param proposed the bytes to read instead of the file's, null to read the file
     */
    static ReadWebConfig read(Path file, byte[] proposed, ConfigurationFile.Context context) {
        byte[] bytes;
        try {
            bytes = proposed != null ? proposed : Files.readAllBytes(file);
        } catch (IOException e) {
            ConfigException error = new ConfigException(
                    new ConfigSource(file.toString(), 0, 0),
                    "cannot read the configuration file: " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    e);
            return new ReadWebConfig(new WebConfigFile(file, null, error), null, Map.of(), List.of(), "unreadable");
        }
        RecordingSourceReader sources = new RecordingSourceReader();
        XmlElement root = null;
        WebConfigFile read;
        try {
            root = ConfigXmlReader.read(file.toString(), new ByteArrayInputStream(bytes));
            ConfigurationFile parsed = ConfigurationFile.read(root, context, sources);
            if (!parsed.unsupportedSections().isEmpty()) {
                ConfigTree.LOG.info(
                        "{}: sections Weir does not implement (ignored): {}",
                        file,
                        String.join(", ", parsed.unsupportedSections()));
            }
            read = new WebConfigFile(file, parsed, null);
        } catch (ConfigException e) {
            read = new WebConfigFile(file, null, e);
        }
        return new ReadWebConfig(
                read, root, Map.copyOf(sources.roots), List.copyOf(sources.paths), digest(bytes) + sources.digest);
    }

    /**
     * Remembers a version that was found valid as its folder's last good one; a later bad version
     * of the file is a new refusal, logged again even if it was seen before.
     *
     * @param folder the web.config's folder
     * @param read   the valid version
     */
    void remember(Path folder, ReadWebConfig read) {
        Path file = read.file().file();
        lastGood.put(key(folder), new GoodVersion(file, read.root(), read.sources()));
        String prefix = file + "\u0000";
        refusalsLogged.removeIf(k -> k.startsWith(prefix));
    }

    /**
     * Forgets a folder's last good version (its web.config was deleted: nothing to fall back on if
     * one appears bad).
     *
     * @param folder the folder
     */
    void forget(Path folder) {
        lastGood.remove(key(folder));
    }

    /**
     * The last good version of a folder's web.config, parsed again for its place now (the files
     * above may have changed) from the XML kept when it was read, without I/O.
     *
     * @param folder  the folder
     * @param context the version's place in the configuration now
     * @return the version, or null when there is none or it no longer parses at this place
     */
    WebConfigFile lastGood(Path folder, ConfigurationFile.Context context) {
        GoodVersion good = lastGood.get(key(folder));
        if (good == null) {
            return null;
        }
        try {
            ConfigurationFile parsed = ConfigurationFile.read(good.root(), context, target -> {
                XmlElement root = good.sources().get(target);
                if (root == null) {
                    throw new NoSuchFileException(target.toString());
                }
                return root;
            });
            return new WebConfigFile(good.file(), parsed, null);
        } catch (ConfigException e) {
            return null;
        }
    }

    /**
     * Records that a refused version is being reported.
     *
     * @param file    the web.config
     * @param version the version ({@link ReadWebConfig#version()})
     * @param problem why it was refused
     * @return true the first time this file, version and reason are reported
     */
    boolean firstRefusal(Path file, String version, ConfigException problem) {
        return refusalsLogged.add(file + "\u0000" + version + "\u0000" + problem.getMessage());
    }

    /** A short digest of some bytes, to tell versions of a file apart in the log-once keys. */
    private static String digest(byte[] bytes) {
        return Integer.toHexString(Arrays.hashCode(bytes)) + "/" + bytes.length;
    }

    private static Path key(Path folder) {
        return folder.toAbsolutePath().normalize();
    }
}
