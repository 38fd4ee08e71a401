package io.weir.modules.rewrite;

import io.weir.api.config.ConfigException;
import java.util.function.Supplier;

/**
 * A section compiled once per effective configuration, or the reason it could not be: rules that
 * cannot be compiled are reported once (to the JDK's {@link System.Logger}) and every request they
 * govern is answered 500.19 with the file, line and reason, without compiling them again.
 *
 * @param value the compiled section, or null when it failed
 * @param error why it failed, or null
 * @param <T>   the compiled type
 */
record Compiled<T>(T value, ConfigException error) {

    private static final System.Logger LOG = System.getLogger(RewriteModule.class.getName());

    /**
     * Compiles a section.
     *
     * @param compiler what compiles it
     * @param <T>      the compiled type
     * @return the compiled section or its error
     */
    static <T> Compiled<T> of(Supplier<T> compiler) {
        try {
            return new Compiled<>(compiler.get(), null);
        } catch (ConfigException e) {
            LOG.log(System.Logger.Level.ERROR, "URL Rewrite: " + e.getMessage());
            return new Compiled<>(null, e);
        }
    }
}
