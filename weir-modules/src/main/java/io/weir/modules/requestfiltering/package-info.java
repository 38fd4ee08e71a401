/**
 * RequestFilteringModule: refuses requests by URL, verb, size and content before any other stage;
 * mirrors IIS's RequestFilteringModule ({@code modrqflt.dll}), the successor of URLScan.
 *
 * <p><b>Notifications:</b> {@code BEGIN_REQUEST} only, at the default priority. A denied request gets
 * its status and FINISH_REQUEST, so no handler runs and nothing is read from disk.
 *
 * <p><b>Section:</b> {@code system.webServer/security/requestFiltering}
 * ({@link io.weir.modules.requestfiltering.RequestFilteringSection}), IIS's names and defaults:
 * <table>
 * <caption>What is checked, with the status a failure gets</caption>
 * <tr><th>Attribute / collection</th><th>Default</th><th>Status</th></tr>
 * <tr><td>{@code requestLimits@maxAllowedContentLength}: {@code Content-Length} (or the received
 *     entity's length, for chunked bodies)</td><td>30000000</td><td>404.13 (413.1)</td></tr>
 * <tr><td>{@code requestLimits@maxUrl}: the length of the path as sent, without the query</td>
 *     <td>4096</td><td>404.14</td></tr>
 * <tr><td>{@code requestLimits@maxQueryString}: the raw query string's length</td><td>2048</td><td>404.15</td></tr>
 * <tr><td>{@code requestLimits/headerLimits/add@header,@sizeLimit}: a header's value longer than
 *     its limit</td><td>none</td><td>404.10 (431)</td></tr>
 * <tr><td>{@code verbs@allowUnlisted}, {@code verbs/add@verb,@allowed} (verbs compare with case)</td>
 *     <td>true, none</td><td>404.6</td></tr>
 * <tr><td>{@code allowHighBitCharacters}: a character ≥ 0x80 in the path, raw or decoded</td>
 *     <td>true</td><td>404.12</td></tr>
 * <tr><td>{@code allowDoubleEscaping}: the decoded path still holds {@code '%'} or {@code '+'}
 *     (decoding it again could change it)</td><td>false</td><td>404.11</td></tr>
 * <tr><td>{@code denyUrlSequences/add@sequence}, in the decoded path or the path as sent, without
 *     case; {@code alwaysAllowedUrls/add@url} (whole path, without case) skips this check</td>
 *     <td>none</td><td>404.5</td></tr>
 * <tr><td>{@code denyQueryStringSequences/add@sequence}, in the raw query string and, with
 *     {@code unescapeQueryString}, the decoded one; {@code alwaysAllowedQueryStrings/add@queryString}
 *     skips it</td><td>none, true</td><td>404.18</td></tr>
 * <tr><td>{@code hiddenSegments/add@segment}: any segment of the path, without case</td>
 *     <td>none</td><td>404.8</td></tr>
 * <tr><td>{@code fileExtensions@allowUnlisted}, {@code fileExtensions/add@fileExtension,@allowed}:
 *     the extension of the last segment, without case ({@code "."} names "no extension")</td>
 *     <td>true, none</td><td>404.7</td></tr>
 * <tr><td>{@code filteringRules/filteringRule} ({@code scanUrl}, {@code scanQueryString},
 *     {@code scanAllRaw}, {@code scanHeaders}, {@code appliesTo}, {@code denyStrings}): a deny string
 *     found, without case</td><td>none</td><td>404.19</td></tr>
 * </table>
 * The embedded default configuration enables the module with IIS Express's hidden segments
 * ({@code web.config}, {@code bin}, {@code App_*}) and a subset of its denied extensions.
 *
 * <p><b>Weir's attribute {@code weirStatusProfile}</b> on {@code <requestFiltering>}: IIS's status
 * code reference gives 404.13 and 404.10 for a too-large body and a too-long header, while newer IIS
 * 10 documentation gives 413.1 and 431. {@code weirStatusProfile="IIS7"} (the default) answers with
 * the long-standing 404.13 / 404.10; {@code "IIS10"} with 413.1 / 431. Every other substatus is the
 * same in both.
 *
 * <p><b>Where Weir fills IIS's gaps:</b>
 * <ul>
 * <li>The URL is matched as the engine canonicalized it (decoded once, {@code \} read as {@code /},
 *     dot segments applied; malformed and climbing URLs got 400 before the pipeline). On top of
 *     that, each segment is matched in its Windows form: cut at the first {@code ':'} (an NTFS data
 *     stream, {@code web.config::$DATA}) and stripped of trailing dots and spaces
 *     ({@code web.config.}, {@code web.config%20}), since IIS on NTFS would treat those as
 *     {@code web.config}. This only ever denies more; the static file handler still looks for the
 *     name as sent.</li>
 * <li>Only the last segment's extension is checked against {@code fileExtensions} (IIS's documents
 *     name "the file extension" of the request); a URL ending in {@code '/'} uses its last
 *     non-empty segment, and the site root has no extension ({@code "."}).</li>
 * <li>The order of the checks is Weir's (IIS does not document one): the list above, top to bottom.</li>
 * <li>{@code scanAllRaw} scans the request target as sent and every header value.</li>
 * </ul>
 *
 * <p><b>Not implemented:</b> {@code removeServerHeader} (IIS 10), {@code applyToWebDAV} (Weir has
 * no WebDAV), {@code filteringRule@denyUnescapedPercent}. They are accepted and ignored.
 */
package io.weir.modules.requestfiltering;
