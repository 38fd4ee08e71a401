/**
 * DefaultDocumentModule: answers a directory URL with its default document; mirrors IIS's
 * DefaultDocumentModule ({@code defdoc.dll}).
 *
 * <p><b>Notifications:</b> {@code EXECUTE_REQUEST_HANDLER} only, as the second module of the stock
 * {@code StaticFile} handler mapping; it acts when the mapped path is a directory.
 *
 * <p><b>Section:</b> {@code system.webServer/defaultDocument}
 * ({@link io.weir.modules.defaultdocument.DefaultDocumentSection}): {@code enabled} (default true)
 * and the {@code <files>} collection ({@code <add value="..."/>}), tried in order.
 *
 * <p><b>Behaviour:</b> a directory URL without its trailing slash gets a 301 to the same URL with
 * the slash (query string kept), as IIS's courtesy redirect; with the slash, the first file of the
 * list that exists is served through a child request ({@code executeRequest}) that runs the whole
 * pipeline for {@code <directory URL><file>?<query>}, as IIS does, so the file's own handler,
 * configuration and MIME type apply. No default document (or {@code enabled="false"}) leaves the
 * request to DirectoryListingModule.
 *
 * <p><b>Departures from IIS:</b> a {@code <files>} entry that could leave the directory (holds
 * {@code ".."} or a backslash, or starts with a slash) is refused as a configuration error.
 */
package io.weir.modules.defaultdocument;
