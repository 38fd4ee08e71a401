package io.weir.cli.command;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.weir.config.ApplicationHostConfig;
import io.weir.config.GlobalModuleEntry;
import io.weir.core.GlobalModuleStatus;
import io.weir.core.WeirEngine;
import io.weir.core.inspect.EngineInspection;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Loads one {@code <globalModules>} entry by itself, the way the server loads it: an engine is
 * started from a configuration that holds only that entry and is labelled with the edited file's
 * path, so relative images resolve against the same folder and the same module loader (a
 * JAR in a class loader of its own whose parent exposes only {@code io.weir.api}) calls the
 * registration. Nothing listens and no site starts. The loader's own error log is silenced while
 * this runs, since the failure is reported to the user as the reason the edit is refused.
 */
final class ModuleCheck {

    private ModuleCheck() {}

    /**
     * Loads an entry in isolation.
     *
     * @param configFile the configuration file the entry belongs to
     * @param entry      the entry, its image already expanded
     * @return what loading it gave: the notifications it registered, or the failure
     */
    static GlobalModuleStatus load(Path configFile, GlobalModuleEntry entry) {
        StringBuilder add =
                new StringBuilder("<add name=\"").append(escape(entry.name())).append('"');
        entry.image()
                .ifPresent(
                        image -> add.append(" image=\"").append(escape(image)).append('"'));
        entry.type()
                .ifPresent(type -> add.append(" type=\"").append(escape(type)).append('"'));
        add.append(" />");
        String xml = "<configuration><configSections><sectionGroup name=\"system.webServer\">"
                + "<section name=\"globalModules\" /></sectionGroup></configSections>"
                + "<system.webServer><globalModules>" + add + "</globalModules></system.webServer></configuration>";
        Path folder = configFile.toAbsolutePath().getParent();
        ApplicationHostConfig single = ApplicationHostConfig.parse(
                configFile.toString(),
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                folder,
                Map.of());
        org.slf4j.Logger slf4j = LoggerFactory.getLogger(EngineInspection.MODULE_LOADING_LOGGER);
        Logger logger = slf4j instanceof Logger logback ? logback : null;
        Level previous = logger == null ? null : logger.getLevel();
        if (logger != null && !logger.isDebugEnabled()) {
            logger.setLevel(Level.OFF);
        }
        try (WeirEngine engine = WeirEngine.start(single)) {
            return engine.modules().get(0);
        } finally {
            if (logger != null) {
                logger.setLevel(previous);
            }
        }
    }

    private static String escape(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
    }
}
