/**
 * RewriteModule: URL Rewrite 2.1's inbound rules (global and distributed, with conditions, server
 * variables, rewrite maps and the Rewrite, Redirect, CustomResponse, AbortRequest and None actions)
 * and its outbound rules on response headers, on tag attributes in the body and on the whole body
 * (streamed send by send with a bounded carry), read from
 * {@code system.webServer/rewrite/*}; {@link io.weir.modules.rewrite.RewriteDryRun} evaluates the
 * inbound rules without a server for {@code weir test rewrite} and {@code weir explain}.
 */
package io.weir.modules.rewrite;
