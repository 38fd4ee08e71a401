/**
 * RewriteModule: URL Rewrite 2.1's inbound rules (global and distributed, with conditions, server
 * variables, rewrite maps and the Rewrite, Redirect, CustomResponse, AbortRequest and None actions)
 * and its outbound rules on response headers, read from {@code system.webServer/rewrite/*}.
 */
package io.weir.modules.rewrite;
