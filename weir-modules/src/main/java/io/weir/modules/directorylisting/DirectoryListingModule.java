package io.weir.modules.directorylisting;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

/**
 * Answers a directory URL that no default document served: a 403.14 when browsing is off, else an
 * HTML listing; mirrors IIS's DirectoryListingModule ({@code dirlist.dll}). One instance per request
 * (it carries the listing from the blocking executor back to the event loop).
 *
 * <p>Runs in {@link RequestNotification#EXECUTE_REQUEST_HANDLER}, last module of the
 * {@code StaticFile} handler mapping, on the request's event loop. Reading a directory blocks, so an
 * enabled listing is rendered on {@link io.weir.api.HttpServer#blockingExecutor()}: the module
 * returns PENDING, the task calls {@link HttpContext#postCompletion}, and
 * {@link #onAsyncCompletion} writes the page back on the event loop.
 */
public final class DirectoryListingModule implements HttpModule {

    private static final byte[] DENIED_PAGE = ("<!DOCTYPE html>\r\n<html><head><title>403.14 - Forbidden</title></head>"
                    + "<body><h1>HTTP Error 403.14 - Forbidden</h1>"
                    + "<p>The Web server is configured to not list the contents of this directory.</p></body></html>\r\n")
            .getBytes(StandardCharsets.UTF_8);

    private volatile byte[] page;
    private volatile Throwable failure;

    /** Creates the per-request instance; called by the factory on the request's event loop. */
    DirectoryListingModule() {}

    /**
     * For a directory URL ending with {@code '/'}: 403.14 when {@code directoryBrowse@enabled} is
     * false, else starts rendering the listing on the blocking executor.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE when the path is no directory or lacks the trailing slash, FINISH_REQUEST after
     *         the 403.14, PENDING while the listing is read
     */
    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        Optional<HttpFileInfo> found = context.fileInfo();
        String urlPath = context.request().urlPath();
        if (found.isEmpty() || !found.get().isDirectory() || !urlPath.endsWith("/")) {
            return RequestNotificationStatus.CONTINUE;
        }
        context.setRequestHandled();
        DirectoryListingSection section = context.config(DirectoryListingSection.SECTION);
        HttpResponse response = context.response();
        if (!section.enabled()) {
            response.setStatus(HttpStatus.DIRECTORY_LISTING_DENIED);
            response.setErrorDescription("The Web server is configured to not list the contents of this directory.");
            response.setHeader("Content-Type", "text/html; charset=utf-8", true);
            response.writeEntityChunks(DataChunk.ofBytes(DENIED_PAGE));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        Path directory = found.get().path();
        String host =
                context.request().header("Host").orElseGet(() -> context.site().siteName());
        Set<DirectoryListingSection.ShowFlag> flags = section.showFlags();
        context.server().blockingExecutor().execute(() -> {
            try {
                page = DirectoryListingPage.render(directory, urlPath, host, flags, ZoneId.systemDefault());
            } catch (Exception | Error e) {
                failure = e;
            }
            context.postCompletion(0);
        });
        return RequestNotificationStatus.PENDING;
    }

    /**
     * Writes the rendered listing (or a 500 when the directory could not be read), on the event loop.
     *
     * @param context          the request
     * @param notification     EXECUTE_REQUEST_HANDLER
     * @param postNotification false
     * @param provider         the notification's provider
     * @param completionInfo   unused
     * @return CONTINUE after a listing, FINISH_REQUEST after a failure
     */
    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        HttpResponse response = context.response();
        Throwable error = failure;
        if (error != null || page == null) {
            response.setStatus(
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    error != null ? error : new IllegalStateException("directory listing not rendered"));
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        response.setHeader("Content-Type", "text/html; charset=utf-8", true);
        response.writeEntityChunks(DataChunk.ofBytes(page));
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Names the module as IIS does.
     *
     * @return {@code "DirectoryListingModule"}
     */
    @Override
    public String toString() {
        return "DirectoryListingModule";
    }
}
