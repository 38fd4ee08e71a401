/**
 * The kernel-style response cache: {@link io.weir.server.cache.KernelCache} holds complete
 * responses in direct memory and {@link io.weir.server.cache.KernelCacheDispatcher} answers the
 * requests that match them before the engine sees them, as http.sys answers its cache hits.
 */
package io.weir.server.cache;
