package io.weir.core.internal.module;

/**
 * The parent of every module image's class loader: it lets through the JDK's platform classes, the
 * {@code io.weir.api} packages and the SLF4J API ({@code org.slf4j}, so that a module's log lines go
 * to the server's log, in its format), and nothing else of the server (not Netty, not weir-core,
 * not the server's other libraries), so that a module JAR sees only the API it was written against
 * and may bring its own versions of any other library.
 */
final class ApiOnlyClassLoader extends ClassLoader {

    private static final String API_PACKAGE = "io.weir.api.";
    private static final String SLF4J_PACKAGE = "org.slf4j.";

    private final ClassLoader server;

    ApiOnlyClassLoader(ClassLoader server) {
        super("weir-api-only", ClassLoader.getPlatformClassLoader());
        this.server = server;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE) || name.startsWith(SLF4J_PACKAGE)) {
            return server.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }
}
