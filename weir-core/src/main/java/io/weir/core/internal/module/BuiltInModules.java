package io.weir.core.internal.module;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The table of built-in modules: the lines of {@code META-INF/services/io.weir.api.ModuleRegistration}
 * files on the server's class path that carry, after the registration class and a {@code #}, the
 * module's {@code <globalModules>} name and the IIS native image it stands for:
 *
 * <pre>
 * io.weir.modules.staticfile.StaticFileModuleRegistration # StaticFileModule static.dll
 * </pre>
 *
 * The service loader ignores what follows {@code #}, so the one file both lists the registrations
 * and maps IIS images to them; lines without a name and an image (ordinary module JARs) are not
 * built-ins. Read when a module loader is created, on the caller's thread.
 */
public final class BuiltInModules {

    /** Where the table lives in a JAR. */
    public static final String RESOURCE = "META-INF/services/io.weir.api.ModuleRegistration";

    /**
     * One built-in module.
     *
     * @param name              its {@code <globalModules>} name, e.g. "StaticFileModule"
     * @param image             the IIS image it stands for, lower case, e.g. "static.dll"
     * @param registrationClass the fully qualified name of its {@code ModuleRegistration}
     */
    public record Entry(String name, String image, String registrationClass) {}

    private BuiltInModules() {}

    /**
     * @param loader the server's class loader
     * @return the built-in modules of every table on its class path, in file then line order
     * @throws UncheckedIOException when a table cannot be read
     */
    public static List<Entry> read(ClassLoader loader) {
        List<Entry> entries = new ArrayList<>();
        try {
            for (URL url : Collections.list(loader.getResources(RESOURCE))) {
                try (InputStream in = url.openStream();
                        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        int hash = line.indexOf('#');
                        String type = (hash < 0 ? line : line.substring(0, hash)).strip();
                        String[] comment = hash < 0
                                ? new String[0]
                                : line.substring(hash + 1).strip().split("\\s+");
                        if (!type.isEmpty() && comment.length == 2) {
                            entries.add(new Entry(comment[0], comment[1].toLowerCase(Locale.ROOT), type));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the built-in module table cannot be read", e);
        }
        return List.copyOf(entries);
    }
}
