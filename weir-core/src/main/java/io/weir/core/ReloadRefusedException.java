package io.weir.core;

import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSource;

/**
 * {@link WeirEngine#reload} refused a configuration that parsed but cannot be served, for example a
 * new {@code <globalModules>} entry whose class does not exist or whose registration threw. The
 * engine keeps serving the last good configuration, as nginx keeps its old workers when a reload
 * fails. A {@link ConfigException}, so it names the file, line and column of the entry at fault.
 */
public final class ReloadRefusedException extends ConfigException {

    private static final long serialVersionUID = 1L;

    /**
     * @param source where the offending entry was written
     * @param reason what is wrong, in one sentence
     */
    public ReloadRefusedException(ConfigSource source, String reason) {
        super(source, reason);
    }
}
