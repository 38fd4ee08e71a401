/**
 * The kernel-style response cache: complete responses that the transport answers before the
 * request pipeline runs, as IIS's HttpCacheModule hands responses to http.sys's kernel cache.
 * HttpCacheModule adds entries; the transport implements {@link io.weir.api.cache.KernelResponseCache}
 * and serves hits; HttpLoggingModule hears of hits through a {@link io.weir.api.cache.KernelCacheHitListener}.
 */
package io.weir.api.cache;
