package io.weir.it.module;

import io.weir.api.ModuleRegistration;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a module image the way the module archetype's build lays it out: the module JAR, its
 * libraries in {@code lib/} beside it, named in the manifest's {@code Class-Path}, and the services
 * file naming the registration. The sources (test resources under {@code isolation/NAME/}) are
 * compiled here against weir-api and the libraries, so that each module can be compiled against its
 * own version of a library, which one test class path could not hold.
 */
final class ModuleImage {

    private ModuleImage() {}

    /**
     * @param sourceFolder the test-resource folder holding the module's sources, e.g. "isolation/older"
     * @param registration the registration's class name
     * @param libraries    the library JARs the module is compiled against and ships in lib/
     * @param into         an empty folder; the JAR goes there, its libraries into {@code lib/}
     * @return the module JAR
     */
    static Path build(String sourceFolder, String registration, List<Path> libraries, Path into) {
        try {
            Path sources = resource(sourceFolder);
            Path classes = Files.createDirectories(into.resolve("classes"));
            List<String> files;
            try (Stream<Path> walk = Files.walk(sources)) {
                files = walk.filter(p -> p.toString().endsWith(".java"))
                        .map(Path::toString)
                        .toList();
            }
            List<String> classPath = new ArrayList<>();
            classPath.add(codeSource(ModuleRegistration.class).toString());
            libraries.forEach(l -> classPath.add(l.toString()));
            List<String> args = new ArrayList<>(List.of(
                    "--release",
                    "21",
                    "-proc:none",
                    "-d",
                    classes.toString(),
                    "-cp",
                    String.join(File.pathSeparator, classPath)));
            args.addAll(files);
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) {
                throw new IllegalStateException("the tests need a JDK (no system Java compiler)");
            }
            int status = javac.run(null, null, null, args.toArray(String[]::new));
            if (status != 0) {
                throw new IllegalStateException("javac failed (" + status + ") on " + files);
            }
            Path lib = Files.createDirectories(into.resolve("lib"));
            List<String> manifestClassPath = new ArrayList<>();
            for (Path library : libraries) {
                Files.copy(library, lib.resolve(library.getFileName()));
                manifestClassPath.add("lib/" + library.getFileName());
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            if (!manifestClassPath.isEmpty()) {
                manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", manifestClassPath));
            }
            Path jar = into.resolve(sources.getFileName() + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                    Stream<Path> walk = Files.walk(classes)) {
                out.putNextEntry(new JarEntry("META-INF/services/io.weir.api.ModuleRegistration"));
                out.write((registration + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(
                            new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(file));
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String folder) {
        URL url = ModuleImage.class.getClassLoader().getResource(folder);
        if (url == null) {
            throw new IllegalStateException("no test resource folder " + folder);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path codeSource(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
