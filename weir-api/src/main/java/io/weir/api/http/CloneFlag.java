package io.weir.api.http;

/**
 * What a child request takes from the request that runs it
 * ({@link HttpContext#executeRequest(String, java.util.Set, java.util.Set, HttpUser)}); mirrors the
 * {@code CLONE_FLAG_*} values of IIS's {@code IHttpContext::CloneContext}. The child's URL is always
 * the one given to {@code executeRequest}.
 */
public enum CloneFlag {
    /** {@code CLONE_FLAG_BASICS}: the verb; without it the child is a GET. */
    BASICS,
    /**
     * {@code CLONE_FLAG_HEADERS}: a copy of the request headers as they are now; a change the child
     * makes to its copy never reaches the parent, nor the reverse. Without it the child has none.
     */
    HEADERS,
    /**
     * {@code CLONE_FLAG_ENTITY}: the request entity. The child reads the parent's entity from where
     * the parent's reading stands (the parent read nothing: the whole body); the bytes the child
     * reads are consumed for the parent too, as the body is streamed, not held.
     */
    ENTITY,
    /**
     * {@code CLONE_FLAG_NO_PRECONDITION}: with {@link #HEADERS}, the copy leaves out the
     * conditional and range headers ({@code If-Match}, {@code If-None-Match},
     * {@code If-Modified-Since}, {@code If-Unmodified-Since}, {@code If-Range}, {@code Range}).
     */
    NO_PRECONDITION,
    /**
     * {@code CLONE_FLAG_NO_DAV}: with {@link #HEADERS}, the copy leaves out the WebDAV headers
     * ({@code Depth}, {@code Destination}, {@code Overwrite}, {@code If}, {@code Lock-Token},
     * {@code Timeout}, {@code Translate}).
     */
    NO_DAV
}
