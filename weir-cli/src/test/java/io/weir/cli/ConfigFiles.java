package io.weir.cli;

import io.weir.config.CompatInputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The configuration files the editing tests start from. */
public final class ConfigFiles {

    /** Variables the IIS Express file needs to load. */
    public static final Map<String, String> IIS_EXPRESS_VARIABLES = Map.of(
            "IIS_BIN",
            "/opt/iis-express",
            "IIS_SITES_HOME",
            "/srv/sites",
            "IIS_USER_HOME",
            "/home/iis",
            "SYSTEMDRIVE",
            "C:");

    private ConfigFiles() {}

    /** @return the bytes of the embedded default applicationHost.config */
    public static byte[] embeddedDefault() {
        try (InputStream in = ConfigFiles.class.getResourceAsStream("/io/weir/config/applicationHost.config")) {
            if (in == null) {
                throw new IllegalStateException("the embedded default is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return IIS Express's stock applicationhost.config; the calling test is skipped when it is absent */
    public static Path iisExpress() {
        return CompatInputs.file("iis-express/applicationhost.config");
    }

    /**
     * Copies bytes to {@code folder/applicationHost.config}.
     *
     * @param folder the folder
     * @param bytes  the content
     * @return the file
     */
    public static Path write(Path folder, byte[] bytes) {
        try {
            return Files.write(folder.resolve("applicationHost.config"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a file's bytes.
     *
     * @param file the file
     * @return its bytes
     */
    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
