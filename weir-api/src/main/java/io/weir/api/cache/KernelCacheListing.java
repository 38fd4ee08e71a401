package io.weir.api.cache;

/**
 * One entry of the {@link KernelResponseCache} as {@code weir list cache} shows it.
 *
 * @param siteName the site that answered
 * @param host     the {@code Host} the entry answers ("" for none)
 * @param rawUrl   the request-target it answers
 * @param bytes    the size of its body
 * @param hits     how many requests it answered
 * @param until    "change" for an entry kept until its file changes, otherwise the seconds it has left
 */
public record KernelCacheListing(String siteName, String host, String rawUrl, long bytes, long hits, String until) {}
