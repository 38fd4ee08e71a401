package io.weir.api.trace;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a trace consumer wants to receive from one provider; the Java form of IIS's
 * {@code HTTP_TRACE_CONFIGURATION}, passed to {@link HttpTraceContext#setTraceConfiguration}.
 *
 * <p>An event matches when its provider is this one's (or this one is {@link #ALL_PROVIDERS}), its
 * area is among {@link #areas} (an empty set means every area; events of the
 * {@link TraceEvent#AREA_GENERAL} area always match, as IIS always records its GENERAL_* events),
 * and its verbosity is at most {@link #verbosity} (GENERAL is 0, VERBOSE 5). Provider and area
 * names compare without case.
 *
 * @param provider  a provider name such as {@link TraceEvent#WWW_SERVER}, or {@link #ALL_PROVIDERS}
 * @param areas     area names such as {@code "RequestNotifications"}; empty for all
 * @param verbosity the most detailed level wanted
 */
public record TraceConfiguration(String provider, Set<String> areas, TraceVerbosity verbosity) {

    /** The provider name that matches every provider (IIS: the all-zero GUID). */
    public static final String ALL_PROVIDERS = "*";

    /**
     * Validates and normalizes the components (area names to lower case, for matching).
     *
     * @param provider  the provider
     * @param areas     the areas
     * @param verbosity the verbosity
     * @throws NullPointerException if any is null
     */
    public TraceConfiguration {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(verbosity, "verbosity");
        areas = areas.stream()
                .map(a -> a.trim().toLowerCase(Locale.ROOT))
                .filter(a -> !a.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Tells whether an event is wanted by this configuration.
     *
     * @param event the event
     * @return true when provider, area and verbosity match as described on the type
     */
    public boolean matches(TraceEvent event) {
        if (!provider.equals(ALL_PROVIDERS) && !provider.equalsIgnoreCase(event.provider())) {
            return false;
        }
        if (event.verbosity().ordinal() > verbosity.ordinal()) {
            return false;
        }
        return areas.isEmpty()
                || event.area().equalsIgnoreCase(TraceEvent.AREA_GENERAL)
                || areas.contains(event.area().toLowerCase(Locale.ROOT));
    }
}
