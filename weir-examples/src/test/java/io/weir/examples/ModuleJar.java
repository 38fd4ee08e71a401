package io.weir.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds a module JAR for a test, the way the package phase builds the real ones (which happens
 * after the tests): the compiled classes of the given packages plus a
 * {@code META-INF/services/io.weir.api.ModuleRegistration} naming one registration.
 */
public final class ModuleJar {

    private ModuleJar() {}

    /**
     * Writes a JAR into {@code directory}.
     *
     * @param directory    where the JAR goes (a {@code @TempDir})
     * @param fileName     the JAR's file name
     * @param registration the registration class the services file names
     * @param packages     the classes to include: every class of each given class's package, taken
     *                     from the class-path folder that class was compiled to
     * @return the JAR's path
     */
    public static Path build(Path directory, String fileName, Class<?> registration, Class<?>... packages) {
        Path jar = directory.resolve(fileName);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            putEntry(
                    out,
                    "META-INF/services/io.weir.api.ModuleRegistration",
                    (registration.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            for (Class<?> member : packages) {
                Path root = classesRoot(member);
                String folder = member.getPackageName().replace('.', '/');
                try (Stream<Path> files = Files.list(root.resolve(folder))) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class"))
                            .sorted()
                            .toList()) {
                        putEntry(out, folder + "/" + file.getFileName(), Files.readAllBytes(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + jar, e);
        }
        return jar;
    }

    /**
     * Lists the entries of a JAR, for assertions on what a test loads.
     *
     * @param jar the JAR
     * @return the entry names, in order
     */
    public static List<String> entries(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path classesRoot(Class<?> member) {
        try {
            Path root = Path.of(
                    member.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isDirectory(root)) {
                throw new IllegalStateException(member + " was not loaded from a class folder but from " + root);
            }
            return root;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void putEntry(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
