/**
 * The kernel-style response cache: {@link io.weir.server.cache.KernelCache} holds complete
 * responses in direct memory and {@link io.weir.server.cache.KernelCacheDispatcher} answers the
 * requests that match them before the engine sees them, as http.sys answers its cache hits;
 * {@link io.weir.server.cache.EncodedHead} is an entry's response head encoded once, which the
 * HTTP/1.1 transport sends through {@link io.weir.server.cache.EncodedHeadWriter}.
 */
package io.weir.server.cache;
