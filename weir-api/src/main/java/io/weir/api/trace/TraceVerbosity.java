package io.weir.api.trace;

/**
 * Verbosity of a trace event; mirrors IIS's levels 0 to 5.
 */
public enum TraceVerbosity {
    /** 0: general. */
    GENERAL,
    /** 1: fatal error. */
    FATAL_ERROR,
    /** 2: error. */
    ERROR,
    /** 3: warning. */
    WARNING,
    /** 4: information (the default of {@code QuickTrace}). */
    INFO,
    /** 5: verbose. */
    VERBOSE
}
