package io.weir.api.http;

import java.util.Optional;

/**
 * The result of an asynchronous operation, given to
 * {@link io.weir.api.HttpModule#onAsyncCompletion}; mirrors IIS's {@code IHttpCompletionInfo}.
 *
 * @param completionBytes the byte count the operation reports (for {@link HttpContext#postCompletion},
 *                        the number the module passed)
 * @param error           the failure, or empty on success
 */
public record CompletionInfo(long completionBytes, Optional<Throwable> error) {}
