/**
 * HttpCacheModule: IIS's output cache ({@code system.webServer/caching} and its profiles) and the
 * module's hand-off of cacheable responses to the transport's kernel-style response cache.
 * docs/modules/caching.md describes both.
 */
package io.weir.modules.caching;
