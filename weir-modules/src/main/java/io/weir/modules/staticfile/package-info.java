/**
 * StaticFileModule: serves existing files; mirrors IIS's StaticFileModule ({@code static.dll}).
 *
 * <p><b>Notifications:</b> {@code EXECUTE_REQUEST_HANDLER} only, as the first module of the stock
 * {@code StaticFile} handler mapping ({@code modules="StaticFileModule,DefaultDocumentModule,
 * DirectoryListingModule"}); it acts when the mapped path is a regular file and otherwise leaves
 * the request to the next module of the mapping.
 *
 * <p><b>Section:</b> {@code system.webServer/staticContent} ({@link io.weir.modules.staticfile.StaticFileSection}):
 * the {@code <mimeMap>} collection gives {@code Content-Type} by extension (case-insensitive;
 * {@code "."} for files without an extension, {@code "*"} as a catch-all; no mapping → 404.3), and
 * {@code <clientCache>} gives {@code Cache-Control}/{@code Expires} and whether {@code ETag} is sent.
 *
 * <p><b>Behaviour:</b> verbs other than GET and HEAD → 405.0 with
 * {@code Allow: GET, HEAD, OPTIONS, TRACE}; RFC 9110 section 13 preconditions (If-Match and
 * If-Unmodified-Since → 412, If-None-Match with weak comparison and If-Modified-Since → 304); RFC
 * 9110 section 14 ranges for GET (single → 206 with {@code Content-Range}, several → 206
 * {@code multipart/byteranges}, none satisfiable → 416 with {@code Content-Range: bytes *}{@code /len},
 * If-Range mismatch or an invalid {@code Range} → the whole file with 200). The body is always a
 * zero-copy file chunk.
 *
 * <p><b>Departures from IIS:</b> document footers ({@code enableDocFooter}, {@code defaultDocFooter},
 * {@code isDocFooterFileName}) are not implemented; overlapping or adjacent ranges are coalesced
 * (sorted) and more than 64 ranges make the module ignore {@code Range}; the RFC 850 and asctime
 * date forms are accepted in conditional headers.
 */
package io.weir.modules.staticfile;
