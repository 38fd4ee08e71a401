package io.weir.modules.aspnetcore;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.config.ConfigSectionType;
import io.weir.modules.process.ProcessArguments;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code system.webServer/aspNetCore} section of the ASP.NET Core Module
 * ({@code AspNetCoreModuleV2}), as {@code dotnet publish} writes it into an application's
 * web.config, with the module's defaults; bound once per effective configuration.
 *
 * @param processPath             {@code processPath}: the executable that starts the application
 *                                ({@code dotnet}, {@code .\MyApp.exe}, {@code python3}); a path
 *                                starting with {@code .} or holding a folder separator is taken from
 *                                the application's folder, a bare name is looked up on the
 *                                {@code PATH}; required
 * @param arguments               {@code arguments}, default empty: split on white space, double
 *                                quotes group words
 * @param environmentVariables    the {@code environmentVariables} collection: added to the process's
 *                                environment
 * @param stdoutLogEnabled        {@code stdoutLogEnabled}, default false: the process's standard
 *                                output and error go to a file; else they are discarded
 * @param stdoutLogFile           {@code stdoutLogFile}, default {@code .\aspnetcore-stdout}: the
 *                                log file's path prefix (relative to the application's folder);
 *                                the file is {@code <prefix>_<yyyyMMddHHmmss>_<pid>.log}
 * @param startupTimeLimit        {@code startupTimeLimit} (seconds, default 120): how long the
 *                                process may take to listen on its port
 * @param shutdownTimeLimit       {@code shutdownTimeLimit} (seconds, default 10): how long the
 *                                process gets to exit after SIGTERM before it is killed
 * @param rapidFailsPerMinute     {@code rapidFailsPerMinute} (default 10): crashes and failed starts
 *                                allowed within a minute; beyond it, no process is started for the
 *                                rest of that minute
 * @param requestTimeout          {@code requestTimeout} (default 2 minutes): how long the process
 *                                may stay silent on a request before the client gets 502.3
 * @param processesPerApplication {@code processesPerApplication} (default 1): read; one process
 *                                serves the application
 */
public record AspNetCoreSection(
        String processPath,
        String arguments,
        Map<String, String> environmentVariables,
        boolean stdoutLogEnabled,
        String stdoutLogFile,
        Duration startupTimeLimit,
        Duration shutdownTimeLimit,
        int rapidFailsPerMinute,
        Duration requestTimeout,
        int processesPerApplication) {

    /** Binds {@code system.webServer/aspNetCore}; keep this one instance. */
    public static final ConfigSectionType<AspNetCoreSection> SECTION =
            ConfigSectionType.of("system.webServer/aspNetCore", AspNetCoreSection::from);

    /** Copies the map. */
    public AspNetCoreSection {
        environmentVariables = Collections.unmodifiableMap(new LinkedHashMap<>(environmentVariables));
    }

    /**
     * Binds the merged section.
     *
     * @param section the merged {@code aspNetCore} element
     * @return the record
     * @throws ConfigException when {@code hostingModel} is {@code inprocess} (Weir runs no CLR) or
     *                         names no hosting model, or {@code processPath} is missing
     */
    public static AspNetCoreSection from(ConfigElement section) {
        Map<String, String> env = new LinkedHashMap<>();
        section.child("environmentVariables").ifPresent(vars -> {
            for (ConfigElement v : vars.collection()) {
                env.put(v.stringAttribute("name", ""), v.stringAttribute("value", ""));
            }
        });
        AspNetCoreSection bound = new AspNetCoreSection(
                section.attribute("processPath").orElse("").strip(),
                section.stringAttribute("arguments", ""),
                env,
                section.booleanAttribute("stdoutLogEnabled", false),
                section.stringAttribute("stdoutLogFile", ".\\aspnetcore-stdout").strip(),
                Duration.ofSeconds(section.longAttribute("startupTimeLimit", 120)),
                Duration.ofSeconds(section.longAttribute("shutdownTimeLimit", 10)),
                (int) section.longAttribute("rapidFailsPerMinute", 10),
                section.timeSpanAttribute("requestTimeout", Duration.ofMinutes(2)),
                (int) section.longAttribute("processesPerApplication", 1));
        String model = section.attribute("hostingModel").orElse("").strip().toLowerCase(Locale.ROOT);
        if (model.equals("inprocess")) {
            throw new ConfigException(
                    section.attributeSource("hostingModel"),
                    "aspNetCore hostingModel=\"inprocess\" is not supported: Weir runs in a JVM and cannot load"
                            + " the .NET runtime into its process; set hostingModel=\"outofprocess\" and Weir"
                            + " starts the application and forwards requests to it");
        }
        if (!model.isEmpty() && !model.equals("outofprocess")) {
            throw new ConfigException(
                    section.attributeSource("hostingModel"),
                    "aspNetCore hostingModel=\""
                            + section.attribute("hostingModel").orElse("")
                            + "\" is neither outofprocess nor inprocess");
        }
        if (bound.processPath().isEmpty()) {
            throw new ConfigException(
                    section.attributeSource("processPath"),
                    "aspNetCore needs a processPath (the executable that starts the application)");
        }
        return bound;
    }

    /**
     * Splits {@link #arguments()} into words: white space separates them, double quotes group.
     *
     * @return the words, possibly empty
     */
    public List<String> argumentList() {
        return ProcessArguments.split(arguments);
    }
}
