package io.weir.core.internal.context;

import io.weir.api.http.CloneFlag;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.ExecuteFlag;
import io.weir.api.http.HttpUser;
import io.weir.core.spi.HeaderStore;
import io.weir.core.spi.ListHeaderStore;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Child requests ({@code IHttpContext::ExecuteRequest}): another URL run through the pipeline
 * inside the calling request, sharing its exchange and response, at most
 * {@link #MAX_CHILD_DEPTH} deep. A child that goes asynchronous resumes its caller
 * through {@code onAsyncCompletion} when it ends. On the request's event loop. See
 * docs/reference/native-module-model.md, "The request context".
 */
final class ChildRequests {

    /** IIS's limit on nested child requests. */
    static final int MAX_CHILD_DEPTH = 10;

    /** What {@code executeRequest} without clone flags clones: the verb and a copy of the headers. */
    static final Set<CloneFlag> BASICS_AND_HEADERS = Set.of(CloneFlag.BASICS, CloneFlag.HEADERS);

    private ChildRequests() {}

    /**
     * Runs a child request.
     *
     * @return true when the child went asynchronous (the caller returns PENDING)
     */
    static boolean execute(
            RequestContext caller,
            String url,
            Set<ExecuteFlag> flags,
            Set<CloneFlag> clone,
            HttpUser childUser,
            boolean inherit) {
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(clone, "clone");
        if (caller.depth + 1 > MAX_CHILD_DEPTH) {
            throw new IllegalStateException("child requests nest deeper than " + MAX_CHILD_DEPTH);
        }
        String target = flags.contains(ExecuteFlag.SAME_URL)
                ? caller.request.urlPath()
                        + (caller.request.queryString().isEmpty() ? "" : "?" + caller.request.queryString())
                : url;
        String[] parts = UrlPath.split(target);
        String path = parts == null ? null : UrlPath.normalize(parts[0]);
        if (path == null || !target.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute URL path: " + target);
        }
        RequestContext child = caller.newChild(
                target,
                path,
                parts[1],
                clone.contains(CloneFlag.BASICS) ? caller.request.method() : "GET",
                clonedHeaders(caller, clone),
                clone.contains(CloneFlag.ENTITY) ? caller.exchange.requestBody() : null);
        child.user = childUser;
        child.inheritsUser = inherit;
        child.executeFlags = flags.isEmpty() ? Set.of() : Set.copyOf(flags);
        if (flags.contains(ExecuteFlag.IGNORE_CURRENT_INTERCEPTOR)) {
            child.handler.ignored = caller.handler.scriptMap();
        }
        ResponseImpl.Head head = flags.contains(ExecuteFlag.NO_HEADERS) ? caller.response.snapshotHead() : null;
        caller.runningChild = child;
        try {
            child.run();
        } finally {
            caller.runningChild = null;
        }
        if (child.pipeline == null || child.pipeline.isDone()) {
            afterChild(caller, child, head);
            return false;
        }
        // The child went asynchronous: the caller returns PENDING; when the child ends, its
        // completion resumes the caller through onAsyncCompletion (IIS's ExecuteRequest completion).
        child.onChildEnded = () -> caller.exchange.eventLoop().execute(() -> {
            afterChild(caller, child, head);
            caller.pipeline.complete(new CompletionInfo(0, Optional.empty()));
        });
        return true;
    }

    /** Headers a clone leaves out with {@link CloneFlag#NO_PRECONDITION}. */
    private static final Set<String> PRECONDITION_HEADERS =
            Set.of("if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range", "range");

    /** Headers a clone leaves out with {@link CloneFlag#NO_DAV}. */
    private static final Set<String> DAV_HEADERS =
            Set.of("depth", "destination", "overwrite", "if", "lock-token", "timeout", "translate");

    /** A copy of the caller's request headers as they are now (none without {@link CloneFlag#HEADERS}). */
    private static HeaderStore clonedHeaders(RequestContext caller, Set<CloneFlag> clone) {
        ListHeaderStore copy = new ListHeaderStore();
        if (!clone.contains(CloneFlag.HEADERS)) {
            return copy;
        }
        for (String name : caller.request.headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if ((clone.contains(CloneFlag.NO_PRECONDITION) && PRECONDITION_HEADERS.contains(lower))
                    || (clone.contains(CloneFlag.NO_DAV) && DAV_HEADERS.contains(lower))) {
                continue;
            }
            for (String value : caller.request.headers(name)) {
                copy.add(name, value);
            }
        }
        return copy;
    }

    /** The caller.parent's side of a child's end: NO_HEADERS, DISABLE_CUSTOM_ERROR and BUFFER_RESPONSE. */
    private static void afterChild(RequestContext caller, RequestContext child, ResponseImpl.Head head) {
        Set<ExecuteFlag> flags = child.executeFlags;
        if (head != null) {
            caller.response.restoreHead(head);
        } else if (flags.contains(ExecuteFlag.DISABLE_CUSTOM_ERROR) && caller.response.statusCode() >= 400) {
            caller.response.skipCustomErrors();
        }
        if (!flags.contains(ExecuteFlag.BUFFER_RESPONSE)
                && !caller.response.inSendResponse()
                && !caller.response.isReset()
                && caller.parent == null) {
            caller.response.flush(true);
        }
    }
}
