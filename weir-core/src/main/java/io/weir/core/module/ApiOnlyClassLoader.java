package io.weir.core.module;

/**
 * The parent of every module image's class loader: it lets through the JDK's platform classes and
 * the {@code io.weir.api} packages, and nothing else of the server (not Netty, not weir-core, not
 * the server's libraries), so that a module JAR sees only the API it was written against and may
 * bring its own versions of any library.
 */
final class ApiOnlyClassLoader extends ClassLoader {

    private static final String API_PACKAGE = "io.weir.api.";

    private final ClassLoader server;

    ApiOnlyClassLoader(ClassLoader server) {
        super("weir-api-only", ClassLoader.getPlatformClassLoader());
        this.server = server;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE)) {
            return server.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }
}
