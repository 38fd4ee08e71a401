package io.weir.core.inspect;

/** What the handler table of a URL chooses for a verb and what is on disk, as the engine decides it. */
public sealed interface HandlerMatch {

    /**
     * An entry matches the path and the verb.
     *
     * @param handler         the entry
     * @param resourceMissing true when its {@code resourceType} needs a file or directory that is not there (404.0)
     */
    record Found(PlannedHandler handler, boolean resourceMissing) implements HandlerMatch {}

    /** An entry matches the path but none accepts the verb (405.0). */
    record VerbRefused() implements HandlerMatch {}

    /** No entry matches the path (404.4). */
    record NoHandler() implements HandlerMatch {}
}
