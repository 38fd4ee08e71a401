package io.weir.core.internal.module;

import io.weir.api.HttpServer;
import io.weir.api.ModuleId;
import io.weir.api.ModuleRegistration;
import io.weir.config.GlobalModuleEntry;
import io.weir.core.GlobalModuleStatus;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the modules of {@code system.webServer/globalModules} and calls each registration once, as
 * IIS calls each native module's {@code RegisterModule}:
 * <ul>
 *   <li>{@code type="class"} without {@code image}: a {@link ModuleRegistration} on the server's
 *       class path (the built-in modules);</li>
 *   <li>{@code image="x.jar"}: the JAR in a class loader of its own whose parent exposes only
 *       {@code io.weir.api}; its registration is the one named by {@code type}, or else the single
 *       one listed in its {@code META-INF/services/io.weir.api.ModuleRegistration};</li>
 *   <li>{@code image="...\static.dll"} and the other IIS images Weir implements (the table of
 *       {@link BuiltInModules}): the Java module that implements it; any
 *       other DLL, or a mapped one whose class is not on the class path, is unavailable (its
 *       outcome says why; the engine lists them once at start-up).</li>
 * </ul>
 * A relative image path is resolved against the configuration file's folder. A module whose loading
 * or registration fails is reported with its name, image and exception, and left out.
 */
