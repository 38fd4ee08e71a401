package io.weir.core.internal.handler;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.RequireAccess;
import io.weir.api.http.ResourceType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The effective {@code system.webServer/handlers} list of one configuration, ready for matching.
 * Selection follows IIS: entries whose {@code preCondition} cannot hold in Weir (classic mode,
 * 32-bit, a .NET runtime, managed handlers) and entries whose {@code requireAccess} the section's
 * {@code accessPolicy} does not grant are passed over; the first remaining entry whose path and
 * verb match wins.
 */
public final class HandlerTable {

    /** IIS's default {@code responseBufferLimit}, in bytes. */
    public static final long DEFAULT_RESPONSE_BUFFER_LIMIT = 4_194_304L;

    private final List<HandlerMapping> mappings;

    HandlerTable(List<HandlerMapping> mappings) {
        this.mappings = List.copyOf(mappings);
    }

    /** The outcome of a match. */
    public sealed interface Match {
        /**
         * @param mapping         the chosen entry
         * @param resourceMissing true when its resourceType is not satisfied on disk
         * @param scriptEnd       the length of the URL path's script part; shorter than the path
         *                        when the rest is path information ({@code allowPathInfo})
         */
        record Found(HandlerMapping mapping, boolean resourceMissing, int scriptEnd) implements Match {}

        /** Some entry matches the path but none the verb: IIS answers 405. */
        record VerbRefused() implements Match {}

        /** No entry matches: IIS answers 404.4. */
        record NoHandler() implements Match {}
    }

    /**
     * Builds the table from the merged section.
     *
     * @param section the merged {@code system.webServer/handlers}
     * @return the table
     * @throws ConfigException when an entry is malformed
     */
    public static HandlerTable from(ConfigElement section) {
        int accessPolicy = parseAccessPolicy(section.stringAttribute("accessPolicy", "Read"), section);
        List<HandlerMapping> result = new ArrayList<>();
        for (ConfigElement add : section.collection()) {
            String preCondition = add.stringAttribute("preCondition", "");
            if (!preConditionHolds(preCondition)) {
                continue;
            }
            RequireAccess access = add.enumAttribute("requireAccess", RequireAccess.class, RequireAccess.SCRIPT);
            if (!granted(access, accessPolicy)) {
                continue;
            }
            String name = add.attribute("name")
                    .orElseThrow(() -> new ConfigException(add.source(), "handler entry without a name"));
            String path = add.attribute("path")
                    .orElseThrow(() -> new ConfigException(add.source(), "handler '" + name + "' has no path"));
            String verbs = add.attribute("verb")
                    .orElseThrow(() -> new ConfigException(add.source(), "handler '" + name + "' has no verb"));
            result.add(new HandlerMapping(
                    name,
                    path.trim(),
                    split(verbs),
                    split(add.stringAttribute("modules", "ManagedPipelineHandler")),
                    add.enumAttribute("resourceType", ResourceType.class, ResourceType.UNSPECIFIED),
                    access,
                    add.stringAttribute("scriptProcessor", ""),
                    add.booleanAttribute("allowPathInfo", false),
                    add.longAttribute("responseBufferLimit", DEFAULT_RESPONSE_BUFFER_LIMIT),
                    preCondition));
        }
        return new HandlerTable(result);
    }

    /**
     * Returns the table without the mappings that name a module of {@code unavailable} (an IIS
     * image Weir does not implement): such a handler is skipped, so a later one (the catch-all
     * StaticFile) can serve the request, rather than answering 500.21.
     *
     * @param unavailable names of {@code <globalModules>} entries that could not be loaded
     * @return this table when nothing is removed, else a new one
     */
    public HandlerTable withoutModules(Set<String> unavailable) {
        if (unavailable.isEmpty()) {
            return this;
        }
        List<HandlerMapping> kept = mappings.stream()
                .filter(m -> m.modules().stream().noneMatch(unavailable::contains))
                .toList();
        return kept.size() == mappings.size() ? this : new HandlerTable(kept);
    }

