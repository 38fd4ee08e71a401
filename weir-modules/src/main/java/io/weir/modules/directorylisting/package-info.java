/**
 * DirectoryListingModule: lists a directory, or refuses to; mirrors IIS's DirectoryListingModule
 * ({@code dirlist.dll}).
 *
 * <p><b>Notifications:</b> {@code EXECUTE_REQUEST_HANDLER} only, as the last module of the stock
 * {@code StaticFile} handler mapping; it acts when the mapped path is a directory and the URL ends
 * with {@code '/'} (DefaultDocumentModule has already redirected the others). The listing is read on
 * the server's blocking executor (PENDING, then {@code postCompletion}); the 403.14 is answered on the
 * event loop.
 *
 * <p><b>Section:</b> {@code system.webServer/directoryBrowse}
 * ({@link io.weir.modules.directorylisting.DirectoryListingSection}): {@code enabled} (default false)
 * and {@code showFlags} (Date, Time, Size, Extension, LongDate; default {@code Date, Time, Size, Extension}).
 *
 * <p><b>Behaviour:</b> disabled → 403.14 with a short HTML page; enabled → {@code text/html; charset=utf-8},
 * directories first, then files, each group sorted by name (case-insensitive), a
 * {@code [To Parent Directory]} link except at the site root, columns as {@code showFlags} says
 * (without {@code Extension}, file names are shown without their extension, as in IIS). Every name is
 * HTML-escaped and every link percent-encoded.
 *
 * <p><b>Departures from IIS:</b> {@code web.config} is never listed (IIS hides it too, through request
 * filtering's hidden segments); the page is UTF-8 HTML5 rather than IIS's legacy markup; dates use the
 * server's default time zone and US formats regardless of the server's locale.
 */
package io.weir.modules.directorylisting;
