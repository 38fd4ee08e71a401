package io.weir.modules.fastcgi;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.modules.process.ProcessArguments;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code fastCgi/application} entry: an executable and its arguments, and how Weir runs its
 * pool of processes. Attribute names, units and defaults are IIS's.
 *
 * @param fullPath                     the executable, for example {@code /usr/bin/php-cgi}
 * @param arguments                    its arguments, split on white space (quotes group words)
 * @param maxInstances                 the most processes at once; 0 = automatic (the number of
 *                                     processors, at least 2)
 * @param instanceMaxRequests          requests one process serves before it is replaced
 * @param idleTimeout                  a process idle this long is stopped (IIS: seconds, default 300)
 * @param activityTimeout              a request during which the process sends nothing this long
 *                                     fails and the process is replaced (default 70 s)
 * @param requestTimeout               a request that takes longer fails and the process is
 *                                     replaced (default 90 s)
 * @param queueLength                  requests that may wait for a process; one more is refused
 *                                     with 503.2
 * @param rapidFailsPerMinute          processes that may fail within a minute before the pool
 *                                     refuses requests for the rest of that minute (0 = never)
 * @param signalBeforeTerminateSeconds how long a process gets after SIGTERM before it is killed;
 *                                     0 kills at once
 * @param monitorChangesTo             a file whose change recycles the pool, "" for none
 *                                     (relative paths are taken from the executable's folder, as IIS does)
 * @param stderrMode                   what {@code FCGI_STDERR} output does to the response
 * @param environmentVariables         variables added to the processes' environment
 */
public record FastCgiApplication(
        String fullPath,
        String arguments,
        int maxInstances,
        int instanceMaxRequests,
        Duration idleTimeout,
        Duration activityTimeout,
        Duration requestTimeout,
        int queueLength,
        int rapidFailsPerMinute,
        Duration signalBeforeTerminateSeconds,
        String monitorChangesTo,
        StderrMode stderrMode,
        Map<String, String> environmentVariables) {

    /** The values of {@code stderrMode}, with IIS's names. */
    public enum StderrMode {
        /** 0, the default: stderr output turns the response into a 500 whose body is that output. */
        ReturnStdErrIn500,
        /** 1: stderr output turns the response into the server's generic 500. */
        ReturnGeneric500,
        /** 2: stderr output is logged and the script's response is sent as it is. */
        IgnoreAndReturn200,
        /** 3: stderr output kills the process and gives the generic 500. */
        TerminateProcess
    }

    /** Copies the map. */
    public FastCgiApplication {
        environmentVariables = Collections.unmodifiableMap(new LinkedHashMap<>(environmentVariables));
    }

    /**
     * Binds one {@code <application>} element with IIS's defaults.
     *
     * @param e the element
     * @return the record
     * @throws ConfigException if {@code fullPath} is missing
     */
    public static FastCgiApplication from(ConfigElement e) {
        String fullPath = e.stringAttribute("fullPath", "").trim();
        if (fullPath.isEmpty()) {
            throw new ConfigException(e.source(), "<application> needs a fullPath");
        }
        Map<String, String> env = new LinkedHashMap<>();
        e.child("environmentVariables").ifPresent(vars -> {
            for (ConfigElement v : vars.collection()) {
                env.put(v.stringAttribute("name", ""), v.stringAttribute("value", ""));
            }
        });
        return new FastCgiApplication(
                fullPath,
                e.stringAttribute("arguments", ""),
                (int) e.longAttribute("maxInstances", 0),
                (int) e.longAttribute("instanceMaxRequests", 200),
                Duration.ofSeconds(e.longAttribute("idleTimeout", 300)),
                Duration.ofSeconds(e.longAttribute("activityTimeout", 70)),
                Duration.ofSeconds(e.longAttribute("requestTimeout", 90)),
                (int) e.longAttribute("queueLength", 1000),
                (int) e.longAttribute("rapidFailsPerMinute", 10),
                Duration.ofSeconds(e.longAttribute("signalBeforeTerminateSeconds", 0)),
                e.stringAttribute("monitorChangesTo", "").trim(),
                e.enumAttribute("stderrMode", StderrMode.class, StderrMode.ReturnStdErrIn500),
                env);
    }

    /**
     * Returns the pool size: {@code maxInstances}, or for 0 the number of processors (at least 2).
     *
     * @return the most processes at once
     */
    public int effectiveMaxInstances() {
        return maxInstances > 0
                ? maxInstances
                : Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Splits {@link #arguments()} into words: white space separates them, double quotes group.
     *
     * @return the words, possibly empty
     */
    public List<String> argumentList() {
        return ProcessArguments.split(arguments);
    }

    /**
     * The key IIS identifies the entry by.
     *
     * @return {@code fullPath|arguments}
     */
    public String key() {
        return arguments.isBlank() ? fullPath : fullPath + "|" + arguments.trim();
    }
}
