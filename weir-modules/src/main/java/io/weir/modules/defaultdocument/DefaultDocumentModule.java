package io.weir.modules.defaultdocument;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.ExecuteFlag;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;

/**
 * Serves a directory's default document through a child request; mirrors IIS's
 * DefaultDocumentModule ({@code defdoc.dll}). Stateless: one shared instance serves every request.
 *
 * <p>Runs in {@link RequestNotification#EXECUTE_REQUEST_HANDLER} on the request's event loop, after
 * StaticFileModule in the {@code StaticFile} handler mapping. Checking which default document
 * exists stats files through the server's file cache and does not block.
 */
public final class DefaultDocumentModule implements HttpModule {

    static final DefaultDocumentModule INSTANCE = new DefaultDocumentModule();

    private DefaultDocumentModule() {}

    /**
     * For a directory: redirects a URL without its trailing slash (301, keeping the query string);
     * otherwise, when {@code defaultDocument} is enabled, runs a child request for the first
     * {@code <files>} entry that exists as a regular file in the directory, whose response
     * (StaticFileModule's) becomes this one.
     *
     * @param context  the request
     * @param provider unused
     * @return CONTINUE when the path is no directory or no default document applies (DirectoryListingModule
     *         decides), FINISH_REQUEST after a redirect or a served default document, PENDING when the
     *         child request went asynchronous
     */
    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        Optional<HttpFileInfo> found = context.fileInfo();
        if (found.isEmpty() || !found.get().isDirectory()) {
            return RequestNotificationStatus.CONTINUE;
        }
        String urlPath = context.request().urlPath();
        if (!urlPath.endsWith("/")) {
            context.response().redirect(encodePath(urlPath) + "/", HttpStatus.MOVED_PERMANENTLY, true);
            context.setRequestHandled();
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        DefaultDocumentSection section = context.config(DefaultDocumentSection.SECTION);
        if (!section.enabled()) {
            return RequestNotificationStatus.CONTINUE;
        }
        Path directory = found.get().path();
        for (String fileName : section.files()) {
            Optional<HttpFileInfo> candidate = context.server().fileInfo(directory.resolve(fileName));
            if (candidate.isPresent() && !candidate.get().isDirectory()) {
                String query = context.request().queryString();
                String childUrl = query.isEmpty() ? urlPath + fileName : urlPath + fileName + "?" + query;
                context.setRequestHandled();
                if (context.executeRequest(childUrl, EnumSet.of(ExecuteFlag.BUFFER_RESPONSE))) {
                    return RequestNotificationStatus.PENDING;
                }
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        }
        return RequestNotificationStatus.CONTINUE;
    }

    /**
     * Resumes after an asynchronous child request: the default document has been served.
     *
     * @param context      the request
     * @param notification     EXECUTE_REQUEST_HANDLER
     * @param postNotification false
     * @param provider         the notification's provider
     * @param completionInfo   the child's completion
     * @return FINISH_REQUEST
     */
    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    /**
     * Percent-encodes a decoded URL path for a {@code Location} field: every byte of its UTF-8 form
     * other than unreserved characters, {@code '/'} and the sub-delimiters safe in a path.
     *
     * @param path the decoded path
     * @return the encoded path; the same string when nothing needed encoding
     */
    static String encodePath(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = null;
        for (int k = 0; k < bytes.length; k++) {
            int b = bytes[k] & 0xff;
            boolean safe = (b >= 'a' && b <= 'z')
                    || (b >= 'A' && b <= 'Z')
                    || (b >= '0' && b <= '9')
                    || "-._~/!$&'()*+,;=:@".indexOf(b) >= 0;
            if (out == null) {
                if (safe) {
                    continue;
                }
                out = new StringBuilder(bytes.length + 16).append(new String(bytes, 0, k, StandardCharsets.UTF_8));
            }
            if (safe) {
                out.append((char) b);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out == null ? path : out.toString();
    }

    /**
     * Names the module as IIS does.
     *
     * @return {@code "DefaultDocumentModule"}
     */
    @Override
    public String toString() {
        return "DefaultDocumentModule";
    }
}
