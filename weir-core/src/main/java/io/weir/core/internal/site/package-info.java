/**
 * Sites, applications and virtual directories as served: routing a request by local address and
 * Host header, mapping URLs to physical paths and to IIS configuration paths. Immutable per
 * generation except the stored-context containers; any thread.
 */
package io.weir.core.internal.site;
