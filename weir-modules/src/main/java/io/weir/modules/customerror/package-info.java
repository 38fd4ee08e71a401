/**
 * CustomErrorModule: replaces error responses (status 400 or more) with custom or detailed error
 * pages; mirrors IIS's CustomErrorModule ({@code custerr.dll}).
 *
 * <p><b>Notification:</b> {@code SEND_RESPONSE} only, priority HIGH (one of the last to run
 * there, as in IIS), on the first send of a response sent whole. Every error reaches it: a status
 * set in any stage by any module (RequestFilteringModule's 404.x in BEGIN_REQUEST, 401 from an
 * authentication module, the static handler's 404.3), the engine's own (404.0, 404.4, 405.0,
 * 500.21 from "IIS Web Core" in MAP_REQUEST_HANDLER), a module that threw (500.0) and a module's
 * configuration error (500.19). Child requests are left to their parent.
 *
 * <p><b>Section:</b> {@code system.webServer/httpErrors}
 * ({@link io.weir.modules.customerror.HttpErrorsSection}), IIS's names and defaults:
 * <table>
 * <caption>Attributes</caption>
 * <tr><th>Attribute</th><th>Default</th><th>Meaning in Weir</th></tr>
 * <tr><td>{@code errorMode}</td><td>DetailedLocalOnly</td><td>detailed pages for loopback
 *     clients, custom pages for others; Custom / Detailed for everybody</td></tr>
 * <tr><td>{@code existingResponse}</td><td>Auto</td><td>see the decision table</td></tr>
 * <tr><td>{@code defaultPath}, {@code defaultResponseMode}</td><td>none, File</td><td>the custom
 *     error of a status without an {@code <error>} entry; without a defaultPath, the one-liner</td></tr>
 * <tr><td>{@code detailedMoreInformationLink}</td><td>IIS's link</td><td>the link at the bottom of
 *     detailed pages ({@code status} and {@code substatus} appended as query parameters); empty
 *     leaves it out</td></tr>
 * <tr><td>{@code allowAbsolutePathsWhenDelegated}</td><td>false</td><td>read and kept: Weir has no
 *     delegated web.config files yet, so absolute paths are always allowed</td></tr>
 * <tr><td>{@code <error statusCode subStatusCode path responseMode prefixLanguageFilePath>}</td>
 *     <td>subStatusCode -1, File</td><td>the exact substatus wins over -1 (any)</td></tr>
 * </table>
 *
 * <p><b>Decision table</b> (IIS's HttpErrorsSection reference, "ExistingResponse"; "detailed" =
 * errorMode Detailed, or DetailedLocalOnly for a loopback client):
 * <ul>
 * <li>Auto: status set with {@code trySkipCustomErrors} → kept; else custom mode → custom error;
 *     else an entity → kept; else → detailed page.</li>
 * <li>Replace: always the custom error or the detailed page.</li>
 * <li>PassThrough: always kept.</li>
 * <li>A response that would be kept with an empty entity gets the one-liner (IIS's custom error
 *     module sends one "if it detects that we are about to return a blank response").</li>
 * </ul>
 *
 * <p><b>Response modes:</b> File sends the file (zero-copy) with the {@code Content-Type} the
 * {@code staticContent} MIME map gives its extension ({@code text/html} when unmapped); relative
 * paths resolve against the application's physical root, {@code \} reads as {@code /};
 * {@code prefixLanguageFilePath} tries {@code prefix/LANG/path} for the Accept-Language tags, the
 * JVM's locale and {@code en-US}, then {@code prefix/path}. ExecuteURL runs a child request for
 * the URL (verb and headers of the request, as IIS) and keeps the original status; a child that
 * fails gives the one-liner and never loops. Redirect answers 302 with the path as
 * {@code Location}. A missing file or a failed child is logged as a warning and gives the
 * one-liner.
 *
 * <p><b>Not implemented:</b> the {@code 403.18} check (ExecuteURL in another application pool:
 * Weir has one process), IIS's hard-coded one-liner texts (Weir writes its own), the query string
 * the WMI reference says IIS 7 appended to ExecuteURL and Redirect paths (IIS's team describes
 * the path being used as is).
 */
package io.weir.modules.customerror;