    /**
     * Returns this table without one mapping, for a child request run with
     * {@code EXECUTE_FLAG_IGNORE_CURRENT_INTERCEPTOR}.
     *
     * @param mapping the mapping to leave out (compared by identity)
     * @return this table when it does not hold the mapping, else a new one
     */
    public HandlerTable without(Object mapping) {
        List<HandlerMapping> kept = mappings.stream().filter(m -> m != mapping).toList();
        return kept.size() == mappings.size() ? this : new HandlerTable(kept);
    }

    /** @return the usable entries, in match order */
    public List<HandlerMapping> mappings() {
        return mappings;
    }

    /**
     * Chooses the handler for a request whose whole URL path names what is on disk.
     *
     * @param urlPath the decoded URL path
     * @param verb    the verb
     * @param file    what exists at the mapped physical path
     * @return the outcome
     */
    public Match match(String urlPath, String verb, Optional<HttpFileInfo> file) {
        return match(urlPath, verb, script -> script.length() == urlPath.length() ? file : Optional.empty());
    }

    /**
     * Chooses the handler for a request: the first usable entry whose path matches (the whole URL
     * path, or with {@code allowPathInfo} a script part followed by path information, see
     * {@link HandlerMapping#scriptEnd}) and whose verbs accept the verb. Its {@code resourceType}
     * is checked against the script part's file.
     *
     * @param urlPath the decoded URL path
     * @param verb    the verb
     * @param files   what exists at the physical path of a URL path (the whole one or its script part)
     * @return the outcome
     */
    public Match match(String urlPath, String verb, Function<String, Optional<HttpFileInfo>> files) {
        boolean pathMatched = false;
        for (HandlerMapping m : mappings) {
            int scriptEnd = m.scriptEnd(urlPath);
            if (scriptEnd < 0) {
                continue;
            }
            pathMatched = true;
            if (!m.matchesVerb(verb)) {
                continue;
            }
            boolean missing;
            if (m.resourceType() == ResourceType.UNSPECIFIED) {
                missing = false;
            } else {
                Optional<HttpFileInfo> file =
                        files.apply(scriptEnd == urlPath.length() ? urlPath : urlPath.substring(0, scriptEnd));
                missing = switch (m.resourceType()) {
                    case FILE -> file.isEmpty() || file.get().isDirectory();
                    case DIRECTORY -> file.isEmpty() || !file.get().isDirectory();
                    case EITHER, UNSPECIFIED -> file.isEmpty();
                };
            }
            return new Match.Found(m, missing, scriptEnd);
        }
        return pathMatched ? new Match.VerbRefused() : new Match.NoHandler();
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /**
     * Tells whether a {@code preCondition} can hold in Weir, which runs as IIS's integrated
     * pipeline, 64-bit, without a .NET runtime: only {@code integratedMode} and {@code bitness64}
     * (or nothing) hold.
     *
     * @param preCondition the attribute's value, a comma list
     * @return true when every condition holds
     */
    public static boolean preConditionHolds(String preCondition) {
        for (String raw : preCondition.split(",")) {
            String c = raw.trim().toLowerCase(Locale.ROOT);
            if (c.isEmpty() || c.equals("integratedmode") || c.equals("bitness64")) {
                continue;
            }
            return false;
        }
        return true;
    }

    private static int parseAccessPolicy(String flags, ConfigElement section) {
        int value = 0;
        for (String raw : flags.split(",")) {
            String f = raw.trim().toLowerCase(Locale.ROOT);
            value |= switch (f) {
                case "", "none" -> 0;
                case "read" -> 1;
                case "write" -> 2;
                case "execute" -> 4;
                case "source" -> 16;
                case "script" -> 512;
                case "noremotewrite" -> 1024;
                case "noremoteread" -> 4096;
                case "noremoteexecute" -> 8192;
                case "noremotescript" -> 16384;
                default ->
                    throw new ConfigException(
                            section.attributeSource("accessPolicy"), "unknown accessPolicy flag '" + raw.trim() + "'");
            };
        }
        return value;
    }

    private static boolean granted(RequireAccess access, int policy) {
        return switch (access) {
            case NONE -> true;
            case READ -> (policy & 1) != 0;
            case WRITE -> (policy & 2) != 0;
            case SCRIPT -> (policy & (512 | 4)) != 0;
            case EXECUTE -> (policy & 4) != 0;
        };
    }
}
