package io.weir.cli;

import io.weir.cli.testmodule.greeting.GreetingModuleRegistration;
import io.weir.cli.testmodule.throwing.ThrowingModuleRegistration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Module JARs for the editing tests, built from this module's compiled test classes the way a
 * module project packages its JAR: the classes of one package plus, optionally, a
 * {@code META-INF/services/io.weir.api.ModuleRegistration} naming the registration.
 */
public final class TestJars {

    private TestJars() {}

    /**
     * A JAR whose registration registers BEGIN_REQUEST at HIGH.
     *
     * @param folder where to write it
     * @param name   the file name
     * @return its path
     */
    public static Path greeting(Path folder, String name) {
        return build(folder.resolve(name), GreetingModuleRegistration.class, true);
    }

    /**
     * A JAR whose registration throws.
     *
     * @param folder where to write it
     * @param name   the file name
     * @return its path
     */
    public static Path throwing(Path folder, String name) {
        return build(folder.resolve(name), ThrowingModuleRegistration.class, true);
    }

    /**
     * A JAR with the greeting classes but no services file: not a module JAR.
     *
     * @param folder where to write it
     * @param name   the file name
     * @return its path
     */
    public static Path withoutServices(Path folder, String name) {
        return build(folder.resolve(name), GreetingModuleRegistration.class, false);
    }

    /**
     * A greeting JAR that also ships schema files.
     *
     * @param folder  where to write it
     * @param name    the file name
     * @param schemas entry name under {@code META-INF/weir/schema/} to the file's text
     * @return its path
     */
    public static Path greetingWithSchema(Path folder, String name, Map<String, String> schemas) {
        return build(folder.resolve(name), GreetingModuleRegistration.class, true, schemas);
    }

    private static Path build(Path jar, Class<?> registration, boolean services) {
        return build(jar, registration, services, Map.of());
    }

    private static Path build(Path jar, Class<?> registration, boolean services, Map<String, String> schemas) {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try {
            Files.createDirectories(jar.getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                if (services) {
                    out.putNextEntry(new JarEntry("META-INF/services/io.weir.api.ModuleRegistration"));
                    out.write((registration.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
                for (Map.Entry<String, String> schema : new TreeMap<>(schemas).entrySet()) {
                    out.putNextEntry(new JarEntry("META-INF/weir/schema/" + schema.getKey()));
                    out.write(schema.getValue().getBytes(StandardCharsets.UTF_8));
                    out.closeEntry();
                }
                Path root = Path.of(registration
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI());
                String folder = registration.getPackageName().replace('.', '/');
                try (Stream<Path> files = Files.list(root.resolve(folder))) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class"))
                            .sorted()
                            .toList()) {
                        out.putNextEntry(new JarEntry(folder + "/" + file.getFileName()));
                        out.write(Files.readAllBytes(file));
                        out.closeEntry();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + jar, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return jar;
    }
}