public final class ModuleLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleLoader.class);

    private static final AtomicInteger NEXT_ID = new AtomicInteger(1);

    private final HttpServer server;
    private final Path baseDirectory;
    private final ClassLoader serverLoader;
    /** IIS native images that a built-in Weir module implements, by lower-case file name ({@link BuiltInModules}). */
    private final Map<String, String> iisImages = new HashMap<>();

    /**
     * @param server        the services handed to every registration
     * @param baseDirectory what relative image paths resolve against
     */
    public ModuleLoader(HttpServer server, Path baseDirectory) {
        this.server = server;
        this.baseDirectory = baseDirectory;
        this.serverLoader = ModuleLoader.class.getClassLoader();
        for (BuiltInModules.Entry builtIn : BuiltInModules.read(serverLoader)) {
            iisImages.putIfAbsent(builtIn.image(), builtIn.registrationClass());
        }
    }

    /**
     * The outcome of loading one entry.
     *
     * @param description what to report
     * @param module      the module, or null when it failed
     * @param unavailable true when it failed only because it names an IIS native image that Weir
     *                    does not implement (reported and left out, as at start-up), false when
     *                    it loaded or its code could not be loaded or registered
     */
    public record Outcome(GlobalModuleStatus description, RegisteredModule module, boolean unavailable) {}

    /**
     * Loads every entry, in order.
     *
     * @param entries the merged {@code <globalModules>}
     * @return one outcome per entry
     */
    public List<Outcome> loadAll(List<GlobalModuleEntry> entries) {
        List<Outcome> outcomes = new ArrayList<>(entries.size());
        for (GlobalModuleEntry entry : entries) {
            outcomes.add(load(entry));
        }
        return outcomes;
    }

    /** @return a fresh module id, for a module added at run time (GL_APPLICATION_RESOLVE_MODULES) */
    public static ModuleId nextModuleId() {
        return new ModuleId(NEXT_ID.getAndIncrement());
    }

    private Outcome load(GlobalModuleEntry entry) {
        String origin = describeOrigin(entry);
        ModuleId id = new ModuleId(NEXT_ID.getAndIncrement());
        Class<? extends ModuleRegistration> type;
        try {
            type = resolveRegistrationClass(entry);
        } catch (UnavailableImageException e) {
            // reported once, as a list, by the engine at start-up
            LOG.debug("module '{}' is unavailable: {} ({})", entry.name(), e.getMessage(), entry.source());
            Outcome failed =
                    failed(entry.name(), id, "unavailable (" + entry.image().orElse("") + ")", e.getMessage());
            return new Outcome(failed.description(), null, true);
        } catch (Exception | LinkageError e) {
            LOG.error(
                    "module '{}' ({}) could not be loaded: {} ({})",
                    entry.name(),
                    origin,
                    e.toString(),
                    entry.source());
            return failed(entry.name(), id, origin, e.toString());
        }
        ModuleRegistrationRecorder recorder = new ModuleRegistrationRecorder(entry.name(), id, origin);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(type.getClassLoader());
        try {
            ModuleRegistration registration = type.getDeclaredConstructor().newInstance();
            registration.register(HttpServer.API_VERSION, recorder, server);
        } catch (Exception | LinkageError e) {
            Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            LOG.error(
                    "module '{}' ({}) failed to register and is left out: {}",
                    entry.name(),
                    origin,
                    cause.toString(),
                    cause);
            return failed(entry.name(), id, origin, "registration failed: " + cause);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        RegisteredModule module = recorder.freeze();
        GlobalModuleStatus description = new GlobalModuleStatus(
                module.name(),
                origin,
                module.notifications(),
                module.postNotifications(),
                module.globalNotifications(),
                module.priorities(),
                Optional.empty());
        return new Outcome(description, module, false);
    }

    private static Outcome failed(String name, ModuleId id, String origin, String reason) {
        RegisteredModule empty = RegisteredModule.empty(name, id, origin);
        return new Outcome(
                new GlobalModuleStatus(
                        name,
                        origin,
                        empty.notifications(),
                        empty.postNotifications(),
                        empty.globalNotifications(),
                        empty.priorities(),
                        Optional.of(reason)),
                null,
                false);
    }

    private String describeOrigin(GlobalModuleEntry entry) {
        if (entry.image().isPresent()) {
            String image = entry.image().get();
            String builtIn = iisImages.get(fileName(image).toLowerCase(Locale.ROOT));
            if (builtIn != null) {
                return "built-in " + builtIn + " (for " + image + ")";
            }
            return image.toLowerCase(Locale.ROOT).endsWith(".jar")
                    ? resolveImage(image).toString()
                    : image;
        }
        return "built-in " + entry.type().orElse("?");
    }

    private Class<? extends ModuleRegistration> resolveRegistrationClass(GlobalModuleEntry entry)
            throws ClassNotFoundException, IOException, UnavailableImageException {
        if (entry.image().isEmpty()) {
            String type = entry.type()
                    .orElseThrow(() -> new IllegalArgumentException("the entry has neither image= nor type="));
            return Class.forName(type, false, serverLoader).asSubclass(ModuleRegistration.class);
        }
        String image = entry.image().get();
        String builtIn = iisImages.get(fileName(image).toLowerCase(Locale.ROOT));
        if (builtIn != null) {
            try {
                return Class.forName(builtIn, false, serverLoader).asSubclass(ModuleRegistration.class);
            } catch (ClassNotFoundException e) {
                throw new UnavailableImageException(
                        "its Weir implementation " + builtIn + " is not on this server's class path");
            }
        }
        if (!image.toLowerCase(Locale.ROOT).endsWith(".jar")) {
            throw new UnavailableImageException("no Weir implementation of the native image " + image);
        }
        Path jar = resolveImage(image);
        if (!Files.isRegularFile(jar)) {
            throw new IOException("image " + jar + " does not exist");
        }
        URLClassLoader loader = new URLClassLoader(
                "module:" + entry.name(), new URL[] {jar.toUri().toURL()}, new ApiOnlyClassLoader(serverLoader));
        if (entry.type().isPresent()) {
            return Class.forName(entry.type().get(), false, loader).asSubclass(ModuleRegistration.class);
        }
        List<Class<? extends ModuleRegistration>> found = ServiceLoader.load(ModuleRegistration.class, loader).stream()
                .map(ServiceLoader.Provider::type)
                .toList();
        if (found.isEmpty()) {
            throw new IOException(
                    jar + " is not a module JAR: it lists no io.weir.api.ModuleRegistration in " + "META-INF/services");
        }
        if (found.size() > 1) {
            throw new IOException(jar + " lists " + found.size() + " registrations "
                    + found.stream().map(Class::getName).toList() + "; name one with the type= attribute");
        }
        return found.get(0);
    }

    private Path resolveImage(String image) {
        Path path = Path.of(image.replace('\\', '/'));
        return (path.isAbsolute() ? path : baseDirectory.resolve(path)).normalize();
    }

    private static String fileName(String image) {
        String normalized = image.replace('\\', '/');
        return normalized.substring(normalized.lastIndexOf('/') + 1);
    }

    private static final class UnavailableImageException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableImageException(String message) {
            super(message);
        }
    }
}
